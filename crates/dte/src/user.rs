//! `dte user create`: the way the first province admin (and any account) comes to exist.
//! There are no default accounts.

use crate::config::Config;
use anyhow::{Context, bail};
use dte_domain::Role;
use dte_domain::access::scope_of;
use dte_store::{NewUser, StoreError};
use std::io::BufRead;

/// What `dte user create` was asked for.
#[derive(Debug)]
pub struct CreateUser {
    pub role: String,
    pub username: String,
    pub display_name: Option<String>,
    pub region: Option<String>,
    pub institution: Option<String>,
    pub password_stdin: bool,
}

/// Creates the account; prints a generated password once unless one came on standard input.
pub async fn create(config: &Config, request: CreateUser) -> anyhow::Result<()> {
    let role = Role::parse(&request.role).map_err(|error| anyhow::anyhow!("--role：{error}"))?;
    if role == Role::Trainee {
        bail!("--role：学员账号须在实名招收时由培训机构开通，不能用命令创建");
    }
    let username = dte_domain::access::parse_username(&request.username)
        .map_err(|error| anyhow::anyhow!("--username：{error}"))?;
    let store = crate::serve::open_store(config).await?;
    if let Some(region) = &request.region
        && !store.region_exists(region).await?
    {
        bail!("--region：地区“{region}”不存在（应为 沈阳、大连 … 沈抚示范区 之一）");
    }
    let institution_id = match &request.institution {
        None => None,
        Some(name) => Some(
            store
                .institution_id_by_name(name)
                .await?
                .with_context(|| format!("--institution：机构“{name}”不在目录中"))?,
        ),
    };
    scope_of(role, request.region.as_deref(), institution_id, None)
        .map_err(|error| anyhow::anyhow!("{error}"))?;
    let (password, generated) = if request.password_stdin {
        let mut line = String::new();
        std::io::stdin()
            .lock()
            .read_line(&mut line)
            .context("无法从标准输入读取密码")?;
        (line.trim_end_matches(['\r', '\n']).to_owned(), false)
    } else {
        (dte_crypto::generate_password(&username), true)
    };
    dte_crypto::check_password_policy(&password, &username)
        .map_err(|error| anyhow::anyhow!("密码不符合要求：{error}"))?;
    let hash = dte_crypto::hash_password(&password).map_err(|error| anyhow::anyhow!("{error}"))?;
    let user = NewUser {
        username: username.clone(),
        display_name: request.display_name.unwrap_or_else(|| username.clone()),
        role,
        region: request.region,
        institution_id,
        person_id: None,
        password_hash: Some(hash),
    };
    match store.create_user(&user, chrono::Utc::now()).await {
        Ok(id) => {
            let after = serde_json::json!({"username": user.username, "role": role.as_str(), "region": user.region, "institution_id": user.institution_id});
            crate::audit::record(&store, "user.create", "user", id.to_string(), after).await?;
            println!("已创建{}账号 {username}（编号 {id}）", role.label());
            if generated {
                println!("初始密码（只显示这一次）：{password}");
            }
        }
        Err(StoreError::Constraint { constraint }) if constraint.contains("username") => {
            bail!("--username：用户名“{username}”已被使用")
        }
        Err(other) => return Err(other.into()),
    }
    store.close().await;
    Ok(())
}
