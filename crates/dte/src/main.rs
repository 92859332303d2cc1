//! `dte`: the one binary of DTE (辽宁省数字技术工程师培育项目管理平台).

mod audit;
mod check;
mod cli;
mod config;
mod demo;
mod keys;
mod serve;
mod user;

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    match cli::run(cli) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("错误：{error:#}");
            ExitCode::FAILURE
        }
    }
}
