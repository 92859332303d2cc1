//! The command line: what each command does, in words a new user understands.

use crate::config::{Config, DatabaseArgs};
use anyhow::Context;
use clap::{Parser, Subcommand};
use std::process::ExitCode;

/// DTE — 辽宁省数字技术工程师培育项目管理平台.
///
/// Runs Liaoning Province's Digital Technology Engineer Cultivation Project (辽人社发〔2023〕36号):
/// catalogs, classes, enrolment, attendance, certificates, subsidies and supervision. With no
/// configuration, `dte serve` keeps its data in an SQLite file under ./dte-data and loads the
/// plan's reference data on first start.
#[derive(Debug, Parser)]
#[command(name = "dte", version, about, long_about, after_help = EXAMPLES)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

const EXAMPLES: &str = "\
Examples:
  dte serve                                   serve on http://127.0.0.1:8080 with ./dte-data
  dte serve --addr 0.0.0.0:8080 --data-dir /var/lib/dte
  dte serve --database-url postgres://dte@127.0.0.1/dte
  dte serve --tls-cert cert.pem --tls-key key.pem   serve https://127.0.0.1:8080 with this certificate
  dte demo --data-dir /tmp/dte-demo           fill a fresh database with a realistic year
  echo 'Str0ng-Passw0rd!' | dte user create --role province-admin --username admin --password-stdin
  dte check id 11010519491231002X             is this a valid citizen ID number?
  dte check location 38.88 121.53             which region of Liaoning is this point in?";

#[derive(Debug, Subcommand)]
enum Command {
    /// Serve the web pages and the API (loads the reference data on first start).
    Serve {
        #[command(flatten)]
        serve: crate::config::ServeArgs,
    },
    /// Database maintenance.
    Db {
        #[command(subcommand)]
        command: DbCommand,
    },
    /// Fill a fresh database with a realistic year of the project, and print the accounts.
    Demo {
        #[command(flatten)]
        database: DatabaseArgs,
    },
    /// Manage accounts (there are no default accounts: create the first province admin here).
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// The tamper-evident audit log.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
    /// The personal-data keys.
    Keys {
        #[command(subcommand)]
        command: KeysCommand,
    },
    /// Check a value the way DTE does, without a database.
    Check {
        #[command(subcommand)]
        command: CheckCommand,
    },
}

#[derive(Debug, Subcommand)]
enum DbCommand {
    /// Bring the schema up to date and load the bundled reference data, then exit.
    Migrate {
        #[command(flatten)]
        database: DatabaseArgs,
    },
}

#[derive(Debug, Subcommand)]
enum UserCommand {
    /// Create an account; the password comes from standard input (--password-stdin) or is
    /// generated and shown once.
    Create {
        /// province-admin, city-admin, training-institution, evaluation-institution, inspector or auditor.
        #[arg(long)]
        role: String,
        /// The sign-in name: 3–64 letters, digits or . _ -
        #[arg(long)]
        username: String,
        /// The person's or office's name shown on pages. [default: the username]
        #[arg(long)]
        display_name: Option<String>,
        /// For city-admin: the region (沈阳 … 葫芦岛, 沈抚示范区).
        #[arg(long)]
        region: Option<String>,
        /// For institution accounts: the institution's name as listed.
        #[arg(long)]
        institution: Option<String>,
        /// Read the password from the first line of standard input.
        #[arg(long)]
        password_stdin: bool,
        #[command(flatten)]
        database: DatabaseArgs,
    },
}

#[derive(Debug, Subcommand)]
enum AuditCommand {
    /// Walk the hash chain; exits non-zero naming the first changed, deleted or inserted entry.
    Verify {
        #[command(flatten)]
        database: DatabaseArgs,
    },
}

#[derive(Debug, Subcommand)]
enum KeysCommand {
    /// Add a new data key, make it current and re-encrypt every ID number and phone with it
    /// (the old keys stay in the file so nothing is unreadable meanwhile).
    Rotate {
        #[command(flatten)]
        database: DatabaseArgs,
    },
}

#[derive(Debug, Subcommand)]
enum CheckCommand {
    /// Check a citizen identity number (GB 11643): prints "valid" or the reason it is not.
    Id {
        /// The 18-character number.
        number: String,
    },
    /// Say which region of Liaoning a WGS-84 point lies in; exits non-zero when outside.
    Location {
        /// Latitude in decimal degrees, e.g. 41.80.
        #[arg(allow_hyphen_values = true)]
        lat: String,
        /// Longitude in decimal degrees, e.g. 123.43.
        #[arg(allow_hyphen_values = true)]
        lon: String,
    },
}

/// Runs one command and returns the process exit code.
pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Check {
            command: CheckCommand::Id { number },
        } => Ok(crate::check::id(&number)),
        Command::Check {
            command: CheckCommand::Location { lat, lon },
        } => Ok(crate::check::location(&lat, &lon)),
        Command::Serve { serve } => {
            let config = Config::from_serve(serve)?;
            runtime()?.block_on(crate::serve::serve(config))?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Db {
            command: DbCommand::Migrate { database },
        } => {
            let config = Config::from_database(database)?;
            runtime()?.block_on(async {
                let store = crate::serve::open_store(&config).await?;
                store.close().await;
                println!(
                    "数据库已是最新结构，参考数据已载入：{}",
                    config.database_display()
                );
                anyhow::Ok(())
            })?;
            Ok(ExitCode::SUCCESS)
        }
        Command::User {
            command:
                UserCommand::Create {
                    role,
                    username,
                    display_name,
                    region,
                    institution,
                    password_stdin,
                    database,
                },
        } => {
            let config = Config::from_database(database)?;
            let request = crate::user::CreateUser {
                role,
                username,
                display_name,
                region,
                institution,
                password_stdin,
            };
            runtime()?.block_on(crate::user::create(&config, request))?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Audit {
            command: AuditCommand::Verify { database },
        } => {
            let config = Config::from_database(database)?;
            runtime()?.block_on(crate::audit::verify(&config))
        }
        Command::Keys {
            command: KeysCommand::Rotate { database },
        } => {
            let config = Config::from_database(database)?;
            let (key, count) = runtime()?.block_on(crate::keys::rotate(&config))?;
            println!(
                "已启用新密钥 {key}，重新加密了 {count} 人的证件号码和手机号；请备份新的密钥文件"
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Demo { database } => {
            let config = Config::from_database(database)?;
            runtime()?.block_on(crate::demo::run(&config))?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("无法启动异步运行时")
}
