//! `dte check`: the same checks DTE applies, from the command line.

use dte_domain::ResidentId;
use dte_geo::{LatLon, Location, locate};
use std::process::ExitCode;

/// `dte check id NUMBER`: prints 有效 with what the number encodes, or the reason it is not.
pub fn id(number: &str) -> ExitCode {
    let today = dte_web::shanghai_today(chrono::Utc::now());
    match ResidentId::parse(number, today) {
        Ok(id) => {
            println!(
                "有效：{}（出生日期 {}，登记地行政区划代码 {}）",
                id.masked(),
                id.birth_date().format("%Y-%m-%d"),
                id.division_code()
            );
            ExitCode::SUCCESS
        }
        Err(error) => {
            println!("无效：{error}");
            ExitCode::FAILURE
        }
    }
}

/// `dte check location LAT LON`: the region of Liaoning, or outside (non-zero exit).
pub fn location(lat: &str, lon: &str) -> ExitCode {
    let point = match LatLon::parse(lat, lon) {
        Ok(point) => point,
        Err(error) => {
            println!("无效坐标：{error}");
            return ExitCode::from(2);
        }
    };
    match locate(point) {
        location @ Location::Inside { .. } => {
            println!("{location}");
            ExitCode::SUCCESS
        }
        location @ Location::Outside { .. } => {
            println!("{location}");
            ExitCode::FAILURE
        }
    }
}
