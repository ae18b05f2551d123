use super::*;

const BASE: &str = r#"
[[area]]
code = "chi-dao"
name_vi = "Công tác chỉ đạo, điều hành"
name_en = "Direction"

[[area]]
code = "tthc"
name_vi = "Cải cách thủ tục hành chính"
name_en = "Procedures"

[[agency]]
code = "SNV"
name = "Sở Nội vụ"
kind = "department"

[[agency]]
code = "VPUB"
name = "Văn phòng UBND tỉnh"
kind = "department"

[[agency]]
code = "UBNDXP"
name = "UBND các xã, phường"
kind = "commune"

[[agency]]
code = "TCT"
name = "Trường Chính trị Hoàng Văn Thụ"
kind = "partner"
"#;

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn plan(extra: &str) -> Result<Plan, PlanError> {
    parse(&[("base.toml", BASE), ("extra.toml", extra)])
}

fn err(extra: &str) -> String {
    plan(extra).expect_err("should be rejected").to_string()
}

fn task<'a>(plan: &'a Plan, plan_ref: &str) -> &'a NewTask {
    plan.tasks
        .iter()
        .find(|t| t.plan_ref == plan_ref)
        .unwrap_or_else(|| panic!("no task {plan_ref}"))
}

const REPORTS: &str = r#"
[[duty]]
plan_ref = "V.1.5"
area = "chi-dao"
for_kinds = ["department", "commune"]
title = "Báo cáo CCHC {period}"
output = "Báo cáo {period} gửi UBND tỉnh (qua Sở Nội vụ)"
schedule = "report-cycle"
"#;

#[test]
fn embedded_plan_loads() {
    let plan = load().expect("the compiled-in plan is valid");
    assert_eq!(plan.areas.len(), 7);
    assert!(!plan.tasks.is_empty());
}

#[test]
fn report_cycle_gives_four_reports_per_agency_per_year() {
    let plan = plan(REPORTS).unwrap();
    // Departments and the commune group, not the partner.
    assert_eq!(plan.tasks.len(), 3 * 5 * 4);
    for agency in ["SNV", "VPUB", "UBNDXP"] {
        for year in FIRST_YEAR..=LAST_YEAR {
            let prefix = format!("V.1.5/{agency}/{year}-");
            let n = plan
                .tasks
                .iter()
                .filter(|t| t.plan_ref.starts_with(&prefix))
                .count();
            assert_eq!(n, 4, "{prefix}");
        }
    }
    assert!(!plan.tasks.iter().any(|t| t.lead_agency == "TCT"));

    let q1 = task(&plan, "V.1.5/SNV/2026-Q1");
    assert_eq!(q1.title, "Báo cáo CCHC quý I/2026");
    assert_eq!(
        q1.output,
        "Báo cáo quý I/2026 gửi UBND tỉnh (qua Sở Nội vụ)"
    );
    assert_eq!(q1.due, d("2026-03-15"));
    assert_eq!(q1.recurrence, Recurrence::Quarterly);
    assert!(q1.due_assumed);
    assert_eq!(q1.status, Status::NotStarted);
    assert_eq!(q1.progress, 0);
    assert_eq!(q1.completed_on, None);

    let h1 = task(&plan, "V.1.5/UBNDXP/2028-Q2");
    assert_eq!(h1.title, "Báo cáo CCHC 6 tháng đầu năm 2028");
    assert_eq!(h1.due, d("2028-06-15"));
    assert_eq!(h1.recurrence, Recurrence::HalfYearly);

    let q3 = task(&plan, "V.1.5/VPUB/2029-Q3");
    assert_eq!(q3.title, "Báo cáo CCHC quý III/2029");
    assert_eq!(q3.due, d("2029-09-15"));
    assert_eq!(q3.recurrence, Recurrence::Quarterly);

    let year = task(&plan, "V.1.5/SNV/2030-Q4");
    assert_eq!(year.title, "Báo cáo CCHC năm 2030");
    assert_eq!(year.due, d("2030-12-15"));
    assert_eq!(year.recurrence, Recurrence::Yearly);
}

#[test]
fn report_cycle_due_day_can_be_changed() {
    let plan = plan(&REPORTS.replace(
        "schedule = \"report-cycle\"",
        "schedule = \"report-cycle\"\ndue_day = 20",
    ))
    .unwrap();
    assert_eq!(task(&plan, "V.1.5/SNV/2027-Q2").due, d("2027-06-20"));
    let bad = REPORTS.replace(
        "schedule = \"report-cycle\"",
        "schedule = \"report-cycle\"\ndue_day = 31",
    );
    assert!(err(&bad).contains("due_day 31"));
}

#[test]
fn yearly_ahead_is_due_the_year_before_except_the_first() {
    let plan = plan(
        r#"
[[duty]]
plan_ref = "III.1.2"
area = "chi-dao"
for_agencies = ["SNV"]
title = "Kế hoạch CCHC {period} của tỉnh"
output = "Kế hoạch CCHC {period} được ban hành"
schedule = "yearly-ahead"
first_due = 2026-04-30
"#,
    )
    .unwrap();
    let dues: Vec<(&str, NaiveDate)> = plan
        .tasks
        .iter()
        .map(|t| (t.plan_ref.as_str(), t.due))
        .collect();
    assert_eq!(
        dues,
        [
            ("III.1.2/SNV/2026", d("2026-04-30")),
            ("III.1.2/SNV/2027", d("2026-12-31")),
            ("III.1.2/SNV/2028", d("2027-12-31")),
            ("III.1.2/SNV/2029", d("2028-12-31")),
            ("III.1.2/SNV/2030", d("2029-12-31")),
        ]
    );
    assert_eq!(plan.tasks[1].title, "Kế hoạch CCHC năm 2027 của tỉnh");
    assert!(
        plan.tasks
            .iter()
            .all(|t| t.recurrence == Recurrence::Yearly)
    );
}

#[test]
fn yearly_ahead_without_first_due_for_2026_falls_before_the_plan() {
    let e = err(r#"
[[duty]]
plan_ref = "III.1.2"
area = "chi-dao"
for_agencies = ["SNV"]
title = "Kế hoạch CCHC {period}"
output = "Kế hoạch"
schedule = "yearly-ahead"
"#);
    assert!(
        e.contains("III.1.2/SNV/2026") && e.contains("2025-12-31"),
        "{e}"
    );
}

#[test]
fn yearly_with_chosen_years() {
    let plan = plan(
        r#"
[[duty]]
plan_ref = "V.2.4"
area = "chi-dao"
for_agencies = ["SNV"]
coordinating = ["VPUB"]
title = "Xác định Chỉ số CCHC {period}"
output = "Chỉ số CCHC {period} được công bố"
schedule = "yearly"
years = [2027, 2028]
"#,
    )
    .unwrap();
    assert_eq!(plan.tasks.len(), 2);
    let t = task(&plan, "V.2.4/SNV/2028");
    assert_eq!(t.due, d("2028-12-31"));
    assert_eq!(t.title, "Xác định Chỉ số CCHC năm 2028");
    assert_eq!(t.coordinating, ["VPUB"]);
}

#[test]
fn the_seed_and_a_later_agency_share_one_expansion() {
    let files = [
        ("base.toml", BASE),
        (
            "duty.toml",
            r#"
[[duty]]
plan_ref = "V.1.5"
area = "chi-dao"
for_kinds = ["department", "commune"]
title = "Báo cáo CCHC {period}"
output = "Báo cáo {period}"
schedule = "report-cycle"
"#,
        ),
    ];
    let (plan, duties) = parse_with_duties(&files).unwrap();
    assert_eq!(duties.len(), 1);
    let seeded: Vec<&NewTask> = plan
        .tasks
        .iter()
        .filter(|t| t.lead_agency == "SNV")
        .collect();
    let again = expand_duty(&duties[0], "SNV", None);
    assert_eq!(seeded.into_iter().cloned().collect::<Vec<_>>(), again);
    // From a day: only what falls due on or after it.
    let later = expand_duty(&duties[0], "SXD", Some(d("2026-09-15")));
    assert_eq!(later[0].plan_ref, "V.1.5/SXD/2026-Q3");
    assert_eq!(later[0].due, d("2026-09-15"));
    assert_eq!(later.len(), again.len() - 2);
    let later = expand_duty(&duties[0], "SXD", Some(d("2026-09-16")));
    assert_eq!(later[0].plan_ref, "V.1.5/SXD/2026-Q4");
}

#[test]
fn once_duty_gives_one_task_per_agency() {
    let plan = plan(
        r#"
[[duty]]
plan_ref = "V.1.1a"
area = "chi-dao"
for_kinds = ["department"]
title = "Xây dựng Kế hoạch CCHC giai đoạn 2026 - 2030"
output = "Kế hoạch được ban hành"
schedule = "once"
due = 2026-12-31
"#,
    )
    .unwrap();
    let refs: Vec<&str> = plan.tasks.iter().map(|t| t.plan_ref.as_str()).collect();
    assert_eq!(refs, ["V.1.1a/SNV", "V.1.1a/VPUB"]);
    assert!(
        plan.tasks
            .iter()
            .all(|t| t.recurrence == Recurrence::Once && t.due == d("2026-12-31"))
    );
}

#[test]
fn tasks_follow_plan_order_and_text_is_nfc() {
    let plan = plan(
        "
[[task]]
plan_ref = \"III.10.1\"
area = \"tthc\"
lead_agency = \"VPUB\"
title = \"Nhiê\u{0323}m vu\u{0323} sau\"
output = \"X\"
due = 2030-12-31
due_assumed = true

[[task]]
plan_ref = \"III.2.1b\"
area = \"tthc\"
lead_agency = \"VPUB\"
title = \"  B  \"
output = \"X\"
due = 2026-12-31
due_assumed = false

[[task]]
plan_ref = \"III.2.1a\"
area = \"tthc\"
lead_agency = \"VPUB\"
title = \"A\"
output = \"X\"
due = 2026-12-31
due_assumed = true
",
    )
    .unwrap();
    let refs: Vec<&str> = plan.tasks.iter().map(|t| t.plan_ref.as_str()).collect();
    assert_eq!(refs, ["III.2.1a", "III.2.1b", "III.10.1"]);
    assert_eq!(plan.tasks[2].title, "Nhiệm vụ sau");
    assert_eq!(plan.tasks[1].title, "B");
    assert!(!plan.tasks[1].due_assumed);
}

#[test]
fn ref_keys_sort_naturally() {
    let k = |s| ref_key(s).unwrap();
    assert!(k("III.2") < k("III.10"));
    assert!(k("III.7.8") < k("V.1.1a"));
    assert!(k("V.1.1a") < k("V.1.1b"));
    assert!(k("V.1.1b") < k("V.1.2"));
    assert!(k("V.9") < k("V.12a"));
    for bad in [
        "", "III", "III.", "3.1", "III.a", "III.01", "V.1.1ab", "V.1/SNV",
    ] {
        assert!(ref_key(bad).is_none(), "{bad}");
    }
}

const TASK: &str = r#"
[[task]]
plan_ref = "III.3.1"
area = "tthc"
lead_agency = "VPUB"
coordinating = ["SNV"]
title = "Kiểm soát TTHC"
output = "TTHC được kiểm soát"
due = 2030-12-31
due_assumed = true
"#;

#[test]
fn the_task_fixture_is_valid() {
    let plan = plan(TASK).unwrap();
    assert_eq!(plan.tasks.len(), 1);
    assert_eq!(plan.tasks[0].recurrence, Recurrence::Once);
}

#[test]
fn rejects_unknown_codes() {
    let e = err(&TASK.replace("area = \"tthc\"", "area = \"tthc2\""));
    assert_eq!(e, "task III.3.1: unknown area `tthc2`");
    let e = err(&TASK.replace("lead_agency = \"VPUB\"", "lead_agency = \"SXD\""));
    assert_eq!(e, "task III.3.1: unknown agency `SXD`");
    let e = err(&TASK.replace("[\"SNV\"]", "[\"SNV\", \"BQL\"]"));
    assert_eq!(e, "task III.3.1: unknown agency `BQL`");
    let e = err(&TASK.replace("[\"SNV\"]", "[\"VPUB\"]"));
    assert!(e.contains("also listed as coordinating"), "{e}");
}

#[test]
fn rejects_duplicates() {
    let e = err(&format!("{TASK}{TASK}"));
    assert_eq!(e, "plan_ref `III.3.1` is defined more than once");
    let e = err("[[agency]]\ncode = \"SNV\"\nname = \"Khác\"\nkind = \"department\"\n");
    assert_eq!(e, "agency `SNV` is defined more than once");
    let e = err("[[area]]\ncode = \"tthc\"\nname_vi = \"X\"\nname_en = \"X\"\n");
    assert_eq!(e, "area `tthc` is defined more than once");
}

#[test]
fn rejects_unknown_fields_and_bad_values_with_the_file_name() {
    let e = err(&TASK.replace("due_assumed = true", "due_assumed = true\nnote = \"x\""));
    assert!(e.starts_with("extra.toml:") && e.contains("note"), "{e}");
    let e = err(&TASK.replace("due = 2030-12-31", "due = \"soon\""));
    assert!(e.starts_with("extra.toml:"), "{e}");
    let e = err(&TASK.replace("due_assumed = true\n", ""));
    assert!(e.contains("due_assumed"), "{e}");
    let e = err("[[agency]]\ncode = \"X\"\nname = \"X\"\nkind = \"ministry\"\n");
    assert!(e.contains("ministry"), "{e}");
}

#[test]
fn rejects_dates_outside_the_plan() {
    let e = err(&TASK.replace("2030-12-31", "2031-06-30"));
    assert_eq!(
        e,
        "task III.3.1: 2031-06-30 is outside the plan period 2026-01-01 to 2030-12-31"
    );
}

#[test]
fn rejects_bad_plan_refs_and_long_titles() {
    let e = err(&TASK.replace("\"III.3.1\"", "\"3.3.1\""));
    assert!(e.contains("plan_ref must look like"), "{e}");
    let long = "x".repeat(TITLE_MAX + 1);
    let e = err(&TASK.replace("Kiểm soát TTHC", &long));
    assert!(e.contains("title has 121 characters"), "{e}");
    let e = err(&TASK.replace("Kiểm soát TTHC", "Báo cáo {period}"));
    assert!(e.contains("[[duty]]"), "{e}");
}

const INDICATOR: &str = r#"
[[indicator]]
code = "tthc-ket-qua-dien-tu"
area = "tthc"
name = "Tỷ lệ cấp kết quả giải quyết TTHC điện tử"
unit = "percent"
direction = "at-least"
lead_agency = "VPUB"
targets = [{ value = 90, due = 2027-12-31 }, { value = 100, due = 2030-12-31 }]
"#;

#[test]
fn indicator_maps_to_the_model() {
    let plan = plan(INDICATOR).unwrap();
    let i = &plan.indicators[0];
    assert_eq!(i.unit, Unit::Percent);
    assert_eq!(i.direction, Direction::AtLeast);
    assert_eq!(i.baseline, None);
    assert_eq!(
        i.targets,
        [
            Target {
                value: 90.0,
                due: d("2027-12-31")
            },
            Target {
                value: 100.0,
                due: d("2030-12-31")
            }
        ]
    );
}

#[test]
fn rejects_bad_indicators() {
    let swapped = INDICATOR
        .replace("2027-12-31", "2032-01-01")
        .replace("2030-12-31", "2027-12-31");
    let e = err(&swapped);
    assert!(e.starts_with("indicator `tthc-ket-qua-dien-tu`"), "{e}");

    let descending = INDICATOR
        .replace("due = 2027-12-31", "due = 2030-12-31")
        .replace(
            "value = 100, due = 2030-12-31",
            "value = 100, due = 2027-12-31",
        );
    let e = err(&descending);
    assert!(e.contains("does not come after"), "{e}");

    let none = INDICATOR.replace(
        "targets = [{ value = 90, due = 2027-12-31 }, { value = 100, due = 2030-12-31 }]",
        "targets = []",
    );
    assert_eq!(
        err(&none),
        "indicator `tthc-ket-qua-dien-tu`: has no target"
    );

    let e = err(&INDICATOR.replace("value = 100", "value = 120"));
    assert!(e.contains("target value 120"), "{e}");

    let e = err(&INDICATOR.replace("code = \"tthc-", "code = \"chi-dao-"));
    assert!(e.contains("must start with its area `tthc-`"), "{e}");

    let e = err(&INDICATOR.replace("\"at-least\"", "\"reduce-by\""));
    assert!(e.contains("needs a baseline"), "{e}");

    let reduce = INDICATOR.replace("\"at-least\"", "\"reduce-by\"").replace(
        "lead_agency = \"VPUB\"",
        "lead_agency = \"VPUB\"\nbaseline = { date = 2025-12-31, label = \"năm 2025\" }",
    );
    let plan = plan(&reduce).unwrap();
    let b = plan.indicators[0].baseline.as_ref().unwrap();
    assert_eq!(
        (b.value, b.date, b.label.as_str()),
        (None, d("2025-12-31"), "năm 2025")
    );
}

#[test]
fn rejects_bad_duties() {
    let e = err(&REPORTS.replace(
        "for_kinds = [\"department\", \"commune\"]",
        "for_kinds = [\"department\"]\nfor_agencies = [\"SNV\"]",
    ));
    assert!(
        e.contains("exactly one of for_agencies and for_kinds"),
        "{e}"
    );

    let e = err(&REPORTS.replace("[\"department\", \"commune\"]", "[\"front\"]"));
    assert!(e.contains("no agency has any of the kinds"), "{e}");

    let e = err(&REPORTS.replace("Báo cáo CCHC {period}", "Báo cáo CCHC"));
    assert!(e.contains("must say its {period}"), "{e}");

    let e = err(&REPORTS.replace("Báo cáo CCHC {period}", "Báo cáo {quarter} {period}"));
    assert!(e.contains("unknown placeholder"), "{e}");

    let e = err(&REPORTS.replace(
        "schedule = \"report-cycle\"",
        "schedule = \"report-cycle\"\ndue = 2026-12-31",
    ));
    assert!(e.contains("`due` does not apply"), "{e}");

    let e = err(&REPORTS.replace(
        "schedule = \"report-cycle\"",
        "schedule = \"report-cycle\"\nyears = [2028, 2027]",
    ));
    assert!(e.contains("ascending"), "{e}");

    let e = err(&REPORTS.replace("\"report-cycle\"", "\"monthly\""));
    assert!(e.starts_with("extra.toml:") && e.contains("monthly"), "{e}");
}

/// Issue 14: a year's results due after it (into 2031 for 2030, and only those), a
/// yearly-ahead duty on a chosen day, inferred coordinators as a subset, a strict target.
#[test]
fn yearly_after_month_day_inferred_and_above() {
    let results = r#"
[[duty]]
plan_ref = "V.2.4"
area = "chi-dao"
for_agencies = ["SNV"]
title = "Chỉ số CCHC {period}"
output = "Chỉ số CCHC {period} được công bố"
schedule = "yearly-after"
"#;
    let plan = plan(results).unwrap();
    assert_eq!(task(&plan, "V.2.4/SNV/2026").due, d("2027-03-31"));
    assert_eq!(task(&plan, "V.2.4/SNV/2030").due, d("2031-03-31"));
    assert_eq!(task(&plan, "V.2.4/SNV/2030").title, "Chỉ số CCHC năm 2030");
    let moved = results.replace(
        "schedule = \"yearly-after\"",
        "schedule = \"yearly-after\"\ndue_month = 5\ndue_day = 15",
    );
    assert_eq!(
        task(&plan_ok(&moved), "V.2.4/SNV/2030").due,
        d("2031-05-15")
    );
    // Only a yearly-after duty reaches past 2030.
    let once = results
        .replace(
            "schedule = \"yearly-after\"",
            "schedule = \"once\"\ndue = 2031-03-31",
        )
        .replace(" {period}", "");
    let e = err(&once);
    assert!(e.contains("outside the plan period"), "{e}");
    let e = err(&results.replace("yearly-after", "yearly").replace(
        "schedule = \"yearly\"",
        "schedule = \"yearly\"\ndue_day = 1",
    ));
    assert!(e.contains("`due_day` does not apply"), "{e}");

    let budget = r#"
[[duty]]
plan_ref = "IV.2"
area = "chi-dao"
for_kinds = ["department"]
title = "Dự toán {period}"
output = "Dự toán {period}"
schedule = "yearly-ahead"
due_month = 7
due_day = 20
years = [2027, 2028]
"#;
    let plan = plan_ok(budget);
    assert_eq!(task(&plan, "IV.2/VPUB/2027").due, d("2026-07-20"));
    assert_eq!(task(&plan, "IV.2/SNV/2028").due, d("2027-07-20"));
    let e = err(&budget.replace("due_month = 7", "due_month = 13"));
    assert!(e.contains("is not a date"), "{e}");

    let inferred = TASK.replace(
        "coordinating = [\"SNV\"]",
        "coordinating = [\"SNV\"]\ncoordinating_inferred = [\"SNV\"]",
    );
    assert_eq!(plan_ok(&inferred).tasks[0].coordinating_inferred, ["SNV"]);
    let e = err(&TASK.replace(
        "coordinating = [\"SNV\"]",
        "coordinating = [\"SNV\"]\ncoordinating_inferred = [\"TCT\"]",
    ));
    assert!(e.contains("`TCT` is not in coordinating"), "{e}");

    let above = INDICATOR.replace("\"at-least\"", "\"above\"");
    let strict = plan_ok(&above.replace("value = 100", "value = 95"));
    assert_eq!(strict.indicators[0].direction, Direction::Above);
    // Nothing is strictly above 100 %.
    let e = err(&above);
    assert!(e.contains("does not fit"), "{e}");
}

fn plan_ok(extra: &str) -> Plan {
    plan(extra).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn base_refs_are_unique_across_tasks_and_duties() {
    let e = err(&format!("{REPORTS}{}", TASK.replace("III.3.1", "V.1.5")));
    assert_eq!(e, "plan_ref `V.1.5` is defined more than once");
}
