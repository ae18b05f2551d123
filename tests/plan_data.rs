//! The compiled-in plan, read back through `cchc::plan::load()` and checked against the plan
//! text (Kế hoạch CCHC nhà nước tỉnh Lạng Sơn giai đoạn 2026-2030) by hand-written tables.

mod common;

use std::collections::HashSet;

use cchc::indicators::{IndicatorStatus, assess};
use cchc::model::{
    AgencyKind, Direction, DisplayState, Measurement, NewTask, Plan, Recurrence, Status, Unit,
};
use chrono::NaiveDate;
use unicode_normalization::is_nfc;

fn plan() -> Plan {
    cchc::plan::load().expect("the compiled-in plan is valid")
}

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

const STEP_2027: &str = "2027-12-31";
const STEP_2030: &str = "2030-12-31";

struct Expected {
    code: &'static str,
    area: &'static str,
    /// A phrase of the plan's wording the name must contain, so names cannot be swapped.
    name_has: &'static str,
    unit: Unit,
    direction: Direction,
    lead: &'static str,
    targets: &'static [(f64, &'static str)],
    /// (date, label) of the reference a reduction is measured against.
    baseline: Option<(&'static str, &'static str)>,
}

use Direction::{Above, AtLeast, ReduceBy};
use Unit::{Level, Percent};

/// Every target of section II.2, in the plan's order.
const EXPECTED: &[Expected] = &[
    // 2.1. Cải cách thể chế
    Expected {
        code: "the-che-vbqppl-hoan-thien",
        area: "the-che",
        name_has: "được hoàn thiện đồng bộ",
        unit: Percent,
        direction: AtLeast,
        lead: "STP",
        targets: &[(100.0, STEP_2030)],
        baseline: None,
    },
    // 2.2. TTHC — Giai đoạn 2026-2027
    Expected {
        code: "tthc-dvctt-toan-trinh",
        area: "tthc",
        name_has: "dịch vụ công trực tuyến toàn trình",
        unit: Percent,
        direction: AtLeast,
        lead: "VPUB",
        targets: &[(100.0, STEP_2027)],
        baseline: None,
    },
    Expected {
        code: "tthc-ket-qua-dien-tu",
        area: "tthc",
        name_has: "kết quả giải quyết TTHC điện tử",
        unit: Percent,
        direction: AtLeast,
        lead: "VPUB",
        targets: &[(100.0, STEP_2027)],
        baseline: None,
    },
    Expected {
        code: "tthc-hai-long-dvctt",
        area: "tthc",
        name_has: "hài lòng khi sử dụng dịch vụ công trực tuyến",
        unit: Percent,
        direction: AtLeast,
        lead: "VPUB",
        targets: &[(95.0, STEP_2027)],
        baseline: None,
    },
    // 2.2. TTHC — Giai đoạn 2028-2030
    Expected {
        code: "tthc-hai-long-giai-quyet-tthc",
        area: "tthc",
        name_has: "hài lòng trong tiếp nhận, giải quyết TTHC",
        unit: Percent,
        direction: AtLeast,
        lead: "VPUB",
        targets: &[(95.0, STEP_2030)],
        baseline: None,
    },
    Expected {
        code: "tthc-hai-long-dat-dai-xay-dung-dau-tu",
        area: "tthc",
        name_has: "đất đai, xây dựng, đầu tư",
        unit: Percent,
        direction: AtLeast,
        lead: "VPUB",
        targets: &[(90.0, STEP_2030)],
        baseline: None,
    },
    Expected {
        code: "tthc-thanh-toan-truc-tuyen",
        area: "tthc",
        name_has: "thanh toán trực tuyến",
        unit: Percent,
        direction: AtLeast,
        lead: "VPUB",
        targets: &[(80.0, STEP_2030)],
        baseline: None,
    },
    // 2.3. Cải cách tổ chức bộ máy hành chính
    Expected {
        code: "bo-may-giam-bien-che-su-nghiep",
        area: "bo-may",
        name_has: "biên chế sự nghiệp",
        unit: Percent,
        direction: ReduceBy,
        lead: "SNV",
        targets: &[(10.0, STEP_2030)],
        baseline: Some(("2025-12-31", "năm 2025")),
    },
    Expected {
        code: "bo-may-hai-long-co-quan-hcnn",
        area: "bo-may",
        name_has: "sự phục vụ của cơ quan hành chính nhà nước",
        unit: Percent,
        direction: AtLeast,
        lead: "SNV",
        targets: &[(95.0, STEP_2030)],
        baseline: None,
    },
    Expected {
        code: "bo-may-hai-long-kham-chua-benh",
        area: "bo-may",
        name_has: "khám, chữa bệnh công lập",
        unit: Percent,
        direction: AtLeast,
        lead: "SYT",
        targets: &[(90.0, STEP_2030)],
        baseline: None,
    },
    Expected {
        code: "bo-may-hai-long-giao-duc",
        area: "bo-may",
        name_has: "Mức độ hài lòng của người dân về cung cấp giáo dục công lập",
        unit: Percent,
        direction: AtLeast,
        lead: "SGDDT",
        targets: &[(90.0, STEP_2030)],
        baseline: None,
    },
    // 2.4. Cải cách chế độ công vụ ("trên 95%": strictly above)
    Expected {
        code: "cong-vu-cbcc-dai-hoc",
        area: "cong-vu",
        name_has: "Cán bộ, công chức có trình độ đại học",
        unit: Percent,
        direction: Above,
        lead: "SNV",
        targets: &[(95.0, STEP_2030)],
        baseline: None,
    },
    Expected {
        code: "cong-vu-vien-chuc-dai-hoc",
        area: "cong-vu",
        name_has: "Viên chức có trình độ đại học",
        unit: Percent,
        direction: AtLeast,
        lead: "SNV",
        targets: &[(70.0, STEP_2030)],
        baseline: None,
    },
    Expected {
        code: "cong-vu-cbcc-cap-xa-dai-hoc-chuan-hoa",
        area: "cong-vu",
        name_has: "cấp xã có trình độ từ đại học trở lên và được chuẩn hóa",
        unit: Percent,
        direction: AtLeast,
        lead: "SNV",
        targets: &[(100.0, STEP_2030)],
        baseline: None,
    },
    // 2.5. Cải cách tài chính công
    Expected {
        code: "tai-chinh-giam-chi-dvsncl",
        area: "tai-chinh",
        name_has: "chi trực tiếp từ ngân sách nhà nước cho đơn vị sự nghiệp công lập",
        unit: Percent,
        direction: ReduceBy,
        lead: "STC",
        targets: &[(7.0, STEP_2030)],
        baseline: Some(("2025-12-31", "bình quân giai đoạn 2021-2025")),
    },
    // 2.6. Chính quyền điện tử, Chính quyền số
    Expected {
        code: "chinh-quyen-so-nen-tang-dung-chung",
        area: "chinh-quyen-so",
        name_has: "nền tảng số dùng chung",
        unit: Percent,
        direction: AtLeast,
        lead: "SKHCN",
        targets: &[(100.0, STEP_2027)],
        baseline: None,
    },
    Expected {
        code: "chinh-quyen-so-quan-tri-du-lieu",
        area: "chinh-quyen-so",
        name_has: "Tỉnh Lạng Sơn đạt cấp độ mức độ trưởng thành về quản trị dữ liệu",
        unit: Level,
        direction: AtLeast,
        lead: "SKHCN",
        targets: &[(3.0, STEP_2027), (4.0, STEP_2030)],
        baseline: None,
    },
    Expected {
        code: "chinh-quyen-so-tai-su-dung-du-lieu",
        area: "chinh-quyen-so",
        name_has: "sử dụng lại thông tin, dữ liệu đã được số hóa",
        unit: Percent,
        direction: AtLeast,
        lead: "SKHCN",
        targets: &[(90.0, STEP_2030)],
        baseline: None,
    },
    Expected {
        code: "chinh-quyen-so-du-lieu-mo",
        area: "chinh-quyen-so",
        name_has: "dữ liệu mở đúng chuẩn",
        unit: Percent,
        direction: AtLeast,
        lead: "SKHCN",
        targets: &[(100.0, STEP_2030)],
        baseline: None,
    },
    // III.3.2: the two 100% targets set in the text of section III (no stated step).
    Expected {
        code: "tthc-cong-bo-dung-quy-dinh",
        area: "tthc",
        name_has: "TTHC được công bố đúng quy định",
        unit: Percent,
        direction: AtLeast,
        lead: "VPUB",
        targets: &[(100.0, STEP_2030)],
        baseline: None,
    },
    Expected {
        code: "tthc-ho-so-tren-he-thong",
        area: "tthc",
        name_has: "Hồ sơ TTHC được tiếp nhận, giải quyết trên Hệ thống thông tin giải quyết TTHC tỉnh",
        unit: Percent,
        direction: AtLeast,
        lead: "VPUB",
        targets: &[(100.0, STEP_2030)],
        baseline: None,
    },
];

#[test]
fn every_target_of_section_ii_2() {
    let plan = plan();
    let codes: Vec<&str> = plan.indicators.iter().map(|i| i.code.as_str()).collect();
    let expected: Vec<&str> = EXPECTED.iter().map(|e| e.code).collect();
    assert_eq!(
        codes, expected,
        "indicator set or order differs from II.2 and III.3.2"
    );

    for e in EXPECTED {
        let i = plan.indicators.iter().find(|i| i.code == e.code).unwrap();
        assert_eq!(i.area, e.area, "{}", e.code);
        assert!(i.name.contains(e.name_has), "{}: name `{}`", e.code, i.name);
        assert_eq!(i.unit, e.unit, "{}", e.code);
        assert_eq!(i.direction, e.direction, "{}", e.code);
        assert_eq!(i.lead_agency, e.lead, "{}", e.code);
        let targets: Vec<(f64, NaiveDate)> = i.targets.iter().map(|t| (t.value, t.due)).collect();
        let want: Vec<(f64, NaiveDate)> = e.targets.iter().map(|&(v, due)| (v, d(due))).collect();
        assert_eq!(targets, want, "{}", e.code);
        match (e.baseline, &i.baseline) {
            (None, None) => {}
            (Some((date, label)), Some(b)) => {
                assert_eq!(b.date, d(date), "{}", e.code);
                assert_eq!(b.label, label, "{}", e.code);
                assert_eq!(
                    b.value, None,
                    "{}: the plan gives no baseline value",
                    e.code
                );
            }
            (want, got) => panic!("{}: baseline {want:?}, got {got:?}", e.code),
        }
    }
}

#[test]
fn the_seven_areas_in_order() {
    let plan = plan();
    let areas: Vec<(&str, &str)> = plan
        .areas
        .iter()
        .map(|a| (a.code.as_str(), a.name_vi.as_str()))
        .collect();
    assert_eq!(
        areas,
        [
            ("chi-dao", "Công tác chỉ đạo, điều hành"),
            ("the-che", "Cải cách thể chế"),
            ("tthc", "Cải cách thủ tục hành chính"),
            ("bo-may", "Cải cách tổ chức bộ máy hành chính"),
            ("cong-vu", "Cải cách chế độ công vụ"),
            ("tai-chinh", "Cải cách tài chính công"),
            (
                "chinh-quyen-so",
                "Xây dựng và phát triển Chính quyền điện tử, Chính quyền số"
            ),
        ]
    );
    assert!(plan.areas.iter().all(|a| !a.name_en.is_empty()));
}

#[test]
fn required_agencies_exist() {
    use AgencyKind::*;
    let plan = plan();
    let required = [
        ("SNV", "Sở Nội vụ", Department),
        ("VPUB", "Văn phòng UBND tỉnh", Department),
        ("STP", "Sở Tư pháp", Department),
        ("STC", "Sở Tài chính", Department),
        ("SKHCN", "Sở Khoa học và Công nghệ", Department),
        ("SYT", "Sở Y tế", Department),
        ("SGDDT", "Sở Giáo dục và Đào tạo", Department),
        ("MTTQ", "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh", Front),
        ("CTXH", "Các tổ chức chính trị - xã hội tỉnh", Front),
        ("TCT", "Trường Chính trị Hoàng Văn Thụ", Partner),
        ("BPTTH", "Báo và Phát thanh, Truyền hình Lạng Sơn", Partner),
        ("CQTW", "Các cơ quan Trung ương tại địa phương", Central),
        ("UBNDXP", "UBND các xã, phường", Commune),
    ];
    for (code, name, kind) in required {
        let a = plan
            .agencies
            .iter()
            .find(|a| a.code == code)
            .unwrap_or_else(|| panic!("agency {code} missing"));
        assert_eq!((a.name.as_str(), a.kind), (name, kind), "{code}");
    }
}

fn find<'a>(plan: &'a Plan, plan_ref: &str) -> &'a NewTask {
    plan.tasks
        .iter()
        .find(|t| t.plan_ref == plan_ref)
        .unwrap_or_else(|| panic!("no task {plan_ref}"))
}

/// V.1: every department and the commune group plans and reports every year.
#[test]
fn recurring_duties_of_every_department_and_the_communes() {
    let plan = plan();
    let reporting: Vec<&str> = plan
        .agencies
        .iter()
        .filter(|a| matches!(a.kind, AgencyKind::Department | AgencyKind::Commune))
        .map(|a| a.code.as_str())
        .collect();
    assert_eq!(reporting.len(), 8, "7 departments and the commune group");

    for code in &reporting {
        find(&plan, &format!("V.1.1a/{code}"));
        for year in 2026..=2030 {
            let prefix = format!("V.1.5/{code}/{year}-");
            let reports: Vec<&NewTask> = plan
                .tasks
                .iter()
                .filter(|t| t.plan_ref.starts_with(&prefix))
                .collect();
            assert_eq!(reports.len(), 4, "{prefix}");
            let got: Vec<(&str, &str, NaiveDate, Recurrence)> = reports
                .iter()
                .map(|t| {
                    let slot = &t.plan_ref[prefix.len()..];
                    (slot, t.title.as_str(), t.due, t.recurrence)
                })
                .collect();
            let titles = [
                format!("Báo cáo CCHC quý I/{year}"),
                format!("Báo cáo CCHC 6 tháng đầu năm {year}"),
                format!("Báo cáo CCHC quý III/{year}"),
                format!("Báo cáo CCHC năm {year}"),
            ];
            let ymd = |m| NaiveDate::from_ymd_opt(year, m, 15).unwrap();
            assert_eq!(
                got,
                [
                    ("Q1", titles[0].as_str(), ymd(3), Recurrence::Quarterly),
                    ("Q2", titles[1].as_str(), ymd(6), Recurrence::HalfYearly),
                    ("Q3", titles[2].as_str(), ymd(9), Recurrence::Quarterly),
                    ("Q4", titles[3].as_str(), ymd(12), Recurrence::Yearly),
                ],
                "{prefix}"
            );
            for r in &reports {
                assert_eq!(
                    (r.lead_agency.as_str(), r.area.as_str()),
                    (*code, "chi-dao")
                );
                assert!(r.due_assumed);
            }

            let yearly_plan = find(&plan, &format!("V.1.1b/{code}/{year}"));
            assert!(yearly_plan.title.contains(&format!("năm {year}")));
            let due = if year == 2026 {
                d("2026-04-30")
            } else {
                NaiveDate::from_ymd_opt(year - 1, 12, 31).unwrap()
            };
            assert_eq!(yearly_plan.due, due, "V.1.1b/{code}/{year}");
            assert_eq!(yearly_plan.recurrence, Recurrence::Yearly);
        }
    }
    let reports = plan
        .tasks
        .iter()
        .filter(|t| t.plan_ref.starts_with("V.1.5/"))
        .count();
    assert_eq!(reports, reporting.len() * 5 * 4);
}

/// The province-level recurring duties of Sở Nội vụ, Sở Y tế, Sở Giáo dục và Đào tạo, Sở Tài chính.
#[test]
fn province_level_recurring_duties() {
    let plan = plan();
    for year in 2026..=2030 {
        let end = NaiveDate::from_ymd_opt(year, 12, 31).unwrap();
        // Kế hoạch CCHC năm of the province (III.1.2).
        let p = find(&plan, &format!("III.1.2/SNV/{year}"));
        assert!(p.title.contains(&format!("năm {year}")), "{}", p.title);
        // Chỉ số CCHC (V.2.4) and the satisfaction measurements (III.4.2, V.7.2, V.8.2): the
        // result of year Y, due once Y is over (31/3 of Y+1).
        let published = NaiveDate::from_ymd_opt(year + 1, 3, 31).unwrap();
        for (r, lead, area) in [
            ("V.2.4", "SNV", "chi-dao"),
            ("III.4.2", "SNV", "bo-may"),
            ("V.7.2", "SYT", "bo-may"),
            ("V.8.2", "SGDDT", "bo-may"),
        ] {
            let t = find(&plan, &format!("{r}/{lead}/{year}"));
            assert_eq!(
                (t.due, t.lead_agency.as_str(), t.area.as_str()),
                (published, lead, area)
            );
            assert_eq!(t.recurrence, Recurrence::Yearly);
            assert!(t.title.ends_with(&format!("năm {year}")), "{}", t.title);
        }
        // Sở Nội vụ's aggregate for UBND tỉnh (V.2.1b), then the province's report to Bộ Nội
        // vụ (V.2.5), after the agencies' reports (V.1.5, the 15th).
        for q in 1..=4 {
            let aggregate = find(&plan, &format!("V.2.1b/SNV/{year}-Q{q}"));
            let ministry = find(&plan, &format!("V.2.5/SNV/{year}-Q{q}"));
            let agencies = find(&plan, &format!("V.1.5/SNV/{year}-Q{q}"));
            assert_eq!(
                aggregate.due,
                NaiveDate::from_ymd_opt(year, q * 3, 18).unwrap()
            );
            assert_eq!(
                ministry.due,
                NaiveDate::from_ymd_opt(year, q * 3, 20).unwrap()
            );
            assert!(agencies.due < aggregate.due && aggregate.due < ministry.due);
        }
        // Training classes of Sở Nội vụ (V.2.3): one round a year.
        let training = find(&plan, &format!("V.2.3/SNV/{year}"));
        assert_eq!(
            (training.due, training.recurrence, training.area.as_str()),
            (end, Recurrence::Yearly, "cong-vu")
        );
        assert!(training.title.ends_with(&format!("năm {year}")));
    }
    // Kinh phí CCHC in the budget of 2027–2030 (V.5.3), the year before.
    for year in 2027..=2030 {
        let t = find(&plan, &format!("V.5.3/STC/{year}"));
        assert_eq!(t.due, NaiveDate::from_ymd_opt(year - 1, 12, 31).unwrap());
    }
    assert!(plan.tasks.iter().all(|t| t.plan_ref != "V.5.3/STC/2026"));
}

/// Each paragraph of sections III and V is a task or a duty (see data/tasks.toml for splits), and
/// so are the two qualitative II.2.1 bullets that ask for work and IV.2's yearly estimate.
#[test]
fn every_paragraph_of_sections_iii_and_v_is_tracked() {
    let plan = plan();
    #[rustfmt::skip]
    let refs = [
        "II.2.1.4", "II.2.1.5",
        "III.1.1", "III.1.2", "III.1.3", "III.1.4", "III.1.5",
        "III.2.1a", "III.2.1b", "III.2.2", "III.2.3",
        "III.3.1", "III.3.2a", "III.3.2b", "III.3.3", "III.3.4", "III.3.5",
        "III.4.1", "III.4.2",
        "III.5.1", "III.5.2", "III.5.3", "III.5.4",
        "III.6.1", "III.6.2", "III.6.3", "III.6.4a", "III.6.4b",
        "III.7.1", "III.7.2a", "III.7.2b", "III.7.3", "III.7.4", "III.7.5", "III.7.6", "III.7.7",
        "III.7.8",
        "V.1.1a", "V.1.1b", "V.1.2", "V.1.3", "V.1.4", "V.1.5", "V.1.6",
        "V.2.1a", "V.2.1b", "V.2.2", "V.2.3", "V.2.4", "V.2.5", "V.2.6",
        "V.3.1", "V.3.2", "V.4.1", "V.4.2", "V.5.1", "V.5.2", "V.5.3", "V.6.1", "V.6.2",
        "V.7.1", "V.7.2", "V.8.1", "V.8.2", "V.9", "V.10", "V.11", "V.12a", "V.12b",
        "IV.2",
    ];
    let bases: HashSet<&str> = plan
        .tasks
        .iter()
        .map(|t| t.plan_ref.split('/').next().unwrap())
        .collect();
    for r in refs {
        assert!(bases.contains(r), "{r} is not tracked");
    }
    assert_eq!(bases.len(), refs.len(), "tasks outside the list: {bases:?}");
}

#[test]
fn several_tasks_are_overdue_on_2027_01_01() {
    let plan = plan();
    let today = d("2027-01-01");
    let overdue: Vec<&NewTask> = plan
        .tasks
        .iter()
        .filter(|t| {
            DisplayState::of(t.status, t.progress, t.due, t.completed_on, today)
                == DisplayState::Overdue
        })
        .collect();
    assert!(overdue.len() >= 50, "{} overdue", overdue.len());
    // Not only reports: one-off deliverables of section III are due in 2026 too.
    for r in [
        "III.2.1b",
        "III.3.2a",
        "III.7.2b",
        "V.1.1a/SNV",
        "V.1.1b/UBNDXP/2026",
    ] {
        assert!(overdue.iter().any(|t| t.plan_ref == r), "{r} not overdue");
    }
    // Nothing of 2027 is overdue yet.
    assert!(overdue.iter().all(|t| t.due < today));
    assert!(!overdue.iter().any(|t| t.plan_ref == "III.3.2b"));
}

#[test]
fn every_task_is_new_dated_in_the_plan_and_nfc() {
    let plan = plan();
    let (first, last) = (d("2026-01-01"), d("2030-12-31"));
    // Only a year's results may fall due after the plan: those of 2030, in 2031.
    let results_of_2030 = [
        "III.4.2/SNV/2030",
        "V.2.4/SNV/2030",
        "V.7.2/SYT/2030",
        "V.8.2/SGDDT/2030",
    ];
    for t in &plan.tasks {
        assert_eq!(
            (t.status, t.progress, t.completed_on),
            (Status::NotStarted, 0, None)
        );
        let latest = if results_of_2030.contains(&t.plan_ref.as_str()) {
            d("2031-12-31")
        } else {
            last
        };
        assert!(
            (first..=latest).contains(&t.due),
            "{} due {}",
            t.plan_ref,
            t.due
        );
        // The plan states no date for any task; every date here is an assumption.
        assert!(t.due_assumed, "{}", t.plan_ref);
        assert!(is_nfc(&t.title) && is_nfc(&t.output), "{}", t.plan_ref);
        assert!(
            !t.title.contains('{') && !t.output.contains('{'),
            "{}",
            t.plan_ref
        );
        assert!(!t.coordinating.contains(&t.lead_agency), "{}", t.plan_ref);
        for c in &t.coordinating_inferred {
            assert!(t.coordinating.contains(c), "{}: {c}", t.plan_ref);
        }
    }
    for r in results_of_2030 {
        assert!(find(&plan, r).due > last, "{r}");
    }
    for i in &plan.indicators {
        assert!(is_nfc(&i.name), "{}", i.code);
    }
    for a in &plan.agencies {
        assert!(is_nfc(&a.name), "{}", a.code);
    }
    // The final review closes the plan.
    assert_eq!(find(&plan, "V.2.6").due, last);
}

// ---------------------------------------------------------------------------------------------
// Issue 14: the plan read again.
// ---------------------------------------------------------------------------------------------

fn measured(code: &str, value: f64, on: &str) -> Measurement {
    Measurement {
        id: 1,
        indicator: code.into(),
        value,
        measured_on: d(on),
        source: String::new(),
        note: String::new(),
        recorded_by: "test".into(),
        recorded_at: "2030-07-01T00:00:00Z".into(),
    }
}

/// "trên 95% cán bộ, công chức có trình độ đại học trở lên": 95.0 is not more than 95.
#[test]
fn a_strict_target_at_95_is_not_met() {
    let plan = plan();
    let strict = plan
        .indicators
        .iter()
        .find(|i| i.code == "cong-vu-cbcc-dai-hoc")
        .unwrap();
    assert_eq!(strict.direction, Direction::Above);
    let today = d("2030-07-01");
    let at = assess(strict, &[measured(&strict.code, 95.0, "2030-06-30")], today);
    assert_ne!(at.status, IndicatorStatus::Met);
    let above = assess(strict, &[measured(&strict.code, 95.2, "2030-06-30")], today);
    assert_eq!(above.status, IndicatorStatus::Met);
    // Once the plan is over, 95.0 is off track, not met.
    let late = assess(
        strict,
        &[measured(&strict.code, 95.0, "2030-12-31")],
        d("2031-01-01"),
    );
    assert_eq!(late.status, IndicatorStatus::OffTrack);
    // "tối thiểu 95%" is met at 95.0.
    let at_least = plan
        .indicators
        .iter()
        .find(|i| i.code == "bo-may-hai-long-co-quan-hcnn")
        .unwrap();
    let met = assess(
        at_least,
        &[measured(&at_least.code, 95.0, "2030-06-30")],
        today,
    );
    assert_eq!(met.status, IndicatorStatus::Met);
    // Only "trên" is strict in the plan.
    let strict_codes: Vec<&str> = plan
        .indicators
        .iter()
        .filter(|i| i.direction == Direction::Above)
        .map(|i| i.code.as_str())
        .collect();
    assert_eq!(strict_codes, ["cong-vu-cbcc-dai-hoc"]);
    // Reaching 95.0 is not passing "trên 95%": its gauge does not read 100 %.
    assert!(
        at.progress_pct.is_some_and(|p| p < 100.0),
        "{:?}",
        at.progress_pct
    );
    assert!(at.gauge_ratio().is_some_and(|g| g < 1.0));
    assert_eq!(met.progress_pct, Some(100.0));
}

/// The index and the satisfaction results of year Y are due early in Y+1; those of 2030 in 2031.
#[test]
fn the_2030_index_is_dated_in_2031() {
    let plan = plan();
    let index = find(&plan, "V.2.4/SNV/2030");
    assert_eq!(index.due, d("2031-03-31"));
    assert!(
        index.title.contains("Chỉ số CCHC năm 2030"),
        "{}",
        index.title
    );
    for (r, lead) in [
        ("V.2.4", "SNV"),
        ("III.4.2", "SNV"),
        ("V.7.2", "SYT"),
        ("V.8.2", "SGDDT"),
    ] {
        for year in 2026..=2030 {
            let t = find(&plan, &format!("{r}/{lead}/{year}"));
            assert_eq!(
                t.due,
                NaiveDate::from_ymd_opt(year + 1, 3, 31).unwrap(),
                "{}",
                t.plan_ref
            );
            // Never before the year it measures has ended.
            assert!(t.due > NaiveDate::from_ymd_opt(year, 12, 31).unwrap());
        }
    }
    let after_2030: Vec<&str> = plan
        .tasks
        .iter()
        .filter(|t| t.due > d("2030-12-31"))
        .map(|t| t.plan_ref.as_str())
        .collect();
    assert_eq!(after_2030.len(), 4, "{after_2030:?}");
}

/// IV.2: every body with a provincial budget estimates its CCHC money each year, before Sở Tài
/// chính aggregates it (V.5.3). The central agencies' budget does not go through Sở Tài chính.
#[test]
fn iv_2_budget_estimate_exists_for_every_agency() {
    let plan = plan();
    let mut with_duty = 0;
    for a in &plan.agencies {
        for year in 2027..=2030 {
            let r = format!("IV.2/{}/{year}", a.code);
            let t = plan.tasks.iter().find(|t| t.plan_ref == r);
            if a.kind == AgencyKind::Central {
                assert!(t.is_none(), "{r}");
                continue;
            }
            let t = t.unwrap_or_else(|| panic!("no task {r}"));
            assert_eq!(
                (t.lead_agency.as_str(), t.area.as_str(), t.due, t.recurrence),
                (
                    a.code.as_str(),
                    "tai-chinh",
                    NaiveDate::from_ymd_opt(year - 1, 7, 20).unwrap(),
                    Recurrence::Yearly
                ),
                "{r}"
            );
            assert!(t.title.contains(&format!("năm {year}")), "{}", t.title);
            assert!(t.title.contains("gửi Sở Tài chính"), "{}", t.title);
            assert!(t.due < find(&plan, &format!("V.5.3/STC/{year}")).due);
        }
        if a.kind != AgencyKind::Central {
            with_duty += 1;
        }
    }
    assert_eq!(
        with_duty, 12,
        "7 departments, the communes, 2 front bodies, 2 partners"
    );
    assert!(
        !plan
            .tasks
            .iter()
            .any(|t| t.plan_ref.starts_with("IV.2/") && t.plan_ref.ends_with("/2026"))
    );
}

/// Coordinating agencies the plan does not name are marked as inferred; those it names are not.
#[test]
fn inferred_coordinating_agencies_are_marked() {
    let plan = plan();
    #[rustfmt::skip]
    let expected: &[(&str, &[&str], &[&str])] = &[
        // (task, coordinating, of which inferred)
        // The press is asked to publicise CCHC's results (V.12), not named for III.1.4's work.
        ("III.1.4/SNV", &["BPTTH"], &["BPTTH"]),
        ("III.1.5", &["SKHCN"], &[]),
        ("III.3.1", &["STP"], &["STP"]),
        ("III.3.2a", &["STP"], &["STP"]),
        ("III.3.5", &["SKHCN", "CQTW", "UBNDXP"], &["SKHCN", "CQTW", "UBNDXP"]),
        ("III.5.2", &["TCT", "UBNDXP"], &["TCT", "UBNDXP"]),
        ("III.6.3", &["SYT", "SGDDT"], &[]),
        ("III.6.4b", &["UBNDXP"], &["UBNDXP"]),
        // The paragraph names sectors (tư pháp, giáo dục, y tế, đất đai), not bodies.
        ("III.7.4", &["STP", "SGDDT", "SYT"], &["STP", "SGDDT", "SYT"]),
        ("III.7.8", &["SNV"], &["SNV"]),
        ("V.2.2", &["BPTTH"], &["BPTTH"]),
        ("V.6.2", &["SNV"], &["SNV"]),
        ("V.7.1", &["STC"], &["STC"]),
        ("V.8.1", &["STC"], &["STC"]),
        ("V.10", &["VPUB", "UBNDXP"], &["VPUB"]),
        ("V.11", &["SNV"], &["SNV"]),
        ("V.12b", &["SNV"], &["SNV"]),
    ];
    for (r, with, inferred) in expected {
        let t = find(&plan, r);
        assert_eq!(t.coordinating, *with, "{r}");
        assert_eq!(t.coordinating_inferred, *inferred, "{r}");
    }
    // No other task has a coordinating agency, inferred or not (V.9 is now two tasks).
    let listed: HashSet<&str> = expected.iter().map(|e| e.0).collect();
    for t in &plan.tasks {
        if !listed.contains(t.plan_ref.as_str()) && !t.plan_ref.starts_with("III.1.4/") {
            assert!(
                t.coordinating.is_empty(),
                "{}: {:?}",
                t.plan_ref,
                t.coordinating
            );
        }
    }
}

/// Who leads, as the plan words it: III.1.4 is every body's for its own sector (V.1.4), V.9 is
/// the Front's and the socio-political organisations' alike, and a "phối hợp" duty of section V
/// is led by the body it addresses.
#[test]
fn leads_follow_the_plans_wording() {
    let plan = plan();
    let leads_of = |base: &str| -> Vec<&str> {
        plan.tasks
            .iter()
            .filter(|t| t.plan_ref == base || t.plan_ref.starts_with(&format!("{base}/")))
            .map(|t| t.lead_agency.as_str())
            .collect()
    };
    assert_eq!(
        leads_of("III.1.4"),
        [
            "SNV", "VPUB", "STP", "STC", "SKHCN", "SYT", "SGDDT", "UBNDXP"
        ]
    );
    assert_eq!(leads_of("V.9"), ["MTTQ", "CTXH"]);
    assert!(find(&plan, "V.9/MTTQ").coordinating.is_empty());
    assert!(find(&plan, "V.9/CTXH").coordinating.is_empty());
    for (r, lead) in [
        ("V.4.1", "STP"),
        ("V.6.2", "SKHCN"),
        ("V.10", "CQTW"),
        ("V.12b", "BPTTH"),
    ] {
        assert_eq!(leads_of(r), [lead], "{r}");
    }
    // The TTHC satisfaction targets stay with Văn phòng UBND tỉnh (V.3); the measurement V.2.4
    // gives Sở Nội vụ is the II.2.3 one.
    for i in &plan.indicators {
        if i.code.starts_with("tthc-hai-long") {
            assert_eq!(i.lead_agency, "VPUB", "{}", i.code);
        }
    }
    let sipas = plan
        .indicators
        .iter()
        .find(|i| i.code == "bo-may-hai-long-co-quan-hcnn")
        .unwrap();
    assert_eq!(sipas.lead_agency, "SNV");
}

/// Each body's 2026–2030 plan comes first of its plans (V.1.1a), the two II.2.1 bullets are
/// tasks, III.3.2b is a standing duty measured by two 2030 targets, and the indicator names
/// are the plan's words.
#[test]
fn dates_and_missing_pieces_as_the_plan_implies() {
    let plan = plan();
    for a in plan
        .agencies
        .iter()
        .filter(|a| matches!(a.kind, AgencyKind::Department | AgencyKind::Commune))
    {
        let period = find(&plan, &format!("V.1.1a/{}", a.code));
        let y2026 = find(&plan, &format!("V.1.1b/{}/2026", a.code));
        let y2027 = find(&plan, &format!("V.1.1b/{}/2027", a.code));
        assert!(period.due <= y2026.due, "{}", a.code);
        assert!(period.due < y2027.due, "{}", a.code);
    }
    for (r, phrase) in [
        ("II.2.1.4", "số hóa công tác phổ biến, giáo dục pháp luật"),
        ("II.2.1.5", "66-NQ/TW"),
        ("II.2.1.5", "258-KH/TU"),
        ("II.2.1.5", "219/KH-UBND"),
    ] {
        let t = find(&plan, r);
        assert!(t.detail.contains(phrase), "{r}: {phrase}");
        assert_eq!(
            (t.lead_agency.as_str(), t.area.as_str()),
            ("STP", "the-che")
        );
    }
    assert_eq!(find(&plan, "III.3.2b").due, d("2030-12-31"));
    let name = |code: &str| {
        plan.indicators
            .iter()
            .find(|i| i.code == code)
            .map(|i| i.name.clone())
            .unwrap()
    };
    assert_eq!(
        name("bo-may-hai-long-giao-duc"),
        "Mức độ hài lòng của người dân về cung cấp giáo dục công lập"
    );
    assert_eq!(
        name("chinh-quyen-so-quan-tri-du-lieu"),
        "Tỉnh Lạng Sơn đạt cấp độ mức độ trưởng thành về quản trị dữ liệu"
    );
}

/// Sections I and II.1 and the plan's identity are data, and the report opens with them.
#[test]
fn the_plan_identity_is_kept_and_shown_in_the_report() {
    let info = plan().info;
    assert_eq!(
        info.title,
        "Kế hoạch Cải cách hành chính nhà nước tỉnh Lạng Sơn giai đoạn 2026-2030"
    );
    assert_eq!(info.issuer, "UBND tỉnh Lạng Sơn");
    assert!(
        info.replaces
            .starts_with("Kế hoạch số 316/KH-UBND ngày 09/12/2025")
    );
    assert_eq!(info.purpose.len(), 2);
    assert_eq!(info.requirements.len(), 3);
    assert!(info.purpose[0].starts_with("Tiếp tục đẩy mạnh triển khai"));
    assert!(info.requirements[1].starts_with("Xác định rõ trách nhiệm của người đứng đầu"));
    assert!(
        info.general_objective
            .starts_with("Tiếp tục xây dựng nền hành chính dân chủ, pháp quyền")
    );
    assert!(
        info.general_objective
            .ends_with("hạn chế của giai đoạn 2021 - 2025.")
    );

    let sb = common::Sandbox::new();
    let db = sb.init_db("plan.db");
    for lang in ["vi", "en"] {
        let out = sb
            .cchc()
            .args(["report", "--period", "2026-Q3", "--lang", lang, "--db"])
            .arg(&db)
            .output()
            .unwrap();
        common::assert_success(&out);
        let md = common::stdout(&out);
        // The opening paragraph, before section I, names the plan and the one it replaces; its
        // aims stay in the JSON's `plan` and on the meeting's overview (the report is kept to a
        // few pages).
        let section_i = md
            .find(if lang == "vi" {
                "I. CÔNG TÁC CHỈ ĐẠO"
            } else {
                "I. DIRECTION"
            })
            .unwrap();
        let opening = &md[..section_i];
        assert!(
            opening.contains("316/KH-UBND ngày 09/12/2025"),
            "{lang}: {opening}"
        );
        assert!(opening.contains(&info.title), "{lang}");
    }
    let json = common::json(
        &sb.cchc()
            .args(["report", "--period", "2026-Q3", "--format", "json", "--db"])
            .arg(&db)
            .output()
            .unwrap(),
    );
    assert_eq!(json["plan"]["general_objective"], info.general_objective);
    assert_eq!(json["plan"]["purpose"][0], info.purpose[0]);
}

/// `cchc task show` marks an inferred coordinating agency as the detail pane does, and its JSON
/// carries the list.
#[test]
fn task_show_marks_inferred_coordinators() {
    let sb = common::Sandbox::new();
    let db = sb.init_db("show.db");
    let run = |args: &[&str]| {
        let out = sb.cchc().args(args).arg("--db").arg(&db).output().unwrap();
        common::assert_success(&out);
        out
    };
    let found = common::json(&run(&[
        "tasks",
        "--search",
        "thong suot TTHC lien thong",
        "--format",
        "json",
    ]));
    let task = &found.as_array().unwrap()[0];
    assert_eq!(task["plan_ref"], "V.10");
    let id = task["id"].to_string();
    for (lang, mark) in [("vi", "(suy ra)"), ("en", "(inferred)")] {
        let shown = common::stdout(&run(&["task", "show", &id, "--lang", lang]));
        assert!(
            shown.contains(&format!(
                "Văn phòng UBND tỉnh (VPUB) {mark}, UBND các xã, phường (UBNDXP)\n"
            )),
            "{shown}"
        );
    }
    let json = common::json(&run(&["task", "show", &id, "--format", "json"]));
    let inferred = if json["coordinating_inferred"].is_null() {
        &json["task"]["coordinating_inferred"]
    } else {
        &json["coordinating_inferred"]
    };
    assert_eq!(inferred, &serde_json::json!(["VPUB"]));
}

/// Where the plan names no lead for the work (III.1.4, V.1.6's appendix tasks), the lead is an
/// inference, flagged in the data and shown "(giả định)" beside the lead; a lead the plan names
/// is not.
#[test]
fn an_assumed_lead_is_flagged_and_shown() {
    assert_eq!(
        cchc::plan::leads_assumed(&cchc::plan::SOURCES).unwrap(),
        ["III.1.4", "V.1.6"]
    );
    assert!(cchc::plan::lead_assumed("V.1.6/SXD"));
    assert!(cchc::plan::lead_assumed("III.1.4/UBNDXP"));
    assert!(!cchc::plan::lead_assumed("V.1.5/SNV/2026-Q1"));
    assert!(!cchc::plan::lead_assumed(""));

    let sb = common::Sandbox::new();
    let db = sb.init_db("lead.db");
    let id_of = |plan_ref: &str| {
        let found = common::json(
            &sb.cchc()
                .args(["tasks", "--search", plan_ref, "--format", "json", "--db"])
                .arg(&db)
                .output()
                .unwrap(),
        );
        found[0]["id"].to_string()
    };
    for (plan_ref, assumed) in [("V.1.6/STP", true), ("V.1.2/STP", false)] {
        let id = id_of(plan_ref);
        for (lang, mark) in [
            ("vi", "Sở Tư pháp (STP) (giả định)"),
            ("en", "Sở Tư pháp (STP) (assumed)"),
        ] {
            let out = sb
                .cchc()
                .args(["task", "show", &id, "--lang", lang, "--db"])
                .arg(&db)
                .output()
                .unwrap();
            common::assert_success(&out);
            let shown = common::stdout(&out);
            assert_eq!(shown.contains(mark), assumed, "{plan_ref}: {shown}");
        }
    }
}
