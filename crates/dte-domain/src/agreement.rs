//! Training agreements (培训协议): a city signs one with a listed training institution
//! (the plan's 六（一）: 与培训机构签订培训协议), numbered, dated, valid from a day to a day, for
//! the occupations it names, with the scanned agreement kept beside it.
//!
//! [`check_terms`] decides whether an agreement may be signed; [`AgreementTerms::covers`] is
//! the one place that says whether an agreement covers a class (its city, its occupation, its
//! start date), which `class_rules::check_training_agreement` asks at submission and approval.

use crate::OccupationCode;
use chrono::NaiveDate;

/// The longest agreement number, in characters.
pub const NUMBER_MAX_CHARS: usize = 64;

/// The longest an agreement may run, in days: the plan runs to 2030, and a typing slip of the
/// year ("2062") is refused rather than kept.
pub const VALIDITY_MAX_DAYS: i64 = 10 * 366;

/// What an agreement binds: the city (region), the occupations and the validity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgreementTerms {
    pub region: String,
    pub institution_id: i64,
    pub occupations: Vec<OccupationCode>,
    pub valid_from: NaiveDate,
    pub valid_to: NaiveDate,
}

/// An agreement as the city enters it, before it is signed into the record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAgreement {
    pub number: String,
    pub signed_on: NaiveDate,
    pub terms: AgreementTerms,
}

/// Why an agreement is refused: the field at fault, a stable code and a Chinese message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct AgreementRefusal {
    pub field: &'static str,
    pub code: &'static str,
    pub message: String,
}

impl AgreementTerms {
    /// Whether the agreement covers a class of `occupation` in `region` starting on `starts_on`
    /// with the institution `institution_id`: the same city and institution, the occupation
    /// named, the start date within the validity (both ends included).
    pub fn covers(
        &self,
        region: &str,
        institution_id: i64,
        occupation: &OccupationCode,
        starts_on: NaiveDate,
    ) -> bool {
        self.region == region
            && self.institution_id == institution_id
            && self.occupations.contains(occupation)
            && (self.valid_from..=self.valid_to).contains(&starts_on)
    }
}

/// Every fault of an agreement about to be signed, in field order: the number (1 to
/// [`NUMBER_MAX_CHARS`] characters, no control characters), the signing date (not after
/// today), the validity (from ≤ to, at most [`VALIDITY_MAX_DAYS`], not ending before it was
/// signed), the occupations (at least one, each once), and the institution (active and listed
/// for each occupation on the signing day, as `listed(occupation)` says).
pub fn check_terms(
    agreement: &NewAgreement,
    today: NaiveDate,
    institution_active: bool,
    listed: impl Fn(&OccupationCode) -> bool,
) -> Vec<AgreementRefusal> {
    let mut refusals = Vec::new();
    let mut refuse = |field, code, message: String| {
        refusals.push(AgreementRefusal {
            field,
            code,
            message,
        })
    };
    let number = agreement.number.trim();
    if number.is_empty()
        || number.chars().count() > NUMBER_MAX_CHARS
        || number.chars().any(char::is_control)
    {
        refuse(
            "number",
            "number_invalid",
            format!("请填写协议编号（1 至 {NUMBER_MAX_CHARS} 个字符）"),
        );
    }
    if agreement.signed_on > today {
        refuse(
            "signed_on",
            "signed_in_future",
            format!("签订日期 {} 晚于今天（{today}）", agreement.signed_on),
        );
    }
    let terms = &agreement.terms;
    if terms.valid_from > terms.valid_to {
        refuse(
            "valid_to",
            "validity_reversed",
            format!(
                "有效期止 {} 早于有效期起 {}",
                terms.valid_to, terms.valid_from
            ),
        );
    } else if (terms.valid_to - terms.valid_from).num_days() > VALIDITY_MAX_DAYS {
        refuse(
            "valid_to",
            "validity_too_long",
            format!(
                "有效期自 {} 至 {} 超过 10 年，请核对年份",
                terms.valid_from, terms.valid_to
            ),
        );
    } else if terms.valid_to < agreement.signed_on {
        refuse(
            "valid_to",
            "validity_before_signing",
            format!(
                "有效期止 {} 早于签订日期 {}",
                terms.valid_to, agreement.signed_on
            ),
        );
    }
    if terms.occupations.is_empty() {
        refuse(
            "occupations",
            "occupations_missing",
            "请至少选择一个协议覆盖的职业".to_owned(),
        );
    }
    for (index, occupation) in terms.occupations.iter().enumerate() {
        if terms.occupations[..index].contains(occupation) {
            refuse(
                "occupations",
                "occupation_repeated",
                format!("职业 {occupation} 重复填写"),
            );
        }
    }
    if !institution_active {
        refuse(
            "institution_id",
            "institution_inactive",
            "培训机构已被暂停或移出目录，不能签订培训协议".to_owned(),
        );
    }
    for occupation in &terms.occupations {
        if !listed(occupation) {
            refuse(
                "occupations",
                "institution_not_listed",
                format!(
                    "培训机构未列入职业 {occupation} 的培训机构目录（附件1），协议不能覆盖该职业"
                ),
            );
        }
    }
    refusals
}

#[cfg(test)]
mod tests;
