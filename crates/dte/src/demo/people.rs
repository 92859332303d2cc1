//! The demo's trainees: fictional people made from fixed tables by a seeded generator, so two
//! runs enrol the same names, ID numbers and phones. ID numbers are built as GB 11643 asks —
//! a Liaoning division code (GB/T 2260), a birth date, a sequence number and the check
//! character from `dte_domain::resident_id::check_character` — and then parsed like any
//! other input. They belong to no one the demo knows of; no real person's data is used.

use chrono::{Datelike, Days, NaiveDate};
use dte_app::classes::enrol::Trainee;
use dte_domain::eligibility::graduating_academic_year;
use dte_domain::{Funding, Phone, ResidentId, TraineeCategory};
use std::collections::HashSet;

/// A small deterministic generator (SplitMix64): the demo needs repeatable variety, not
/// secrecy; secrets (keys, salts, activation codes, passwords) come from dte-crypto.
#[derive(Debug, Clone)]
pub struct Generator(u64);

impl Generator {
    pub fn new(seed: u64) -> Generator {
        Generator(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..bound` (`bound` > 0).
    pub fn below(&mut self, bound: u64) -> u64 {
        self.next_u64() % bound.max(1)
    }

    /// One item of a non-empty slice.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        let index = usize::try_from(self.below(items.len() as u64)).unwrap_or(0);
        &items[index.min(items.len().saturating_sub(1))]
    }
}

/// What a class's roster is drawn for.
#[derive(Debug, Clone)]
pub struct RosterRequest<'a> {
    pub region: &'a str,
    pub funding: Funding,
    pub start_date: NaiveDate,
    pub count: usize,
    /// Where the class's graduating students study.
    pub school: &'a str,
    /// The subsidy categories enabled on the enrolment day.
    pub enabled_subsidies: &'a [String],
    /// The enrolment day (for parsing ID numbers).
    pub today: NaiveDate,
}

/// Draws a class's trainees. `taken` holds every ID number drawn so far, so nobody is drawn
/// twice (the same number under two names would be refused, as it should be).
pub fn roster(
    generator: &mut Generator,
    taken: &mut HashSet<String>,
    request: &RosterRequest<'_>,
) -> anyhow::Result<Vec<Trainee>> {
    let mut trainees = Vec::with_capacity(request.count);
    for _ in 0..request.count {
        trainees.push(trainee(generator, taken, request)?);
    }
    Ok(trainees)
}

fn trainee(
    generator: &mut Generator,
    taken: &mut HashSet<String>,
    request: &RosterRequest<'_>,
) -> anyhow::Result<Trainee> {
    let start = request.start_date;
    let roll = generator.below(100);
    let (category, age) = if roll < 55 {
        (TraineeCategory::InPost, 24 + generator.below(27))
    } else if roll < 82 {
        (TraineeCategory::Prospective, 20 + generator.below(21))
    } else {
        (TraineeCategory::GraduatingStudent, 21 + generator.below(3))
    };
    // The graduating academic year that holds the class's first day (September to August).
    let graduation_year = (category == TraineeCategory::GraduatingStudent).then(|| {
        if start.month() >= 9 {
            start.year() + 1
        } else {
            start.year()
        }
    });
    if let Some(year) = graduation_year {
        let fits = graduating_academic_year(year)
            .is_some_and(|(first, last)| (first..=last).contains(&start));
        anyhow::ensure!(
            fits,
            "演示数据有误：{year} 年毕业的学生不在 {start} 开班的毕业学年内"
        );
    }
    let birth_year = start.year() - i32::try_from(age).unwrap_or(30);
    let birth_date = NaiveDate::from_ymd_opt(birth_year, 1, 1)
        .and_then(|first| first.checked_add_days(Days::new(generator.below(365))))
        .ok_or_else(|| anyhow::anyhow!("演示数据有误：无法生成出生日期"))?;
    let resident_id = resident_id(generator, taken, request, birth_date)?;
    let name = format!(
        "{}{}",
        generator.pick(SURNAMES),
        generator.pick(GIVEN_NAMES)
    );
    let phone_text = format!(
        "{}{:08}",
        generator.pick(MOBILE_PREFIXES),
        generator.below(100_000_000)
    );
    let phone = Phone::parse(&phone_text)
        .map_err(|error| anyhow::anyhow!("演示数据有误：手机号码 {error}"))?;
    let employer_or_school = match category {
        TraineeCategory::InPost => format!("{}{}", request.region, generator.pick(EMPLOYERS)),
        TraineeCategory::Prospective => String::new(),
        TraineeCategory::GraduatingStudent => request.school.to_owned(),
    };
    let subsidy_category = if request.funding == Funding::Subsidised && generator.below(100) < 75 {
        let wanted: &[&str] = match category {
            TraineeCategory::InPost => &["employee"],
            TraineeCategory::Prospective => {
                &["registered_unemployed", "rural_migrant", "poor_family"]
            }
            TraineeCategory::GraduatingStudent => &["graduate"],
        };
        let code = *generator.pick(wanted);
        request
            .enabled_subsidies
            .iter()
            .any(|enabled| enabled == code)
            .then(|| code.to_owned())
    } else {
        None
    };
    Ok(Trainee {
        name,
        resident_id,
        phone,
        category,
        employer_or_school,
        graduation_year,
        subsidy_category,
        commitment_signed: generator.below(10) < 9,
    })
}

/// A valid, not yet drawn ID number of someone born on `birth_date`, registered in the
/// class's region most of the time and elsewhere in Liaoning otherwise.
fn resident_id(
    generator: &mut Generator,
    taken: &mut HashSet<String>,
    request: &RosterRequest<'_>,
    birth_date: NaiveDate,
) -> anyhow::Result<ResidentId> {
    let home = DIVISIONS
        .iter()
        .find(|(region, _)| *region == request.region)
        .map_or(SHENFU_DIVISIONS, |(_, codes)| *codes);
    for _ in 0..100 {
        let codes = if generator.below(10) < 8 {
            home
        } else {
            generator.pick(DIVISIONS).1
        };
        let first_seventeen = format!(
            "{}{}{:03}",
            generator.pick(codes),
            birth_date.format("%Y%m%d"),
            generator.below(1000)
        );
        let text = format!(
            "{first_seventeen}{}",
            dte_domain::resident_id::check_character(&first_seventeen)
        );
        if taken.insert(text.clone()) {
            return ResidentId::parse(&text, request.today)
                .map_err(|error| anyhow::anyhow!("演示数据有误：公民身份号码 {error}"));
        }
    }
    anyhow::bail!("演示数据有误：无法生成不重复的公民身份号码")
}

/// Common surnames of Liaoning, the Manchu ones (关, 佟, 那, 富) included.
const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "马", "朱", "胡", "郭",
    "何", "高", "林", "罗", "郑", "梁", "谢", "宋", "唐", "韩", "冯", "于", "董", "程", "曹", "袁",
    "邓", "许", "沈", "曾", "彭", "吕", "苏", "卢", "蒋", "蔡", "贾", "丁", "魏", "薛", "叶", "关",
    "佟", "那", "富", "白", "孟", "崔", "姜", "尹", "金", "常", "鲁", "隋",
];

/// Given names, one or two characters.
const GIVEN_NAMES: &[&str] = &[
    "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明",
    "超", "霞", "平", "刚", "鑫", "鹏", "旭", "琳", "楠", "晶", "博", "雪", "婷", "宁", "浩然",
    "子涵", "宇航", "欣怡", "思远", "雨桐", "博文", "嘉怡", "俊杰", "晓东", "海波", "丽娜", "志强",
    "春梅", "红岩", "立新", "冬梅", "晓光", "振宇", "佳琪", "文博", "一鸣", "天宇", "梦瑶", "子轩",
    "诗涵", "明轩", "思彤", "家豪", "雅琴",
];

/// Kinds of employer of people in post, after the region's name: plainly invented, so no
/// real company is named.
const EMPLOYERS: &[&str] = &[
    "某数据科技有限公司",
    "某智能装备制造有限公司",
    "某软件开发有限公司",
    "某信息技术服务有限公司",
    "某电子元器件有限公司",
    "某石化企业信息中心",
    "某供电公司数字化部",
    "某汽车零部件有限公司",
    "某物流园区运营公司",
    "某银行分行科技部",
    "某医院信息科",
    "某区政务服务中心",
];

/// Mobile number prefixes of the three carriers.
const MOBILE_PREFIXES: &[&str] = &[
    "130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152", "155",
    "158", "159", "177", "180", "181", "185", "186", "187", "189", "199",
];

/// County-level division codes (GB/T 2260) of each city of Liaoning.
const DIVISIONS: &[(&str, &[&str])] = &[
    (
        "沈阳",
        &[
            "210102", "210103", "210104", "210105", "210106", "210111", "210112", "210113",
            "210114",
        ],
    ),
    (
        "大连",
        &[
            "210202", "210203", "210204", "210211", "210212", "210213", "210214", "210281",
        ],
    ),
    ("鞍山", &["210302", "210303", "210304", "210311", "210381"]),
    ("抚顺", &["210402", "210403", "210404", "210411", "210421"]),
    ("本溪", &["210502", "210503", "210504", "210505", "210521"]),
    ("丹东", &["210602", "210603", "210604", "210681", "210682"]),
    ("锦州", &["210702", "210703", "210711", "210781", "210782"]),
    (
        "营口",
        &["210802", "210803", "210804", "210811", "210881", "210882"],
    ),
    (
        "阜新",
        &["210902", "210903", "210904", "210905", "210911", "210921"],
    ),
    (
        "辽阳",
        &["211002", "211003", "211004", "211005", "211011", "211081"],
    ),
    ("盘锦", &["211102", "211103", "211104", "211122"]),
    ("铁岭", &["211202", "211204", "211221", "211281", "211282"]),
    ("朝阳", &["211302", "211303", "211321", "211381", "211382"]),
    (
        "葫芦岛",
        &["211402", "211403", "211404", "211421", "211481"],
    ),
];

/// 沈抚示范区 has no division code of its own: its people are registered in 沈阳 or 抚顺.
const SHENFU_DIVISIONS: &[&str] = &["210112", "210411", "210404", "210421"];

#[cfg(test)]
mod tests {
    use super::*;

    fn request(enabled: &[String]) -> RosterRequest<'_> {
        RosterRequest {
            region: "沈抚示范区",
            funding: Funding::Subsidised,
            start_date: NaiveDate::from_ymd_opt(2026, 9, 14).expect("a date"),
            count: 200,
            school: "东北大学",
            enabled_subsidies: enabled,
            today: NaiveDate::from_ymd_opt(2026, 9, 1).expect("a date"),
        }
    }

    /// GB 11643 and SPEC step 3: every drawn number parses, is from Liaoning (21), and no
    /// number is drawn twice; graduating students graduate in the class's academic year.
    #[test]
    fn drawn_trainees_are_valid_distinct_liaoning_people() {
        let enabled = vec!["employee".to_owned(), "graduate".to_owned()];
        let mut taken = HashSet::new();
        let trainees =
            roster(&mut Generator::new(7), &mut taken, &request(&enabled)).expect("a roster");
        assert_eq!(taken.len(), 200);
        for trainee in &trainees {
            assert!(trainee.resident_id.expose().starts_with("21"));
            if trainee.category == TraineeCategory::GraduatingStudent {
                assert_eq!(trainee.graduation_year, Some(2027));
            }
            if let Some(code) = &trainee.subsidy_category {
                assert!(enabled.contains(code), "{code} is not enabled");
            }
        }
        assert!(
            trainees
                .iter()
                .any(|trainee| trainee.subsidy_category.is_some())
        );
    }

    #[test]
    fn the_same_seed_draws_the_same_people() {
        let draw = || {
            roster(&mut Generator::new(11), &mut HashSet::new(), &request(&[]))
                .expect("a roster")
                .into_iter()
                .map(|trainee| (trainee.name, trainee.resident_id.expose().to_owned()))
                .collect::<Vec<_>>()
        };
        assert_eq!(draw(), draw());
    }
}
