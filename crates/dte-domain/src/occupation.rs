//! Occupation codes of the 职业分类大典 (e.g. `2-02-10-11`).

use serde::{Deserialize, Serialize};
use std::fmt;

/// An occupation code of the national occupational classification: `D-DD-DD-DD`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct OccupationCode(String);

/// The text is not an occupation code of the form `2-02-10-11`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("“{0}”不是有效的职业代码，格式应为 2-02-10-11")]
pub struct InvalidOccupationCode(pub String);

impl OccupationCode {
    /// Parses `D-DD-DD-DD`.
    pub fn parse(text: &str) -> Result<OccupationCode, InvalidOccupationCode> {
        let text = text.trim();
        let groups: Vec<&str> = text.split('-').collect();
        let widths_match = groups.len() == 4
            && groups[0].len() == 1
            && groups[1..].iter().all(|group| group.len() == 2);
        let all_digits = groups
            .iter()
            .all(|group| group.bytes().all(|byte| byte.is_ascii_digit()));
        if widths_match && all_digits {
            Ok(OccupationCode(text.to_owned()))
        } else {
            Err(InvalidOccupationCode(text.to_owned()))
        }
    }

    /// The code as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for OccupationCode {
    type Error = InvalidOccupationCode;
    fn try_from(text: String) -> Result<Self, Self::Error> {
        OccupationCode::parse(&text)
    }
}

impl From<OccupationCode> for String {
    fn from(code: OccupationCode) -> String {
        code.0
    }
}

impl fmt::Display for OccupationCode {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 附件5 lists codes such as 2-02-10-11 (大数据工程技术人员) and 2-02-30-11 (数字化管理师).
    #[test]
    fn codes_of_annex_5_parse() {
        for code in ["2-02-10-11", "2-02-30-11", "2-02-09-06"] {
            assert_eq!(OccupationCode::parse(code).unwrap().as_str(), code);
        }
    }

    #[test]
    fn malformed_codes_are_refused() {
        for code in [
            "",
            "2-02-10",
            "2-2-10-11",
            "2-02-10-1a",
            "22-02-10-11",
            "2-02-10-11-1",
        ] {
            assert!(
                OccupationCode::parse(code).is_err(),
                "{code} should be refused"
            );
        }
    }
}
