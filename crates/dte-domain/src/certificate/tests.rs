//! Certificates: the institution's numbering scheme (SPEC step 5, "number set by the
//! institution's scheme"; issue 6 item 2) and the canonical form the signature covers (issue 6
//! item 5).
#![allow(clippy::unwrap_used)]

use super::*;
use crate::{Level, OccupationCode};
use chrono::NaiveDate;

#[test]
fn issue_6_a_pattern_with_year_and_padded_sequence_numbers_the_institutions_certificates() {
    let pattern = NumberPattern::parse(" LNPX{year}-{seq:5} ").unwrap();
    assert_eq!(pattern.as_str(), "LNPX{year}-{seq:5}");
    assert_eq!(pattern.render(2026, 1), "LNPX2026-00001");
    assert_eq!(pattern.render(2026, 123_456), "LNPX2026-123456");
    assert_eq!(pattern.period(2026), 2026);
    let plain = NumberPattern::parse("SYJX-{seq}").unwrap();
    assert_eq!(plain.render(2027, 42), "SYJX-42");
    assert_eq!(plain.period(2027), 0, "no {{year}}: one sequence for ever");
}

#[test]
fn issue_6_patterns_are_validated_with_a_message_the_institution_can_act_on() {
    let cases = [
        ("", PatternError::Blank),
        ("{year}-{seq:5}", PatternError::NoPrefix),
        ("9PX{seq:3}", PatternError::NoPrefix),
        ("PX{year}", PatternError::Sequence),
        ("PX{seq:2}{seq:3}", PatternError::Sequence),
        ("PX{year}{year}{seq:3}", PatternError::RepeatedYear),
        ("PX/{seq:3}", PatternError::BadCharacter('/')),
        ("培训{seq:3}", PatternError::BadCharacter('培')),
        (
            "PX{seq:0}",
            PatternError::UnknownPlaceholder("{seq:0}".into()),
        ),
        (
            "PX{seq:10}",
            PatternError::UnknownPlaceholder("{seq:10}".into()),
        ),
        (
            "PX{month}{seq}",
            PatternError::UnknownPlaceholder("{month}".into()),
        ),
        ("PX{seq", PatternError::UnknownPlaceholder("{seq".into())),
        (&"P".repeat(41), PatternError::TooLong),
    ];
    for (text, expected) in cases {
        assert_eq!(NumberPattern::parse(text), Err(expected), "{text}");
    }
    assert_eq!(
        PatternError::NoPrefix.to_string(),
        "证书编号规则应以英文字母开头（机构自己的前缀），如 LNPX{year}-{seq:5}"
    );
}

fn fields() -> SignedFields {
    SignedFields {
        number: "LNPX2026-00001".into(),
        kind: CertificateKind::Training,
        holder: "张\"三\\\n".into(),
        issuer: "辽宁省数字技术职业培训学校".into(),
        occupation: OccupationCode::parse("2-02-10-09").unwrap(),
        occupation_name: "人工智能工程技术人员".into(),
        direction: None,
        level: Level::Intermediate,
        start: NaiveDate::from_ymd_opt(2026, 3, 2),
        end: NaiveDate::from_ymd_opt(2026, 4, 30),
        hours: Some(80),
        id_kind: None,
        issued: NaiveDate::from_ymd_opt(2026, 5, 8).unwrap(),
    }
}

#[test]
fn issue_6_the_canonical_form_is_sorted_compact_json_with_nulls_and_jcs_escapes() {
    assert_eq!(
        fields().canonical(),
        concat!(
            r#"{"direction":null,"end":"2026-04-30","holder":"张\"三\\\n","hours":80,"#,
            r#""id_kind":null,"issued":"2026-05-08","issuer":"辽宁省数字技术职业培训学校","#,
            r#""kind":"training","level":"intermediate","number":"LNPX2026-00001","#,
            r#""occupation":"2-02-10-09","occupation_name":"人工智能工程技术人员","#,
            r#""start":"2026-03-02","version":"dte-certificate-v1"}"#
        )
    );
    let mut control = fields();
    control.holder = "a\u{1}b\tc".into();
    assert!(control.canonical().contains(r#""holder":"a\u0001b\tc""#));
}

#[test]
fn issue_6_any_changed_field_changes_the_canonical_form() {
    let original = fields().canonical();
    type Change = Box<dyn Fn(&mut SignedFields)>;
    let changes: Vec<Change> = vec![
        Box::new(|f| f.number.push('9')),
        Box::new(|f| f.kind = CertificateKind::Level),
        Box::new(|f| f.holder = "李四".into()),
        Box::new(|f| f.issuer.push('校')),
        Box::new(|f| f.occupation = OccupationCode::parse("2-02-10-10").unwrap()),
        Box::new(|f| f.occupation_name.push('员')),
        Box::new(|f| f.direction = Some("机器学习".into())),
        Box::new(|f| f.level = Level::Senior),
        Box::new(|f| f.start = None),
        Box::new(|f| f.end = NaiveDate::from_ymd_opt(2026, 5, 1)),
        Box::new(|f| f.hours = Some(81)),
        Box::new(|f| f.id_kind = Some("居民身份证".into())),
        Box::new(|f| f.issued = NaiveDate::from_ymd_opt(2026, 5, 9).unwrap()),
    ];
    for (index, change) in changes.iter().enumerate() {
        let mut altered = fields();
        change(&mut altered);
        assert_ne!(altered.canonical(), original, "change {index}");
    }
}

#[test]
fn kinds_statuses_and_revocation_reasons_parse_and_say_themselves_in_chinese() {
    for kind in CertificateKind::ALL {
        assert_eq!(CertificateKind::parse(kind.as_str()), Ok(kind));
    }
    assert!(CertificateKind::parse("diploma").is_err());
    assert_eq!(CertificateKind::Level.label(), "专业技术等级证书");
    assert_eq!(
        CertificateStatus::parse("revoked"),
        Some(CertificateStatus::Revoked)
    );
    assert_eq!(
        RevocationReason::parse("  "),
        Err(RevocationReasonError::Blank)
    );
    assert_eq!(
        RevocationReason::parse(" 考勤造假 ").unwrap().as_str(),
        "考勤造假"
    );
    assert_eq!(
        RevocationReason::parse(&"错".repeat(201)),
        Err(RevocationReasonError::TooLong)
    );
}

/// 附件3 certifies a training that ended ("…至…参加…培训，经考核合格，准予结业") and 三（二） a
/// level evaluation already held: a certificate is dated from that day to today, never before
/// and never ahead.
#[test]
fn annex_3_a_certificate_is_dated_between_what_it_certifies_and_today() {
    let day = |d| NaiveDate::from_ymd_opt(2026, 11, d).unwrap();
    let (end, today) = (day(11), day(27));
    assert_eq!(
        check_issue_date(CertificateKind::Training, day(11), end, today),
        Ok(())
    );
    assert_eq!(
        check_issue_date(CertificateKind::Training, day(27), end, today),
        Ok(())
    );
    let early = check_issue_date(CertificateKind::Training, day(10), end, today).unwrap_err();
    assert_eq!(
        early.to_string(),
        "发证日期不能早于培训结束日期（2026-11-11）"
    );
    let ahead = check_issue_date(CertificateKind::Level, day(28), end, today).unwrap_err();
    assert_eq!(ahead, IssueDateError::InTheFuture { today });
    assert_eq!(ahead.to_string(), "发证日期不能晚于今天（2026-11-27）");
    let before_exam = check_issue_date(CertificateKind::Level, day(1), end, today).unwrap_err();
    assert!(before_exam.to_string().contains("考核日期"));
}
