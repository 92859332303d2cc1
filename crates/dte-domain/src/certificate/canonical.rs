//! The canonical form of a certificate's fields: the exact bytes its Ed25519 signature covers.
//!
//! **The form** (version `dte-certificate-v1`): one JSON object in UTF-8 with exactly the keys
//! below, sorted by code point, no whitespace, strings escaped as JSON requires (`"` `\\` and
//! control characters only: `\b \f \n \r \t`, others as `\u00xx`; every other character as
//! itself), integers in decimal, absent values as `null`, dates as `YYYY-MM-DD`. This is RFC
//! 8785 (JCS) for these value types, and what Python's
//! `json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False)` writes, so
//! anyone can rebuild it from a certificate in hand:
//!
//! | key | value |
//! |---|---|
//! | `direction` | 职业方向, or null |
//! | `end` | the training's last day (training), or null |
//! | `holder` | the holder's name as printed |
//! | `hours` | 学时 (training), or null |
//! | `id_kind` | 证件类别 (level), or null |
//! | `issued` | 发证日期 |
//! | `issuer` | the issuing institution's name as printed |
//! | `kind` | `training` or `level` |
//! | `level` | `junior`, `intermediate` or `senior` |
//! | `number` | 证书编号 |
//! | `occupation` | the occupation's code, e.g. `2-02-10-09` |
//! | `occupation_name` | 职业名称 as printed |
//! | `start` | the training's first day (training), or null |
//! | `version` | `dte-certificate-v1` |
//!
//! The 证件号码 is deliberately not in the form: the signature travels in the QR code and in
//! the public verification address, and must not become a way to test guesses of it.

use super::CertificateKind;
use crate::{Level, OccupationCode};
use chrono::NaiveDate;

/// The version written into every canonical form.
pub const CANONICAL_VERSION: &str = "dte-certificate-v1";

/// The fields of a certificate that its signature covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedFields {
    pub number: String,
    pub kind: CertificateKind,
    pub holder: String,
    pub issuer: String,
    pub occupation: OccupationCode,
    pub occupation_name: String,
    pub direction: Option<String>,
    pub level: Level,
    /// Training only: the class's first and last day and its hours.
    pub start: Option<NaiveDate>,
    pub end: Option<NaiveDate>,
    pub hours: Option<u32>,
    /// Level only: 证件类别.
    pub id_kind: Option<String>,
    pub issued: NaiveDate,
}

/// A value of the canonical form.
enum Value<'a> {
    Text(&'a str),
    Number(u32),
    Null,
}

impl SignedFields {
    /// The canonical form (see the module's documentation), as the bytes to sign.
    pub fn canonical(&self) -> String {
        let start = self.start.map(|date| date.to_string());
        let end = self.end.map(|date| date.to_string());
        let issued = self.issued.to_string();
        let entries: [(&str, Value<'_>); 14] = [
            ("direction", optional(self.direction.as_deref())),
            ("end", optional(end.as_deref())),
            ("holder", Value::Text(&self.holder)),
            ("hours", self.hours.map_or(Value::Null, Value::Number)),
            ("id_kind", optional(self.id_kind.as_deref())),
            ("issued", Value::Text(&issued)),
            ("issuer", Value::Text(&self.issuer)),
            ("kind", Value::Text(self.kind.as_str())),
            ("level", Value::Text(self.level.as_str())),
            ("number", Value::Text(&self.number)),
            ("occupation", Value::Text(self.occupation.as_str())),
            ("occupation_name", Value::Text(&self.occupation_name)),
            ("start", optional(start.as_deref())),
            ("version", Value::Text(CANONICAL_VERSION)),
        ];
        let mut out = String::from("{");
        for (index, (key, value)) in entries.iter().enumerate() {
            if index > 0 {
                out.push(',');
            }
            push_string(&mut out, key);
            out.push(':');
            match value {
                Value::Text(text) => push_string(&mut out, text),
                Value::Number(number) => out.push_str(&number.to_string()),
                Value::Null => out.push_str("null"),
            }
        }
        out.push('}');
        out
    }
}

fn optional(value: Option<&str>) -> Value<'_> {
    value.map_or(Value::Null, Value::Text)
}

/// Writes a JSON string with JCS's escaping.
fn push_string(out: &mut String, text: &str) {
    out.push('"');
    for character in text.chars() {
        match character {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            control if u32::from(control) < 0x20 => {
                out.push_str(&format!("\\u{:04x}", u32::from(control)))
            }
            other => out.push(other),
        }
    }
    out.push('"');
}
