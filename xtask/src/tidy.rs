//! Tidy tests: the codemap's invariants (ARCHITECTURE.md, each crate's **Invariant:** line)
//! checked by machine, after rust-analyzer's `xtask/src/tidy.rs`.
//!
//! For every crate in `crates/`, its manifest's dependencies and every path its production
//! code names (`src/**/*.rs` without test modules, comments and string literals) are checked
//! against one table, [`RULES`], of what the crate must never use. Besides: only the binary
//! `dte` reads the environment, and every Rust file opens with a `//!` line.
//!
//! **The table and the codemap change together**: a new crate, or a new line in a crate's
//! invariant, is a new row here in the same commit, and a rule loosened here is a sentence
//! changed in ARCHITECTURE.md.

use std::fs;
use std::path::{Path, PathBuf};

/// What one crate must never depend on or name.
struct Rule {
    /// The crate's folder under `crates/` (its package name).
    krate: &'static str,
    /// Crates it must neither depend on in `[dependencies]` nor name in its code.
    forbidden: &'static [&'static str],
    /// Whether the crate does no I/O: it must not name `std::fs`, `std::net` or
    /// `std::process` (in-memory `std::io` readers and writers are not I/O).
    no_io: bool,
    /// Whether the crate has no clock: it must not call `Utc::now`, `Local::now`,
    /// `SystemTime::now` or `Instant::now` (clippy's `disallowed-methods` says the same in the
    /// crates that have a `clippy.toml`; this check covers the others too).
    no_clock: bool,
}

/// The table: one row per crate of the codemap, in its order.
const RULES: &[Rule] = &[
    // "No I/O and no clock: never imports tokio, sqlx, axum, HTTP types or `Utc::now`."
    Rule {
        krate: "dte-domain",
        forbidden: &[
            "tokio",
            "sqlx",
            "axum",
            "axum-extra",
            "axum-server",
            "http",
            "hyper",
            "tower",
            "tower-http",
            "askama",
            "utoipa",
            "reqwest",
            "dte-store",
            "dte-docs",
            "dte-pdf",
            "dte-web",
            "dte-app",
            "dte",
        ],
        no_io: true,
        no_clock: true,
    },
    // "Pure computation; depends on nothing of DTE."
    Rule {
        krate: "dte-geo",
        forbidden: &[
            "dte-domain",
            "dte-crypto",
            "dte-store",
            "dte-docs",
            "dte-pdf",
            "dte-web",
            "dte-app",
            "dte",
            "tokio",
            "sqlx",
            "axum",
            "http",
            "hyper",
            "tower",
            "reqwest",
        ],
        no_io: true,
        no_clock: true,
    },
    // "No database, no HTTP, no clock."
    Rule {
        krate: "dte-crypto",
        forbidden: &[
            "sqlx",
            "axum",
            "http",
            "hyper",
            "tower",
            "tower-http",
            "reqwest",
            "tokio",
            "dte-store",
            "dte-web",
            "dte-app",
            "dte",
        ],
        no_io: true,
        no_clock: true,
    },
    // "No HTTP or axum types, no rules of the plan."
    Rule {
        krate: "dte-store",
        forbidden: &[
            "axum",
            "axum-extra",
            "axum-server",
            "http",
            "hyper",
            "tower",
            "tower-http",
            "reqwest",
            "askama",
            "utoipa",
            "dte-docs",
            "dte-pdf",
            "dte-web",
            "dte-app",
            "dte",
        ],
        no_io: false,
        no_clock: false,
    },
    // "Takes plain records or uploaded bytes, returns bytes or checked records; no database,
    // no HTTP, no clock."
    Rule {
        krate: "dte-docs",
        forbidden: &[
            "sqlx",
            "axum",
            "http",
            "tower",
            "tower-http",
            "reqwest",
            "dte-store",
            "dte-web",
            "dte-app",
            "dte",
        ],
        no_io: true,
        no_clock: true,
    },
    // "No database, no HTTP." The codemap says nothing of the clock here, so neither does
    // the table.
    Rule {
        krate: "dte-pdf",
        forbidden: &[
            "sqlx",
            "axum",
            "http",
            "tower",
            "tower-http",
            "reqwest",
            "dte-store",
            "dte-web",
            "dte-app",
            "dte",
        ],
        no_io: true,
        no_clock: false,
    },
    // The application layer (issue 12): workflows without HTTP or templates, which are the
    // web layer's alone. Its records may derive utoipa's `ToSchema` (a description of their
    // shape) and nothing else of utoipa: `utoipa_only_describes_the_services_records` below.
    Rule {
        krate: "dte-app",
        forbidden: &[
            "axum",
            "axum-extra",
            "axum-server",
            "http",
            "hyper",
            "tower",
            "tower-http",
            "askama",
            "dte-web",
            "dte",
        ],
        no_io: false,
        no_clock: true,
    },
    // The web layer talks to the database only through dte-store's API.
    Rule {
        krate: "dte-web",
        forbidden: &["sqlx", "dte"],
        no_io: false,
        no_clock: false,
    },
    // The binary may use anything; it is the only crate that reads the environment.
    Rule {
        krate: "dte",
        forbidden: &[],
        no_io: false,
        no_clock: false,
    },
];

/// Crates of the table that do not exist yet, so their folder may be missing.
const NOT_YET: &[&str] = &[];

/// The one crate that reads the environment (ARCHITECTURE.md, `crates/dte`'s invariant).
const READS_ENVIRONMENT: &str = "dte";

/// Production files outside `dte` that read the environment today, each with its reason.
/// Shrink this list; never grow it.
const ENVIRONMENT_EXCEPTIONS: &[(&str, &str)] = &[
    // The test-database helper reads DTE_TEST_DATABASE_URL for other crates' tests; it is
    // compiled only with dte-store's `testing` feature, which production builds do not enable.
    ("dte-store", "src/testing.rs"),
];

const IO_PATHS: &[&str] = &["std::fs", "std::net", "std::process"];
const CLOCK_CALLS: &[&str] = &["Utc::now", "Local::now", "SystemTime::now", "Instant::now"];
const ENVIRONMENT_READS: &[&str] = &[
    "env::var",
    "env::var_os",
    "env::vars",
    "env::vars_os",
    "option_env!",
];

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

/// The folders of `crates/`, by name.
fn crate_folders(root: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(root.join("crates"))
        .unwrap()
        .map(|entry| entry.unwrap())
        .filter(|entry| entry.path().join("Cargo.toml").is_file())
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// Every `.rs` file under `dir`, sorted, skipping `target` folders.
fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(dir) = pending.pop() {
        let Ok(entries) = fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries {
            let path = entry.unwrap().path();
            if path.is_dir() {
                if path.file_name().is_some_and(|name| name != "target") {
                    pending.push(path);
                }
            } else if path.extension().is_some_and(|ext| ext == "rs") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

/// Whether a file of `src/` (path relative to it) is a test module by the workspace's
/// convention: `tests.rs`, `*_tests.rs`, or anything under a `tests/` folder.
fn is_test_file(relative: &Path) -> bool {
    let stem = relative
        .file_stem()
        .map(|stem| stem.to_string_lossy().into_owned())
        .unwrap_or_default();
    stem == "tests"
        || stem.ends_with("_tests")
        || relative
            .parent()
            .is_some_and(|dir| dir.components().any(|part| part.as_os_str() == "tests"))
}

/// The names of the crates a manifest depends on (normal, build and target-specific
/// dependencies, not dev-dependencies), by package name.
fn dependencies(manifest: &str) -> Vec<String> {
    let value: toml::Table = toml::from_str(manifest).unwrap();
    let mut tables: Vec<&toml::Table> = ["dependencies", "build-dependencies"]
        .iter()
        .filter_map(|name| value.get(*name).and_then(toml::Value::as_table))
        .collect();
    if let Some(targets) = value.get("target").and_then(toml::Value::as_table) {
        for target in targets.values().filter_map(toml::Value::as_table) {
            for name in ["dependencies", "build-dependencies"] {
                tables.extend(target.get(name).and_then(toml::Value::as_table));
            }
        }
    }
    let mut names: Vec<String> = tables
        .into_iter()
        .flat_map(|table| table.iter())
        .map(|(key, spec)| {
            spec.get("package")
                .and_then(toml::Value::as_str)
                .unwrap_or(key)
                .to_owned()
        })
        .collect();
    names.sort();
    names
}

/// The code of a Rust file without comments and with every string and character literal
/// emptied, so that only code is searched.
fn strip_comments_and_literals(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut index = 0;
    let ident = |c: char| c.is_alphanumeric() || c == '_';
    while index < chars.len() {
        let c = chars[index];
        let next = chars.get(index + 1).copied();
        if c == '/' && next == Some('/') {
            while index < chars.len() && chars[index] != '\n' {
                index += 1;
            }
        } else if c == '/' && next == Some('*') {
            let mut depth = 0;
            while index < chars.len() {
                if chars[index] == '/' && chars.get(index + 1) == Some(&'*') {
                    depth += 1;
                    index += 2;
                } else if chars[index] == '*' && chars.get(index + 1) == Some(&'/') {
                    depth -= 1;
                    index += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    index += 1;
                }
            }
            out.push(' ');
        } else if c == 'r'
            && matches!(next, Some('"' | '#'))
            && (index == 0 || !ident(chars[index - 1]))
        {
            // A raw string r"…" or r#"…"#: skip to the quote followed by as many hashes.
            let mut hashes = 0;
            let mut cursor = index + 1;
            while chars.get(cursor) == Some(&'#') {
                hashes += 1;
                cursor += 1;
            }
            if chars.get(cursor) != Some(&'"') {
                out.push(c);
                index += 1;
                continue;
            }
            cursor += 1;
            while cursor < chars.len() {
                if chars[cursor] == '"'
                    && (1..=hashes).all(|offset| chars.get(cursor + offset) == Some(&'#'))
                {
                    cursor += 1 + hashes;
                    break;
                }
                cursor += 1;
            }
            out.push_str("\"\"");
            index = cursor;
        } else if c == '"' {
            index += 1;
            while index < chars.len() && chars[index] != '"' {
                index += if chars[index] == '\\' { 2 } else { 1 };
            }
            index += 1;
            out.push_str("\"\"");
        } else if c == '\''
            && (next == Some('\\') || chars.get(index + 2) == Some(&'\''))
            && (index == 0 || !ident(chars[index - 1]))
        {
            // A character literal ('x', '\n', '\'', '\u{4e2d}'); a lifetime ('a) has no
            // closing quote.
            index += 3;
            if next == Some('\\') {
                while index < chars.len() && chars[index] != '\'' {
                    index += 1;
                }
                index += 1;
            }
            out.push_str("' '");
        } else {
            out.push(c);
            index += 1;
        }
    }
    out
}

/// The production code of a file: comments and literals stripped, and every inline test
/// module (`#[cfg(test)]` then `mod name { … }`) removed up to its closing brace.
fn production_code(text: &str) -> String {
    let mut code = strip_comments_and_literals(text);
    let mut from = 0;
    while let Some(found) = code[from..].find("#[cfg(test)]") {
        let start = from + found;
        let mut rest = code[start + "#[cfg(test)]".len()..].trim_start();
        // Skip further attributes between `#[cfg(test)]` and the item.
        while rest.starts_with("#[") {
            match rest.find(']') {
                Some(end) => rest = rest[end + 1..].trim_start(),
                None => break,
            }
        }
        let rest = rest.strip_prefix("pub(crate) ").unwrap_or(rest);
        let body = rest.strip_prefix("mod ").and_then(|after| {
            let name_end = after
                .find(|c: char| !(c.is_alphanumeric() || c == '_'))
                .unwrap_or(after.len());
            let tail = after[name_end..].trim_start();
            tail.starts_with('{').then(|| code.len() - tail.len())
        });
        match body.and_then(|open| closing_brace(&code, open)) {
            Some(close) => code.replace_range(start..=close, " "),
            None => from = start + 1,
        }
    }
    code
}

/// The index of the brace closing the one at `open` (literals are already emptied).
fn closing_brace(code: &str, open: usize) -> Option<usize> {
    let mut depth = 0usize;
    for (index, byte) in code.bytes().enumerate().skip(open) {
        match byte {
            b'{' => depth += 1,
            b'}' => {
                depth -= 1;
                if depth == 0 {
                    return Some(index);
                }
            }
            _ => {}
        }
    }
    None
}

/// Whether `code` names `path` (such as `tokio` or `std::fs`) as the start of a path: followed
/// by `::`, or a whole item of `use` or `extern crate` (`use dte_store;`), and not preceded by
/// an identifier or `::` (so `axum::http` names `axum`, not `http`). A name inside a braced
/// use tree (`use std::{fs, io}`) is not seen; the workspace writes such imports in full.
fn names_path(code: &str, path: &str) -> bool {
    let bytes = code.as_bytes();
    code.match_indices(path).any(|(start, _)| {
        let starts_path = start
            .checked_sub(1)
            .map(|index| bytes[index])
            .is_none_or(|b| !(b.is_ascii_alphanumeric() || b == b'_' || b == b':'));
        let after = &code[start + path.len()..];
        let before = code[..start].trim_end();
        let whole_item = (before.ends_with("use") || before.ends_with("crate"))
            && (after.trim_start().starts_with(';') || after.starts_with(" as "));
        starts_path && (after.starts_with("::") || whole_item)
    })
}

/// Whether `code` contains the call or path `needle` (such as `Utc::now`) as whole words.
fn names_word(code: &str, needle: &str) -> bool {
    let bytes = code.as_bytes();
    code.match_indices(needle).any(|(start, _)| {
        let before_ok = start
            .checked_sub(1)
            .map(|index| bytes[index])
            .is_none_or(|b| !(b.is_ascii_alphanumeric() || b == b'_'));
        let after_ok = bytes
            .get(start + needle.len())
            .is_none_or(|b| !(b.is_ascii_alphanumeric() || *b == b'_'));
        before_ok && after_ok
    })
}

/// The production files of a crate: `src/**/*.rs` without test files, with their code.
fn production_files(krate: &Path) -> Vec<(PathBuf, String)> {
    let src = krate.join("src");
    rust_files(&src)
        .into_iter()
        .filter(|file| !is_test_file(file.strip_prefix(&src).unwrap()))
        .map(|file| {
            let code = production_code(&fs::read_to_string(&file).unwrap());
            (file.strip_prefix(krate).unwrap().to_path_buf(), code)
        })
        .collect()
}

/// Every way a crate breaks its rule, one line each.
fn violations(root: &Path, rule: &Rule) -> Vec<String> {
    let krate = root.join("crates").join(rule.krate);
    let mut found = Vec::new();
    let manifest = fs::read_to_string(krate.join("Cargo.toml")).unwrap();
    for dependency in dependencies(&manifest) {
        if dependency == "xtask" {
            found.push(format!(
                "{}/Cargo.toml depends on xtask, which is not product",
                rule.krate
            ));
        }
        if rule.forbidden.contains(&dependency.as_str()) {
            found.push(format!(
                "{}/Cargo.toml depends on {dependency}, which its codemap forbids",
                rule.krate
            ));
        }
    }
    for (file, code) in production_files(&krate) {
        let file = file.display();
        for forbidden in rule.forbidden {
            if names_path(&code, &forbidden.replace('-', "_")) {
                found.push(format!("{}/{file} uses {forbidden}", rule.krate));
            }
        }
        if rule.no_io {
            for path in IO_PATHS.iter().filter(|path| names_word(&code, path)) {
                found.push(format!("{}/{file} does I/O through {path}", rule.krate));
            }
        }
        if rule.no_clock {
            for call in CLOCK_CALLS.iter().filter(|call| names_word(&code, call)) {
                found.push(format!("{}/{file} reads the clock with {call}", rule.krate));
            }
        }
    }
    found
}

#[test]
fn every_crate_has_a_row_in_the_table_and_every_row_a_crate() {
    let root = workspace_root();
    let folders = crate_folders(&root);
    for folder in &folders {
        assert!(
            RULES.iter().any(|rule| rule.krate == folder),
            "crates/{folder} has no row in xtask/src/tidy.rs's RULES: add one with its codemap's invariant"
        );
    }
    for rule in RULES {
        assert!(
            folders.iter().any(|folder| folder == rule.krate) || NOT_YET.contains(&rule.krate),
            "RULES names {}, which is not a folder of crates/",
            rule.krate
        );
    }
}

#[test]
fn no_crate_depends_on_or_uses_what_its_codemap_forbids() {
    let root = workspace_root();
    let mut found = Vec::new();
    let mut checked = 0;
    for rule in RULES {
        if !root.join("crates").join(rule.krate).is_dir() {
            assert!(
                NOT_YET.contains(&rule.krate),
                "crates/{} is missing",
                rule.krate
            );
            continue;
        }
        checked += 1;
        found.extend(violations(&root, rule));
    }
    assert!(checked >= 8, "only {checked} crates were checked");
    assert!(
        found.is_empty(),
        "imports the codemap (ARCHITECTURE.md) forbids:\n{}",
        found.join("\n")
    );
}

#[test]
fn utoipa_only_describes_the_services_records() {
    let root = workspace_root();
    let mut found = Vec::new();
    for (path, text) in production_files(&root.join("crates/dte-app")) {
        let code = production_code(&strip_comments_and_literals(&text));
        for line in code.lines().filter(|line| line.contains("utoipa")) {
            if line.trim() != "use utoipa::ToSchema;" {
                found.push(format!("{}: {}", path.display(), line.trim()));
            }
        }
    }
    assert!(
        found.is_empty(),
        "dte-app may only derive utoipa's ToSchema (the OpenAPI document is dte-web's):\n{}",
        found.join("\n")
    );
}

#[test]
fn only_the_binary_reads_the_environment() {
    let root = workspace_root();
    let mut found = Vec::new();
    for folder in crate_folders(&root) {
        if folder == READS_ENVIRONMENT {
            continue;
        }
        for (file, code) in production_files(&root.join("crates").join(&folder)) {
            let excepted = ENVIRONMENT_EXCEPTIONS
                .iter()
                .any(|(krate, path)| *krate == folder && file == Path::new(path));
            for read in ENVIRONMENT_READS
                .iter()
                .filter(|read| names_word(&code, read))
            {
                if !excepted {
                    found.push(format!(
                        "{folder}/{} reads the environment ({read})",
                        file.display()
                    ));
                }
            }
        }
    }
    assert!(
        found.is_empty(),
        "only `dte` reads the environment (ARCHITECTURE.md); pass the value in instead:\n{}",
        found.join("\n")
    );
}

/// STYLE.md and the working conditions: every file opens with a `//!` line saying what it is.
#[test]
fn every_rust_file_opens_with_a_doc_line() {
    let root = workspace_root();
    let mut files = rust_files(&root.join("crates"));
    files.extend(rust_files(&root.join("xtask")));
    assert!(files.len() > 100, "only {} files found", files.len());
    let missing: Vec<String> = files
        .iter()
        .filter(|file| !fs::read_to_string(file).unwrap().starts_with("//!"))
        .map(|file| file.strip_prefix(&root).unwrap().display().to_string())
        .collect();
    assert!(
        missing.is_empty(),
        "files without a //! first line:\n{}",
        missing.join("\n")
    );
}

#[test]
fn a_crate_is_found_only_where_a_path_starts_with_it() {
    assert!(names_path("use tokio::sync::Mutex;", "tokio"));
    assert!(names_path(
        "let pool = sqlx::SqlitePool::connect(url);",
        "sqlx"
    ));
    assert!(names_path("use dte_store;", "dte_store"));
    assert!(names_path(
        "use dte_store::{Store, StoreError};",
        "dte_store"
    ));
    assert!(names_path(
        "use std::{fmt, fs};\nuse std::fs::File;",
        "std::fs"
    ));
    assert!(!names_path("use axum::http::StatusCode;", "http"));
    assert!(!names_path("let tokio_runtime = 1;", "tokio"));
    assert!(!names_path("use dte_store_extra::X;", "dte_store"));
    assert!(!names_path("use dte_domain::Level;", "dte"));
    assert!(names_path("use dte::cli;", "dte"));
}

#[test]
fn comments_literals_and_test_modules_are_not_searched() {
    let text = r##"//! Never imports tokio.
use std::fmt; // tokio::spawn would be wrong here
/* sqlx::query in a block comment */
const URL: &str = "axum::Router";
const RAW: &str = r#"sqlx::query("x")"#;
const QUOTE: char = '"';
const ESCAPED: char = '\'';
const SLASH: &str = "http://tokio::spawn\" // sqlx::x";
fn code<'a>(x: &'a str) -> &'a str { x }
pub fn real() { chrono::Utc::now(); }

#[cfg(test)]
mod tests {
    use tokio::runtime::Runtime;
    fn braces() { let _ = ('{', "}"); }
}

pub fn after_the_tests() { let _ = std::fs::read("x"); }
"##;
    let code = production_code(text);
    assert!(!names_path(&code, "tokio"), "{code}");
    assert!(!names_path(&code, "sqlx"), "{code}");
    assert!(!names_path(&code, "axum"), "{code}");
    assert!(names_word(&code, "Utc::now"), "{code}");
    assert!(names_word(&code, "fn code"), "{code}");
    assert!(names_path(&code, "std::fs"), "{code}");
    assert!(is_test_file(Path::new("class_rules/tests/mod.rs")));
    assert!(is_test_file(Path::new("completion_tests.rs")));
    assert!(is_test_file(Path::new("reference/tests.rs")));
    assert!(!is_test_file(Path::new("testing.rs")));
}

#[test]
fn dependencies_are_read_by_package_name() {
    let manifest = r#"
[package]
name = "x"
[dependencies]
tokio.workspace = true
web = { package = "axum", version = "0.8" }
[dev-dependencies]
sqlx = "0.9"
[target.'cfg(unix)'.dependencies]
http = "1"
"#;
    assert_eq!(dependencies(manifest), ["axum", "http", "tokio"]);
}
