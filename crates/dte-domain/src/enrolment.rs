//! The vocabulary of real-name enrolment (学员招收, SPEC step 3): a trainee's category. The
//! eligibility engine that decides seats and subsidies is [`crate::eligibility`].

use std::fmt;

/// The trainee categories of the plan (培训对象): people in post, people about to enter a
/// digital occupation, and full-time university students in their graduating year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TraineeCategory {
    /// 在岗: employed in a digital-technology post; the employer is recorded.
    InPost,
    /// 拟从事: intending to work in a digital-technology post.
    Prospective,
    /// 全日制高校毕业学年学生: graduating student; the school and graduation year are recorded.
    GraduatingStudent,
}

impl TraineeCategory {
    pub const ALL: [TraineeCategory; 3] = [
        TraineeCategory::InPost,
        TraineeCategory::Prospective,
        TraineeCategory::GraduatingStudent,
    ];

    /// The stable spelling used in the API and the database.
    pub fn as_str(self) -> &'static str {
        match self {
            TraineeCategory::InPost => "in_post",
            TraineeCategory::Prospective => "prospective",
            TraineeCategory::GraduatingStudent => "graduating_student",
        }
    }

    /// The Chinese label shown to people and used in roster workbooks.
    pub fn label(self) -> &'static str {
        match self {
            TraineeCategory::InPost => "在岗",
            TraineeCategory::Prospective => "拟从事",
            TraineeCategory::GraduatingStudent => "全日制高校毕业学年学生",
        }
    }

    /// Parses the API spelling or the Chinese label (also the short 毕业学年学生).
    pub fn parse(text: &str) -> Option<TraineeCategory> {
        let text = text.trim();
        if text == "毕业学年学生" {
            return Some(TraineeCategory::GraduatingStudent);
        }
        TraineeCategory::ALL
            .into_iter()
            .find(|category| category.as_str() == text || category.label() == text)
    }
}

impl fmt::Display for TraineeCategory {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(self.label())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// SPEC step 3: 在岗 / 拟从事 / 全日制高校毕业学年学生.
    #[test]
    fn categories_parse_from_their_chinese_labels() {
        for category in TraineeCategory::ALL {
            assert_eq!(TraineeCategory::parse(category.label()), Some(category));
            assert_eq!(TraineeCategory::parse(category.as_str()), Some(category));
        }
        assert_eq!(TraineeCategory::parse("学生"), None);
    }
}
