//! `dte user create`: the way the first province admin (and any account) comes to exist.
//! There are no default accounts.

use crate::config::Config;
use anyhow::{Context, bail};
use dte_domain::Role;
use dte_store::{AccountRequest, Actor};
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
    let username = dte_domain::access::parse_username(&request.username)
        .map_err(|error| anyhow::anyhow!("--username：{error}"))?;
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
    let store = crate::serve::open_store(config).await?;
    let account = AccountRequest {
        username: username.clone(),
        display_name: request.display_name.unwrap_or_else(|| username.clone()),
        role,
        region: request.region,
        institution: request.institution,
        password_hash: hash,
    };
    let actor = Actor::system(chrono::Utc::now());
    match store.create_account(&account, &actor).await? {
        Ok(id) => {
            println!("已创建{}账号 {username}（编号 {id}）", role.label());
            if generated {
                println!("初始密码（只显示这一次）：{password}");
            }
        }
        Err(refusal) => bail!("--{}：{refusal}", refusal.field()),
    }
    store.close().await;
    Ok(())
}
