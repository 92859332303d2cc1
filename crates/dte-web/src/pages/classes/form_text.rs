//! The class form's text read into the API's `ClassInput` and back: the numbers, the fence's
//! vertices and the timetable pasted from a spreadsheet, one session per line. Only the shape
//! of the text is checked here; `plan::parse` and the workflow decide everything else.

use super::FormErrors;
use dte_app::classes::plan::{ClassInput, FenceInput, Point, SessionInput};
use dte_domain::class::Delivery;
use serde::Deserialize;

/// The plan as the form sends it: every field as typed, so a refused form shows it again.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ClassForm {
    pub title: String,
    pub occupation: String,
    pub direction: String,
    pub level: String,
    pub funding: String,
    pub region: String,
    pub venue_address: String,
    pub venue_lat: String,
    pub venue_lon: String,
    /// `circle` or `polygon`.
    pub fence_kind: String,
    pub fence_lat: String,
    pub fence_lon: String,
    pub fence_radius: String,
    /// One `纬度,经度` per line.
    pub fence_vertices: String,
    pub start_date: String,
    pub end_date: String,
    pub capacity: String,
    /// One session per line: `2027-01-10 08:30-17:30 线下 8 王老师`.
    pub timetable: String,
}

/// Reads the form into the API's input: the numbers, the fence and the timetable lines. Parts
/// that cannot be read are named in the errors and stand as impossible values in the input,
/// so `plan::parse` still checks everything else. Also gives each session's line number.
pub fn read(form: &ClassForm) -> (ClassInput, Vec<usize>, FormErrors) {
    let mut errors = FormErrors::default();
    let mut number = |group: &str, label: &str, text: &str| -> f64 {
        let text = text.trim();
        match text.parse::<f64>() {
            Ok(value) if value.is_finite() => value,
            _ if text.is_empty() => {
                errors.push(group, format!("请填写{label}"));
                f64::NAN
            }
            _ => {
                errors.push(group, format!("{label}“{text}”应为数字，例如 38.8812"));
                f64::NAN
            }
        }
    };
    let venue = Point {
        lat: number("venue", "场地纬度", &form.venue_lat),
        lon: number("venue", "场地经度", &form.venue_lon),
    };
    let fence = if form.fence_kind == "polygon" {
        let mut vertices = Vec::new();
        for (index, line) in form.fence_vertices.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            match vertex(line) {
                Some(point) => vertices.push(point),
                None => errors.push(
                    "fence",
                    format!(
                        "电子围栏第 {} 行“{}”无法识别，应为“纬度,经度”，例如 38.8812,121.5301",
                        index + 1,
                        line.trim()
                    ),
                ),
            }
        }
        FenceInput::Polygon { vertices }
    } else {
        let mut number = |label: &str, text: &str| -> f64 {
            let text = text.trim();
            text.parse::<f64>()
                .ok()
                .filter(|value| value.is_finite())
                .unwrap_or_else(|| {
                    errors.push("fence", format!("请填写{label}（数字）"));
                    f64::NAN
                })
        };
        FenceInput::Circle {
            center: Point {
                lat: number("围栏圆心纬度", &form.fence_lat),
                lon: number("围栏圆心经度", &form.fence_lon),
            },
            radius_m: number("围栏半径", &form.fence_radius),
        }
    };
    let capacity = match form.capacity.trim().parse::<u32>() {
        Ok(capacity) => capacity,
        Err(_) => {
            errors.push("capacity", "计划招收人数应为正整数");
            0
        }
    };
    let mut sessions = Vec::new();
    let mut lines = Vec::new();
    for (index, line) in form.timetable.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        match session_line(line) {
            Ok(session) => {
                sessions.push(session);
                lines.push(index + 1);
            }
            Err(reason) => errors.push(
                "timetable",
                format!(
                    "课表第 {} 行无法识别（{reason}）：“{}”。每行应为：日期 开始-结束 线下/线上 学时 教师，例如 2027-01-10 08:30-17:30 线下 8 王老师",
                    index + 1,
                    line.trim()
                ),
            ),
        }
    }
    for (group, message, value) in [
        ("occupation", "请选择职业", &form.occupation),
        ("level", "请选择等级", &form.level),
        ("funding", "请选择资金来源", &form.funding),
        ("region", "请选择所属地区", &form.region),
        ("start_date", "请填写开班日期", &form.start_date),
        ("end_date", "请填写结班日期", &form.end_date),
    ] {
        if value.trim().is_empty() {
            errors.push(group, message);
        }
    }
    if sessions.is_empty() && !errors.has("timetable") {
        errors.push("timetable", "请填写课表，每行一节课");
    }
    let input = ClassInput {
        title: form.title.clone(),
        occupation: form.occupation.clone(),
        direction: Some(form.direction.clone()),
        level: form.level.clone(),
        funding: form.funding.clone(),
        region: form.region.clone(),
        venue_address: form.venue_address.clone(),
        venue,
        fence,
        start_date: form.start_date.clone(),
        end_date: form.end_date.clone(),
        capacity,
        sessions,
    };
    (input, lines, errors)
}

/// `38.8812,121.5301` (also with a Chinese comma or a space).
fn vertex(line: &str) -> Option<Point> {
    let mut parts = line
        .split([',', '，', ' ', '\t'])
        .filter(|part| !part.is_empty());
    let lat = parts.next()?.parse::<f64>().ok()?;
    let lon = parts.next()?.parse::<f64>().ok()?;
    parts.next().is_none().then_some(Point { lat, lon })
}

/// The characters that join a start and an end time: `08:30-17:30`, `08:30～17:30`.
const RANGE_SEPARATORS: [char; 7] = ['-', '–', '—', '~', '～', '－', '至'];

/// One timetable line: date, start-end (or start and end in two cells), 线下/线上, hours,
/// and the teacher (the rest of the line). The date, times and delivery are checked by
/// `plan::parse`; here only the line's shape and the whole-number hours.
fn session_line(line: &str) -> Result<SessionInput, String> {
    let words: Vec<&str> = line.split_whitespace().collect();
    let date = *words.first().ok_or("空行")?;
    let (start, end, rest) = match words.get(1) {
        Some(range)
            if range
                .trim_matches(RANGE_SEPARATORS)
                .contains(RANGE_SEPARATORS) =>
        {
            let (start, end) = range.split_once(RANGE_SEPARATORS).ok_or("缺少上课时间")?;
            (start, end, &words[2..])
        }
        Some(start) => match words.get(2) {
            Some(dash) if dash.chars().all(|c| RANGE_SEPARATORS.contains(&c)) => (
                *start,
                *words.get(3).ok_or("缺少下课时间")?,
                words.get(4..).unwrap_or(&[]),
            ),
            Some(end) if end.contains(':') || end.contains('：') => (*start, *end, &words[3..]),
            _ => return Err("上课时间应写成 08:30-17:30".into()),
        },
        None => return Err("缺少上课时间".into()),
    };
    let delivery = *rest.first().ok_or("缺少授课方式（线下或线上）")?;
    let hours = rest.get(1).ok_or("缺少学时")?;
    let hours = hours
        .parse::<u32>()
        .map_err(|_| format!("学时“{hours}”应为整数"))?;
    Ok(SessionInput {
        date: date.to_owned(),
        start: start.replace('：', ":"),
        end: end.replace('：', ":"),
        delivery: delivery.to_owned(),
        hours,
        teacher: rest.get(2..).unwrap_or(&[]).join(" "),
    })
}

impl ClassForm {
    /// The form filled with a stored plan.
    pub fn from_input(input: &ClassInput) -> ClassForm {
        let (fence_kind, fence_lat, fence_lon, fence_radius, fence_vertices) = match &input.fence {
            FenceInput::Circle { center, radius_m } => (
                "circle",
                center.lat.to_string(),
                center.lon.to_string(),
                radius_m.to_string(),
                String::new(),
            ),
            FenceInput::Polygon { vertices } => (
                "polygon",
                String::new(),
                String::new(),
                String::new(),
                vertices
                    .iter()
                    .map(|point| format!("{},{}", point.lat, point.lon))
                    .collect::<Vec<_>>()
                    .join("\n"),
            ),
        };
        ClassForm {
            title: input.title.clone(),
            occupation: input.occupation.clone(),
            direction: input.direction.clone().unwrap_or_default(),
            level: input.level.clone(),
            funding: input.funding.clone(),
            region: input.region.clone(),
            venue_address: input.venue_address.clone(),
            venue_lat: input.venue.lat.to_string(),
            venue_lon: input.venue.lon.to_string(),
            fence_kind: fence_kind.into(),
            fence_lat,
            fence_lon,
            fence_radius,
            fence_vertices,
            start_date: input.start_date.clone(),
            end_date: input.end_date.clone(),
            capacity: input.capacity.to_string(),
            timetable: input
                .sessions
                .iter()
                .map(timetable_line)
                .collect::<Vec<_>>()
                .join("\n"),
        }
    }
}

/// A session as one line of the timetable box.
fn timetable_line(session: &SessionInput) -> String {
    let delivery =
        Delivery::parse(&session.delivery).map_or(session.delivery.as_str(), |d| d.label());
    format!(
        "{} {}-{} {} {} {}",
        session.date, session.start, session.end, delivery, session.hours, session.teacher
    )
    .trim_end()
    .to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_timetable_line_reads_in_the_shapes_a_spreadsheet_pastes() {
        for line in [
            "2027-01-10 08:30-17:30 线下 8 王老师",
            "2027-01-10\t08:30\t17:30\t线下\t8\t王老师",
            "2027-01-10 08:30 - 17:30 线下 8 王老师",
            "2027-01-10 08:30～17:30 线下 8 王老师",
        ] {
            let session = session_line(line).unwrap_or_else(|error| panic!("{line}: {error}"));
            assert_eq!(
                (session.start.as_str(), session.end.as_str(), session.hours),
                ("08:30", "17:30", 8),
                "{line}"
            );
            assert_eq!(
                (session.delivery.as_str(), session.teacher.as_str()),
                ("线下", "王老师")
            );
        }
        let online =
            session_line("2027-01-11 19:00-21:00 线上 2").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(online.teacher, "");
        assert!(session_line("2027-01-10 线下 8").is_err());
        assert!(session_line("2027-01-10 08:30-17:30 线下 八").is_err());
    }

    #[test]
    fn a_stored_plan_fills_the_form_and_reads_back_the_same() {
        let input = ClassInput {
            title: "班".into(),
            occupation: "2-02-10-09".into(),
            direction: None,
            level: "intermediate".into(),
            funding: "market".into(),
            region: "大连".into(),
            venue_address: "地址".into(),
            venue: Point {
                lat: 38.88,
                lon: 121.53,
            },
            fence: FenceInput::Polygon {
                vertices: vec![
                    Point {
                        lat: 38.87,
                        lon: 121.52,
                    },
                    Point {
                        lat: 38.89,
                        lon: 121.52,
                    },
                    Point {
                        lat: 38.89,
                        lon: 121.54,
                    },
                ],
            },
            start_date: "2027-01-10".into(),
            end_date: "2027-01-19".into(),
            capacity: 30,
            sessions: vec![SessionInput {
                date: "2027-01-10".into(),
                start: "08:30".into(),
                end: "17:30".into(),
                delivery: "offline".into(),
                hours: 8,
                teacher: "王老师".into(),
            }],
        };
        let form = ClassForm::from_input(&input);
        assert_eq!(form.timetable, "2027-01-10 08:30-17:30 线下 8 王老师");
        let (read_back, lines, errors) = read(&form);
        assert!(errors.is_empty(), "{:?}", errors.messages());
        assert_eq!(lines, vec![1]);
        assert_eq!(
            serde_json::to_value(&read_back.fence).ok(),
            serde_json::to_value(&input.fence).ok()
        );
    }
}
