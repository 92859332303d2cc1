//! The three levels of the professional technical level system: 初级, 中级, 高级.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A professional technical level (专业技术等级), as the plan's 附件5 columns name them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// 初级
    Junior,
    /// 中级
    Intermediate,
    /// 高级
    Senior,
}

/// The text given was neither an English level name nor its Chinese label.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("“{0}”不是有效的等级，应为 初级、中级 或 高级")]
pub struct UnknownLevel(pub String);

impl Level {
    /// Every level, lowest first.
    pub const ALL: [Level; 3] = [Level::Junior, Level::Intermediate, Level::Senior];

    /// Parses the API spelling (`junior`) or the Chinese label (`初级`).
    pub fn parse(text: &str) -> Result<Level, UnknownLevel> {
        match text.trim() {
            "junior" | "初级" => Ok(Level::Junior),
            "intermediate" | "中级" => Ok(Level::Intermediate),
            "senior" | "高级" => Ok(Level::Senior),
            other => Err(UnknownLevel(other.to_owned())),
        }
    }

    /// The stable spelling used in the API and the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Junior => "junior",
            Level::Intermediate => "intermediate",
            Level::Senior => "senior",
        }
    }

    /// The Chinese label shown to people.
    pub fn label(self) -> &'static str {
        match self {
            Level::Junior => "初级",
            Level::Intermediate => "中级",
            Level::Senior => "高级",
        }
    }
}

impl fmt::Display for Level {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(self.label())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 附件5 names the levels 初级, 中级 and 高级; the API names them junior, intermediate, senior.
    #[test]
    fn levels_parse_from_the_plans_chinese_labels_and_the_api_names() {
        for level in Level::ALL {
            assert_eq!(Level::parse(level.label()), Ok(level));
            assert_eq!(Level::parse(level.as_str()), Ok(level));
        }
        assert_eq!(Level::parse("中级"), Ok(Level::Intermediate));
    }

    #[test]
    fn an_unknown_level_is_refused_with_the_valid_choices() {
        let error = Level::parse("特级").unwrap_err();
        assert!(error.to_string().contains("初级、中级 或 高级"));
    }

    /// A higher level blocks subsidy for a lower one (SPEC policy settings), so levels order.
    #[test]
    fn levels_are_ordered_from_junior_to_senior() {
        assert!(Level::Junior < Level::Intermediate && Level::Intermediate < Level::Senior);
    }
}
