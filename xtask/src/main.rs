//! DTE's automation that is not product. Today it holds only the tidy tests (`src/tidy.rs`),
//! which run with `cargo test -p xtask` (and so with `cargo test --workspace`).

use std::process::ExitCode;

fn main() -> ExitCode {
    eprintln!("xtask has no tasks yet: its tidy checks run with `cargo test -p xtask`");
    ExitCode::from(2)
}

#[cfg(test)]
mod tidy;
