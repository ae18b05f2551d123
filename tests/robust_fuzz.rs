//! No input makes cchc panic: the importers (CSV and JSON), a returned sheet's cells and a
//! damaged sheet, the date and number parsers of every flag, and the search box. Property tests with a modest number of cases in `cargo test`;
//! `PROPTEST_CASES=5000 cargo test --test robust_fuzz` runs longer.

use std::sync::{Mutex, OnceLock};

use cchc::model::{Agency, Area, Measurement, Plan};
use cchc::search::SearchIndex;
use cchc::store::{OpenOptions, Store, TaskFilter};
use cchc::transfer::{self, ExportDoc, TaskRecord};
use chrono::NaiveDate;
use clap::Parser;
use proptest::prelude::*;
use serde_json::Value;

fn plan() -> &'static Plan {
    static PLAN: OnceLock<Plan> = OnceLock::new();
    PLAN.get_or_init(|| cchc::plan::load().expect("the built-in plan"))
}

fn areas() -> &'static [Area] {
    &plan().areas
}

fn agencies() -> &'static [Agency] {
    &plan().agencies
}

/// One seeded store shared by the cases that import what the parser accepted.
fn store() -> &'static Mutex<(tempfile::TempDir, Store)> {
    static STORE: OnceLock<Mutex<(tempfile::TempDir, Store)>> = OnceLock::new();
    STORE.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(
            &dir.path().join("fuzz.sqlite3"),
            "fuzz",
            OpenOptions {
                create_with: Some(plan().clone()),
                ..Default::default()
            },
        )
        .unwrap();
        Mutex::new((dir, store))
    })
}

/// A small, valid export document (3 tasks, 2 measurements) as JSON, to mutate.
fn export_skeleton() -> &'static Value {
    static DOC: OnceLock<Value> = OnceLock::new();
    DOC.get_or_init(|| {
        let guard = store().lock().unwrap();
        let today = NaiveDate::from_ymd_opt(2026, 9, 30).unwrap();
        let tasks = guard.1.tasks(&TaskFilter::default()).unwrap();
        let doc = ExportDoc {
            format: transfer::EXPORT_FORMAT.into(),
            version: 1,
            exported_at: "2026-09-30T00:00:00Z".into(),
            as_of: Some(today),
            areas: Vec::new(),
            agencies: Vec::new(),
            indicators: Vec::new(),
            measurements: (0..2)
                .map(|i| Measurement {
                    id: i,
                    indicator: plan().indicators[i as usize].code.clone(),
                    value: 50.0,
                    measured_on: today,
                    source: "khảo sát SIPAS".into(),
                    note: String::new(),
                    recorded_by: "fuzz".into(),
                    recorded_at: "2026-09-30T00:00:00Z".into(),
                })
                .collect(),
            tasks: tasks[..3]
                .iter()
                .map(|t| TaskRecord::new(t, today))
                .collect(),
        };
        serde_json::to_value(&doc).unwrap()
    })
}

/// JSON pointers to every value in `v` (objects and arrays included).
fn pointers(v: &Value, at: String, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                pointers(
                    x,
                    format!("{at}/{}", k.replace('~', "~0").replace('/', "~1")),
                    out,
                );
            }
        }
        Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                pointers(x, format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
    out.push(at);
}

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_filter("JSON has no NaN or infinity", |f| f.is_finite())
            .prop_map(Value::from),
        field_text().prop_map(Value::String),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map(field_text(), inner, 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// Text a member might type, or a machine might emit: codes, dates, numbers, Vietnamese,
/// quotes, separators, control characters, or anything at all.
fn field_text() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        Just("tthc".to_string()),
        Just("SNV".to_string()),
        Just("Sở Nội vụ".to_string()),
        Just("so noi vu".to_string()),
        Just("2026-12-31".to_string()),
        Just("31/12/2026".to_string()),
        Just("2026-02-30".to_string()),
        Just("in-progress".to_string()),
        Just("done".to_string()),
        Just("100".to_string()),
        Just("150".to_string()),
        Just("-1".to_string()),
        Just("1e309".to_string()),
        Just("99999999999999999999999".to_string()),
        Just("\"".to_string()),
        Just("a,b".to_string()),
        Just("\u{feff}".to_string()),
        Just("Ba\u{300}i".to_string()),
        "[0-9]{1,5}[-/.][0-9]{1,3}[-/.][0-9]{1,5}",
        "[a-zA-Z0-9 ,;\"'\\-]{0,12}",
        "\\PC{0,16}",
        any::<String>(),
    ]
}

const COLUMNS: &[&str] = &[
    "area",
    "lead_agency",
    "title",
    "due",
    "status",
    "progress",
    "coordinating",
    "output",
    "plan_ref",
    "completed_on",
    "recurrence",
    "id",
    "overdue",
    "",
    "AREA",
];

fn csv_field(s: &str, quote: bool) -> String {
    if quote {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// A CSV of plausible columns and fields, sometimes quoted, sometimes ragged: half of them
/// with the four required columns first and mostly sensible values, so that some are
/// accepted and reach the store.
fn csv_text() -> impl Strategy<Value = String> {
    prop_oneof![loose_csv(), tasks_csv()]
}

fn tasks_csv() -> impl Strategy<Value = String> {
    let area = prop_oneof![
        6 => prop::sample::select(vec!["tthc", "the-che", "chinh-quyen-so", "TTHC", " bo-may "])
            .prop_map(String::from),
        1 => field_text(),
    ];
    let agency = prop_oneof![
        6 => prop::sample::select(vec!["SNV", "VPUB", "Sở Nội vụ", "so noi vu", "Sở Mới Lập", ""])
            .prop_map(String::from),
        1 => field_text(),
    ];
    let due = prop_oneof![
        6 => prop::sample::select(vec!["2026-12-31", "31/12/2027", "2030-02-29"]).prop_map(String::from),
        1 => field_text(),
    ];
    let row = (
        area,
        agency,
        field_text(),
        due,
        prop::collection::vec(field_text(), 0..4),
    );
    (
        prop::collection::vec(prop::sample::select(COLUMNS), 0..4),
        prop::collection::vec(row, 1..4),
        any::<bool>(),
    )
        .prop_map(|(extra, rows, quote)| {
            let mut s = String::from("area,lead_agency,title,due");
            for c in &extra {
                s.push(',');
                s.push_str(c);
            }
            for (area, agency, title, due, more) in rows {
                s.push('\n');
                let mut fields = vec![area, agency, title, due];
                fields.extend(more);
                let fields: Vec<String> = fields.iter().map(|f| csv_field(f, quote)).collect();
                s.push_str(&fields.join(","));
            }
            s
        })
}

fn loose_csv() -> impl Strategy<Value = String> {
    (
        prop::collection::vec(prop::sample::select(COLUMNS), 0..8),
        prop::collection::vec(
            prop::collection::vec((field_text(), any::<bool>()), 0..9),
            0..5,
        ),
        prop::sample::select(&["\n", "\r\n", ""][..]),
        any::<bool>(),
    )
        .prop_map(|(header, rows, newline, bom)| {
            let mut s = String::new();
            if bom {
                s.push('\u{feff}');
            }
            s.push_str(&header.join(","));
            for row in rows {
                s.push_str(if newline.is_empty() { "\n" } else { newline });
                let fields: Vec<String> = row.iter().map(|(f, q)| csv_field(f, *q)).collect();
                s.push_str(&fields.join(","));
            }
            s
        })
}

/// Whatever the parser accepts must already be checked: known area and agencies (or ones it
/// will create), a title, a percent.
fn accepted_is_valid(batch: &transfer::ImportBatch) {
    let known = |code: &str| {
        agencies().iter().any(|a| a.code == code)
            || batch.new_agencies.iter().any(|a| a.code == code)
    };
    for t in &batch.tasks {
        assert!(areas().iter().any(|a| a.code == t.area), "{t:?}");
        assert!(known(&t.lead_agency), "{t:?}");
        assert!(t.coordinating.iter().all(|c| known(c)), "{t:?}");
        assert!(!t.title.trim().is_empty(), "{t:?}");
        assert!(t.progress <= 100, "{t:?}");
    }
}

fn import_into_store(batch: &transfer::ImportBatch) {
    let mut guard = store().lock().unwrap_or_else(|p| p.into_inner());
    let store = &mut guard.1;
    // The store either imports it or refuses with an error; it never panics, and the log's
    // chain holds either way.
    let _ = store.import(
        &batch.new_agencies,
        &batch.tasks,
        &batch.measurements,
        "fuzz",
    );
    assert_eq!(store.verify_chain().unwrap(), None);
}

/// The parts of an agency sheet (SNV's, for the year), inflated, to damage and zip again.
fn sheet_parts() -> &'static Vec<(String, Vec<u8>)> {
    static PARTS: OnceLock<Vec<(String, Vec<u8>)>> = OnceLock::new();
    PARTS.get_or_init(|| {
        use cchc::office::sheet::{SheetInput, agency_workbook, tasks_for};
        let guard = store().lock().unwrap();
        let tasks = guard.1.tasks(&TaskFilter::default()).unwrap();
        let agencies = guard.1.agencies().unwrap();
        let agency = agencies.iter().find(|a| a.code == "SNV").unwrap();
        let period = cchc::model::ReportPeriod::parse("2026").unwrap();
        let input = SheetInput {
            agency,
            period,
            made_on: NaiveDate::from_ymd_opt(2026, 11, 15).unwrap(),
            lang: cchc::model::Lang::Vi,
            tasks: tasks_for("SNV", period, &tasks),
            agencies: &agencies,
            indicators: Vec::new(),
        };
        let bytes = agency_workbook(&input).unwrap().save_to_buffer().unwrap();
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        (0..zip.len())
            .map(|i| {
                let mut part = zip.by_index(i).unwrap();
                let mut data = Vec::new();
                std::io::Read::read_to_end(&mut part, &mut data).unwrap();
                (part.name().unwrap().to_string(), data)
            })
            .collect()
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(
        std::env::var("PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(256)
    ))]

    #[test]
    fn import_never_panics_on_any_text(text in any::<String>(), create in any::<bool>()) {
        if let Ok(batch) = transfer::parse_import(&text, areas(), agencies(), create) {
            accepted_is_valid(&batch);
        }
    }

    #[test]
    fn import_never_panics_on_csv_like_text(text in csv_text(), create in any::<bool>()) {
        if let Ok(batch) = transfer::parse_import(&text, areas(), agencies(), create) {
            accepted_is_valid(&batch);
            import_into_store(&batch);
        }
    }

    #[test]
    fn import_never_panics_on_arbitrary_json(v in json_value()) {
        let text = v.to_string();
        let _ = transfer::parse_import(&text, areas(), agencies(), true);
        // A JSON document that is not an object goes to the CSV reader: also fine.
        let _ = transfer::parse_import(&format!("{{\"x\":{text}}}"), areas(), agencies(), false);
    }

    #[test]
    fn import_never_panics_on_a_mutated_export(
        edits in prop::collection::vec((any::<prop::sample::Index>(), prop::option::of(json_value())), 1..6),
        create in any::<bool>(),
    ) {
        let mut doc = export_skeleton().clone();
        for (at, value) in edits {
            let mut all = Vec::new();
            pointers(&doc, String::new(), &mut all);
            let ptr = at.get(&all).clone();
            match value {
                Some(v) => {
                    if let Some(slot) = doc.pointer_mut(&ptr) {
                        *slot = v;
                    }
                }
                None => {
                    // Remove the value: a missing field.
                    if let Some((parent, key)) = ptr.rsplit_once('/')
                        && let Some(Value::Object(m)) = doc.pointer_mut(parent)
                    {
                        m.remove(&key.replace("~1", "/").replace("~0", "~"));
                    }
                }
            }
        }
        let text = serde_json::to_string_pretty(&doc).unwrap();
        if let Ok(batch) = transfer::parse_import(&text, areas(), agencies(), create) {
            accepted_is_valid(&batch);
            import_into_store(&batch);
        }
    }

    #[test]
    fn dates_never_panic(s in field_text()) {
        if let Ok(d) = cchc::context::parse_date(&s) {
            // What parses, prints back as a date that parses to itself.
            prop_assert_eq!(cchc::context::parse_date(&d.to_string()), Ok(d));
        }
    }

    #[test]
    fn flags_never_panic(
        percent in field_text(),
        date in field_text(),
        status in field_text(),
        quarter in field_text(),
        role in field_text(),
        id in field_text(),
    ) {
        let parse = |args: &[&str]| {
            let _ = cchc::cli::Cli::try_parse_from(std::iter::once("cchc").chain(args.iter().copied()));
        };
        parse(&["task", "set", &id, "--progress", &percent, "--due", &date, "--status", &status]);
        parse(&["tasks", "--today", &date, "--due-before", &date, "--status", &status]);
        parse(&["indicator", "record", &id, &percent, "--date", &date]);
        parse(&["report", "--quarter", &quarter]);
        parse(&["member", "add", &id, "--agency", &status, "--role", &role]);
        let _ = cchc::model::ReportPeriod::parse(&quarter);
        if let Ok(cli) = cchc::cli::Cli::try_parse_from(["cchc", "task", "set", "1", "--progress", &percent]) {
            // An accepted percent is 0–100.
            if let Some(cchc::cli::Command::Task(cchc::cli::TaskCommand::Set { progress, .. })) = cli.command {
                prop_assert!(progress.unwrap_or(0) <= 100);
            }
        }
    }

    #[test]
    fn search_never_panics(query in field_text(), haystacks in prop::collection::vec(field_text(), 0..6)) {
        static TITLES: OnceLock<SearchIndex> = OnceLock::new();
        let plan_index = TITLES.get_or_init(|| {
            SearchIndex::new(plan().tasks.iter().enumerate().map(|(i, t)| (i as i64, t.title.clone())))
        });
        let hits = plan_index.search(&query);
        prop_assert!(hits.len() <= plan_index.len());
        let small = SearchIndex::new(haystacks.iter().enumerate().map(|(i, h)| (i as i64, h.as_str())));
        let _ = small.search(&query);
        let _ = cchc::text::fold(&query);
    }

    #[test]
    fn returned_cells_never_panic(v in any::<f64>(), s in field_text(), is_1904 in any::<bool>()) {
        use calamine::{Data, ExcelDateTime, ExcelDateTimeType};
        use cchc::office::cells;
        use chrono::Datelike;
        for d in [
            Data::Float(v),
            Data::Int(v as i64),
            Data::String(s.clone()),
            Data::DateTimeIso(s.clone()),
            Data::DateTime(ExcelDateTime::new(v, ExcelDateTimeType::DateTime, is_1904)),
            Data::DateTime(ExcelDateTime::new(v, ExcelDateTimeType::TimeDelta, is_1904)),
        ] {
            for lang in [cchc::model::Lang::Vi, cchc::model::Lang::En] {
                if let Ok(Some(date)) = cells::date(&d, lang) {
                    prop_assert!((2000..=2100).contains(&date.year()), "{d:?} read as {date}");
                }
                let _ = (cells::number(&d, lang), cells::percent(&d, lang));
                let _ = (cells::int(&d), cells::text(&d));
            }
        }
    }

    /// A sheet whose parts were edited at random (then zipped again, so the zip is sound and
    /// what is damaged is the workbook's XML), or whose file was cut or overwritten, is read or
    /// refused, never a panic.
    #[test]
    fn a_damaged_sheet_never_panics(
        part in any::<prop::sample::Index>(),
        edits in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..12),
        file_cut in prop::option::of(any::<prop::sample::Index>()),
    ) {
        let mut parts = sheet_parts().clone();
        let target = part.index(parts.len());
        for (at, byte) in edits {
            let data = &mut parts[target].1;
            if !data.is_empty() {
                let i = at.index(data.len());
                data[i] = byte;
            }
        }
        let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        for (name, data) in &parts {
            zip.start_file(name.as_str(), zip::write::SimpleFileOptions::default()).unwrap();
            std::io::Write::write_all(&mut zip, data).unwrap();
        }
        let mut bytes = zip.finish().unwrap().into_inner();
        if let Some(cut) = file_cut {
            bytes.truncate(cut.index(bytes.len()));
        }
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("SNV-2026.xlsx");
        std::fs::write(&path, &bytes).unwrap();
        let today = NaiveDate::from_ymd_opt(2026, 11, 15).unwrap();
        let _ = cchc::office::sheet_import::read_returned(&path, today, cchc::model::Lang::Vi);
    }
}
