//! The catalog workbook is a real .xlsx: read back with calamine, every figure is there.

#![allow(clippy::unwrap_used, clippy::expect_used)] // A test crate: a failed unwrap is a failed test.

use calamine::{Data, Reader, Xlsx};
use dte_docs::catalog::{InstitutionLine, OccupationLine, RegionLine, catalog_workbook};
use dte_domain::Fen;

#[test]
fn the_catalog_workbook_reads_back_with_every_figure() {
    let occupations = vec![OccupationLine {
        name: "云计算工程技术人员".into(),
        code: "2-02-10-12".into(),
        levels: [
            (160, Fen::new(1000), Fen::new(160_000)),
            (160, Fen::new(2000), Fen::new(320_000)),
            (192, Fen::new(2500), Fen::new(480_000)),
        ],
    }];
    let institutions = vec![InstitutionLine {
        name: "东北大学".into(),
        kind: "培训机构".into(),
        contact_person: "滕老师".into(),
        contact_phone: "15140003658".into(),
        occupations: "区块链工程技术人员".into(),
    }];
    let regions = vec![
        RegionLine {
            name: "沈阳".into(),
            quota: 600,
        },
        RegionLine {
            name: "大连".into(),
            quota: 600,
        },
    ];
    let bytes = catalog_workbook(2026, &occupations, &institutions, &regions).unwrap();
    assert_eq!(&bytes[0..2], b"PK", "an .xlsx is a zip file");

    let mut workbook: Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
    assert_eq!(
        workbook.sheet_names(),
        vec!["职业目录", "机构目录", "地区名额"]
    );
    let sheet = workbook.worksheet_range("职业目录").unwrap();
    assert_eq!(
        sheet.get_value((2, 0)),
        Some(&Data::String("云计算工程技术人员".into()))
    );
    assert_eq!(sheet.get_value((2, 8)), Some(&Data::Float(192.0)));
    assert_eq!(sheet.get_value((2, 10)), Some(&Data::Float(4800.0)));
    let sheet = workbook.worksheet_range("机构目录").unwrap();
    assert_eq!(
        sheet.get_value((1, 3)),
        Some(&Data::String("15140003658".into()))
    );
    let sheet = workbook.worksheet_range("地区名额").unwrap();
    assert_eq!(sheet.get_value((3, 0)), Some(&Data::String("合计".into())));
    assert_eq!(sheet.get_value((3, 1)), Some(&Data::Float(1200.0)));
}
