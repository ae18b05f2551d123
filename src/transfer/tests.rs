use super::*;

fn fixtures() -> (Vec<Area>, Vec<Agency>) {
    (
        vec![Area {
            code: "tthc".into(),
            name_vi: "Cải cách thủ tục hành chính".into(),
            name_en: "Administrative procedures".into(),
        }],
        vec![Agency {
            code: "SNV".into(),
            name: "Sở Nội vụ".into(),
            kind: AgencyKind::Department,
        }],
    )
}

#[test]
fn streamed_csv_fields_match_csv_row() {
    let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
    let plain = Task {
        id: 7,
        plan_ref: String::new(),
        area: "tthc".into(),
        lead_agency: "SNV".into(),
        coordinating: vec![],
        coordinating_inferred: vec![],
        title: "Việc \"A\", có dấu phẩy".into(),
        detail: "không xuất".into(),
        output: "dòng 1\ndòng 2".into(),
        due: d("2026-12-31"),
        due_assumed: false,
        recurrence: Recurrence::Once,
        status: Status::NotStarted,
        progress: 0,
        completed_on: None,
        version: 3,
        updated_by: "a".into(),
        updated_at: String::new(),
    };
    let done = Task {
        id: 12345,
        plan_ref: "II.3".into(),
        coordinating: vec!["SNV".into(), "STC".into(), "VPUB".into()],
        due_assumed: true,
        status: Status::Done,
        progress: 100,
        completed_on: Some(d("2027-01-02")),
        ..plain.clone()
    };
    let mut rows = csv::Writer::from_writer(Vec::new());
    let mut fields = csv::Writer::from_writer(Vec::new());
    let mut buf = String::new();
    for t in [&plain, &done] {
        rows.write_record(csv_row(t)).unwrap();
        write_csv_fields(&mut fields, t, &mut buf).unwrap();
        fields.write_record(None::<&[u8]>).unwrap();
    }
    assert_eq!(
        String::from_utf8(fields.into_inner().unwrap()).unwrap(),
        String::from_utf8(rows.into_inner().unwrap()).unwrap()
    );
}

#[test]
fn csv_rows_resolve_names_without_diacritics_and_report_every_bad_row() {
    let (areas, agencies) = fixtures();
    let ok = "area,lead_agency,title,due,status,progress\ntthc,so noi vu,Việc A,2026-12-31,in-progress,40\n";
    let batch = parse_import(ok, &areas, &agencies, false).unwrap();
    assert_eq!(batch.tasks[0].lead_agency, "SNV");
    assert_eq!(batch.tasks[0].progress, 40);

    let bad = "area,lead_agency,title,due\ntthc,SNV,Tốt,2026-01-01\nxyz,SNV,A,2026-01-01\ntthc,Sở Lạ,B,31/02/2026\n";
    let errs = parse_import(bad, &areas, &agencies, false).unwrap_err();
    let rows: Vec<usize> = errs.iter().map(|e| e.row).collect();
    assert_eq!(rows, vec![3, 4], "{errs:?}");
    assert!(errs[0].reason.contains("unknown area"));
}

#[test]
fn create_agencies_makes_codes() {
    let (areas, agencies) = fixtures();
    let csv = "area,lead_agency,title,due\ntthc,Sở Xây dựng,A,2026-12-31\ntthc,so xay dung,B,2026-12-31\n";
    let batch = parse_import(csv, &areas, &agencies, true).unwrap();
    assert_eq!(batch.new_agencies.len(), 1);
    assert_eq!(batch.new_agencies[0].code, "SXD");
    assert_eq!(batch.tasks[1].lead_agency, "SXD");
}

#[test]
fn missing_columns_are_named() {
    let (areas, agencies) = fixtures();
    let errs = parse_import("title\nx\n", &areas, &agencies, false).unwrap_err();
    assert!(
        errs[0].reason.contains("area, lead_agency, due"),
        "{errs:?}"
    );
}
