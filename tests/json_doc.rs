//! docs/JSON.md against the real output (issue 12): every JSON document a command prints has
//! exactly the fields the page documents for its shape, with the documented JSON types, and every
//! documented field appears in some output. The page is parsed, not copied here.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use common::*;
use serde_json::Value;

const TODAY: &str = "2026-10-05";

/// One row of a field table: its name, the JSON types it may take, whether it may be missing.
#[derive(Debug, Clone)]
struct Field {
    types: BTreeSet<String>,
    optional: bool,
}

/// The page's shapes by path (`tasks[]`, `report.areas[].overdue[]`, `envelope`, …).
struct Doc {
    shapes: BTreeMap<String, BTreeMap<String, Field>>,
}

/// A heading "### `PATH`", maybe followed by "— as `OTHER`" (the same fields) or "the fields
/// of `OTHER` and" (those, then the table's own).
fn parse_doc(text: &str) -> Doc {
    let mut own: BTreeMap<String, BTreeMap<String, Field>> = BTreeMap::new();
    let mut links: Vec<(String, String)> = Vec::new();
    let mut current: Option<String> = None;
    for line in text.lines() {
        if let Some(h) = line.strip_prefix("### ") {
            let spans: Vec<&str> = h.split('`').skip(1).step_by(2).collect();
            let path = spans.first().expect("a heading names its path").to_string();
            assert!(
                own.insert(path.clone(), BTreeMap::new()).is_none(),
                "{path} twice"
            );
            if let Some(other) = spans.get(1) {
                assert!(
                    h.contains(" as `") || h.contains("the fields of `"),
                    "heading {h:?}"
                );
                links.push((path.clone(), other.to_string()));
            }
            current = Some(path);
            continue;
        }
        if line.starts_with("## ") {
            current = None;
        }
        let (Some(path), Some(row)) = (&current, line.strip_prefix("| `")) else {
            continue;
        };
        let cells: Vec<&str> = row.split(" | ").collect();
        let name = cells[0].trim_end_matches('`').to_string();
        let ty = cells.get(1).expect("a type column");
        let optional = ty.ends_with(", optional");
        let types = ty
            .trim_end_matches(", optional")
            .split(" or ")
            .map(str::to_string)
            .collect::<BTreeSet<_>>();
        for t in &types {
            assert!(
                [
                    "string", "integer", "number", "boolean", "array", "object", "map", "null"
                ]
                .contains(&t.as_str()),
                "{path}.{name}: unknown type {t:?}"
            );
        }
        own.get_mut(path)
            .unwrap()
            .insert(name, Field { types, optional });
    }
    // Resolve "as"/"the fields of" (a link names a shape documented elsewhere on the page).
    let mut shapes = own.clone();
    for (path, other) in &links {
        let base = own
            .get(other)
            .unwrap_or_else(|| panic!("{path} refers to {other}, which the page lacks"));
        assert!(
            !links.iter().any(|(p, _)| p == other),
            "{other} is itself a link"
        );
        let entry = shapes.get_mut(path).unwrap();
        for (k, f) in base {
            entry.insert(k.clone(), f.clone());
        }
    }
    Doc { shapes }
}

fn json_type(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// Checks `v` against the shape at `path`, recording which documented fields were seen.
fn check(
    doc: &Doc,
    path: &str,
    v: &Value,
    seen: &mut BTreeSet<(String, String)>,
    errors: &mut Vec<String>,
) {
    let Some(obj) = v.as_object() else {
        errors.push(format!("{path}: not an object: {v}"));
        return;
    };
    let Some(shape) = doc.shapes.get(path) else {
        errors.push(format!("{path}: an object the page does not document"));
        return;
    };
    for (name, field) in shape {
        if !field.optional && !obj.contains_key(name) {
            errors.push(format!("{path}.{name}: documented but missing"));
        }
    }
    for (name, value) in obj {
        let Some(field) = shape.get(name) else {
            errors.push(format!("{path}.{name}: printed but not documented"));
            continue;
        };
        seen.insert((path.to_string(), name.clone()));
        let t = json_type(value);
        let fits = field.types.contains(t)
            || (t == "integer" && field.types.contains("number"))
            || (t == "object" && field.types.contains("map"));
        if !fits {
            errors.push(format!(
                "{path}.{name}: {t}, documented as {:?}",
                field.types
            ));
            continue;
        }
        let child = format!("{path}.{name}");
        match value {
            Value::Object(_) if field.types.contains("object") => {
                check(doc, &child, value, seen, errors)
            }
            Value::Array(items) => {
                for item in items.iter().filter(|i| i.is_object()) {
                    check(doc, &format!("{child}[]"), item, seen, errors);
                }
            }
            _ => {}
        }
    }
}

/// One document a command printed: the envelope, then its items or item; the export as is.
fn check_document(
    doc: &Doc,
    command: &str,
    kind: &str,
    v: &Value,
    seen: &mut BTreeSet<(String, String)>,
    errors: &mut Vec<String>,
) {
    if kind == "export" {
        assert_eq!(v["format"], "cchc-export", "{command}");
        return check(doc, "export", v, seen, errors);
    }
    let envelope = &doc.shapes["envelope"];
    let obj = v.as_object().expect("an object");
    for (name, value) in obj {
        match envelope.get(name) {
            Some(f) if f.types.contains(json_type(value)) => {
                seen.insert(("envelope".into(), name.clone()));
            }
            _ => errors.push(format!("{command}: envelope field {name}: {value}")),
        }
    }
    assert_eq!(v["cchc_json"], 2, "{command}");
    assert_eq!(v["kind"], kind, "{command}");
    match (obj.get("items"), obj.get("item")) {
        (Some(Value::Array(items)), None) => {
            assert!(!items.is_empty(), "{command}: no items to check");
            for item in items {
                check(doc, &format!("{kind}[]"), item, seen, errors);
            }
        }
        (None, Some(item)) => check(doc, kind, item, seen, errors),
        _ => errors.push(format!("{command}: neither items nor item alone")),
    }
}

fn run(sb: &Sandbox, db: &Path, args: &[&str]) -> std::process::Output {
    sb.cchc()
        .args(args)
        .args(["--today", TODAY, "--db"])
        .arg(db)
        .output()
        .expect("run cchc")
}

fn ok(sb: &Sandbox, db: &Path, args: &[&str]) {
    assert_success(&run(sb, db, args));
}

/// A file where every documented field has something to show: a note, a completed task, a
/// measurement, a member, an agency added later, an import (whose entries have a parent).
/// Returns the file and the imported task's id.
fn rich_file(sb: &Sandbox) -> (std::path::PathBuf, String) {
    let db = sb.init_db("cchc.sqlite3");
    ok(
        sb,
        &db,
        &[
            "member",
            "add",
            "tester",
            "--agency",
            "SNV",
            "--role",
            "secretary",
        ],
    );
    ok(
        sb,
        &db,
        &[
            "task",
            "set",
            "1",
            "--progress",
            "40",
            "--note",
            "đã gửi dự thảo",
        ],
    );
    ok(
        sb,
        &db,
        &[
            "task",
            "set",
            "2",
            "--status",
            "done",
            "--completed-on",
            "2026-09-20",
        ],
    );
    let indicators = json(&run(sb, &db, &["indicators", "--format", "json"]));
    let code = indicators[0]["code"].as_str().unwrap().to_string();
    ok(
        sb,
        &db,
        &[
            "indicator",
            "record",
            &code,
            "55",
            "--date",
            "2026-09-01",
            "--source",
            "khảo sát",
        ],
    );
    ok(
        sb,
        &db,
        &[
            "agency",
            "add",
            "SXD",
            "--name",
            "Sở Xây dựng",
            "--kind",
            "department",
        ],
    );
    let csv = sb.path("them.csv");
    std::fs::write(
        &csv,
        "area,lead_agency,title,due,status,progress,coordinating,output\n\
         tthc,SNV,Nhiệm vụ nhập thử,2026-12-31,in-progress,10,STP,Báo cáo\n",
    )
    .unwrap();
    let out = run(sb, &db, &["import", csv.to_str().unwrap()]);
    assert_success(&out);
    let tasks = json(&run(sb, &db, &["tasks", "--format", "json"]));
    let imported = tasks
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["title"] == "Nhiệm vụ nhập thử")
        .expect("the imported task");
    let id = imported["id"].to_string();
    (db, id)
}

#[test]
fn every_json_output_has_exactly_the_fields_docs_json_md_documents() {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/JSON.md"))
        .expect("docs/JSON.md");
    let doc = parse_doc(&text);
    let sb = Sandbox::new();
    let (db, imported) = rich_file(&sb);
    let commands: &[(&[&str], &str)] = &[
        // The history of an imported task: its entries belong to the import's (`parent`).
        (&["task", "show", &imported], "task"),
        (&["areas"], "areas"),
        (&["agencies"], "agencies"),
        (&["agency", "list"], "agency_list"),
        (&["tasks"], "tasks"),
        (&["task", "show", "1"], "task"),
        // A seeded task whose coordinating agency is inferred (III.3.1).
        (&["task", "show", "23"], "task"),
        (
            &[
                "task",
                "add",
                "--area",
                "tthc",
                "--agency",
                "SNV",
                "--title",
                "Thêm",
                "--due",
                "2027-03-31",
            ],
            "tasks",
        ),
        (&["task", "set", "3", "--progress", "5"], "tasks"),
        (&["indicators"], "indicators"),
        (&["log", "--limit", "1000"], "log"),
        (&["member", "list"], "members"),
        (&["doctor"], "doctor"),
        // Quý III has its year to date; the year's report (preliminary on TODAY) has the
        // task completed in its window and other tasks falling due next period.
        (&["report", "--period", "2026-Q3"], "report"),
        (&["report", "--period", "2026"], "report"),
        (&["export"], "export"),
    ];
    let mut seen = BTreeSet::new();
    let mut errors = Vec::new();
    for (args, kind) in commands {
        let out = run(&sb, &db, &[*args, &["--format", "json"][..]].concat());
        let v = json_document(&out);
        check_document(&doc, &args.join(" "), kind, &v, &mut seen, &mut errors);
    }
    // The other way: no documented shape or field that no command printed.
    for (path, shape) in &doc.shapes {
        for name in shape.keys() {
            if !seen.contains(&(path.clone(), name.clone())) {
                errors.push(format!("{path}.{name}: documented but never printed"));
            }
        }
    }
    assert!(
        errors.is_empty(),
        "docs/JSON.md disagrees with the output:\n{}",
        errors.join("\n")
    );
}

#[test]
fn the_page_parser_sees_every_shape_and_catches_a_missing_field() {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/JSON.md"))
        .expect("docs/JSON.md");
    let doc = parse_doc(&text);
    for path in [
        "envelope",
        "tasks[]",
        "task",
        "log[]",
        "report.areas[].changes",
        "export",
    ] {
        assert!(doc.shapes.contains_key(path), "{path}");
    }
    assert!(doc.shapes["task"].contains_key("due"), "links are followed");
    // A task without its title and with an extra field is caught both ways.
    let mut errors = Vec::new();
    let mut seen = BTreeSet::new();
    let mut task = serde_json::json!({"id": 1, "extra": true});
    for (name, f) in &doc.shapes["tasks[]"] {
        if name != "id" && name != "title" {
            task[name] = match f.types.iter().next().unwrap().as_str() {
                "string" => "x".into(),
                "integer" | "number" => 1.into(),
                "boolean" => true.into(),
                "array" => serde_json::json!([]),
                _ => Value::Null,
            };
        }
    }
    check(&doc, "tasks[]", &task, &mut seen, &mut errors);
    assert_eq!(
        errors,
        [
            "tasks[].title: documented but missing",
            "tasks[].extra: printed but not documented"
        ]
    );
}
