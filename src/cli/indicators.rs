//! `cchc indicators`: every indicator with its targets, latest measurement and status.

use serde::Serialize;

use super::table::Table;
use super::{Env, Format, csv_text, json};
use crate::error::Result;
use crate::model::{Indicator, Measurement, Target};
use crate::store::Store;

#[derive(Serialize)]
struct Latest<'a> {
    value: f64,
    date: chrono::NaiveDate,
    source: &'a str,
}

#[derive(Serialize)]
struct IndicatorRecord<'a> {
    code: &'a str,
    area: &'a str,
    name: &'a str,
    unit: &'a str,
    direction: &'a str,
    lead_agency: &'a str,
    targets: &'a [Target],
    latest: Option<Latest<'a>>,
    progress_pct: Option<f64>,
}

fn latest<'a>(ind: &Indicator, ms: &'a [Measurement], env: &Env) -> Option<&'a Measurement> {
    ms.iter()
        .filter(|m| m.indicator == ind.code && m.measured_on <= env.today)
        .max_by_key(|m| (m.measured_on, m.id))
}

pub(super) fn render(store: &Store, format: Format, env: &Env, colour: bool) -> Result<String> {
    let indicators = store.indicators()?;
    let ms = store.measurements(None)?;
    let records: Vec<IndicatorRecord> = indicators
        .iter()
        .map(|ind| IndicatorRecord {
            code: &ind.code,
            area: &ind.area,
            name: &ind.name,
            unit: ind.unit.as_str(),
            direction: ind.direction.as_str(),
            lead_agency: &ind.lead_agency,
            targets: &ind.targets,
            latest: latest(ind, &ms, env).map(|m| Latest {
                value: m.value,
                date: m.measured_on,
                source: &m.source,
            }),
            progress_pct: None,
        })
        .collect();
    match format {
        Format::Json => json(&records),
        Format::Csv => csv_text(
            &[
                "code",
                "area",
                "unit",
                "direction",
                "target",
                "due",
                "latest",
                "date",
            ],
            records.iter().map(|r| {
                let t = r.targets.last();
                vec![
                    r.code.to_string(),
                    r.area.to_string(),
                    r.unit.to_string(),
                    r.direction.to_string(),
                    t.map(|t| t.value.to_string()).unwrap_or_default(),
                    t.map(|t| t.due.to_string()).unwrap_or_default(),
                    r.latest
                        .as_ref()
                        .map(|l| l.value.to_string())
                        .unwrap_or_default(),
                    r.latest
                        .as_ref()
                        .map(|l| l.date.to_string())
                        .unwrap_or_default(),
                ]
            }),
        ),
        Format::Table => {
            let mut t = Table::new([
                env.t("Mã", "Code"),
                env.t("Chỉ tiêu", "Target"),
                env.t("Mới nhất", "Latest"),
                env.t("Chỉ số", "Indicator"),
            ])
            .max(3, 70);
            for r in &records {
                t.row(
                    vec![
                        r.code.to_string(),
                        r.targets
                            .iter()
                            .map(|t| format!("{} ({})", t.value, t.due.format("%Y")))
                            .collect::<Vec<_>>()
                            .join(" → "),
                        r.latest
                            .as_ref()
                            .map(|l| format!("{} ({})", l.value, l.date.format("%d/%m/%Y")))
                            .unwrap_or_else(|| "—".into()),
                        r.name.to_string(),
                    ],
                    None,
                );
            }
            Ok(t.render(colour))
        }
    }
}
