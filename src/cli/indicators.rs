//! `cchc indicators`: every indicator with its targets, latest measurement and status today.

use serde::Serialize;

use super::table::{Table, colour};
use super::{Env, Format, Style, csv_text, json_list};
use crate::error::Result;
use crate::indicators::{Assessment, IndicatorStatus, Latest, assess};
use crate::model::{Indicator, Measurement, Target};
use crate::store::Store;

#[derive(Serialize)]
struct IndicatorRecord<'a> {
    code: &'a str,
    area: &'a str,
    name: &'a str,
    unit: &'a str,
    direction: &'a str,
    lead_agency: &'a str,
    targets: &'a [Target],
    latest: Option<Latest>,
    progress_pct: Option<f64>,
    status: IndicatorStatus,
    current_target: Option<Target>,
    expected_today: Option<f64>,
    achieved: Option<f64>,
}

/// Each indicator with its assessment on `env.today`, in plan order.
pub fn assessed(
    store: &Store,
    env: &Env,
) -> Result<Vec<(Indicator, Vec<Measurement>, Assessment)>> {
    let all = store.measurements(None)?;
    Ok(store
        .indicators()?
        .into_iter()
        .map(|ind| {
            let ms: Vec<Measurement> = all
                .iter()
                .filter(|m| m.indicator == ind.code)
                .cloned()
                .collect();
            let a = assess(&ind, &ms, env.today);
            (ind, ms, a)
        })
        .collect())
}

pub fn status_colour(s: IndicatorStatus) -> &'static str {
    match s {
        IndicatorStatus::Met => colour::GREEN,
        IndicatorStatus::OnTrack => colour::BLUE,
        IndicatorStatus::AtRisk => colour::ORANGE,
        IndicatorStatus::OffTrack => colour::RED,
        IndicatorStatus::NoData => colour::GREY,
    }
}

pub(super) fn render(store: &Store, format: Format, env: &Env, style: Style) -> Result<String> {
    let rows = assessed(store, env)?;
    let records: Vec<IndicatorRecord> = rows
        .iter()
        .map(|(ind, _, a)| IndicatorRecord {
            code: &ind.code,
            area: &ind.area,
            name: &ind.name,
            unit: ind.unit.as_str(),
            direction: ind.direction.as_str(),
            lead_agency: &ind.lead_agency,
            targets: &ind.targets,
            latest: a.latest.clone(),
            progress_pct: a.progress_pct,
            status: a.status,
            current_target: a.current_target,
            expected_today: a.expected_today,
            achieved: a.achieved,
        })
        .collect();
    match format {
        Format::Json => json_list("indicators", &records),
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
                "status",
                "expected_today",
            ],
            records.iter().map(|r| {
                let t = r.current_target;
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
                    r.status.as_str().to_string(),
                    r.expected_today
                        .map(|v| format!("{v:.2}"))
                        .unwrap_or_default(),
                ]
            }),
        ),
        Format::Table => {
            let mut t = Table::new([
                env.t("Mã", "Code"),
                env.t("Mục tiêu", "Target"),
                env.t("Hạn", "Due"),
                env.t("Mới nhất", "Latest"),
                env.t("Đánh giá", "Status"),
                env.t("Chỉ tiêu", "Indicator"),
            ])
            .shrink(5);
            for (ind, _, a) in &rows {
                let target = a.current_target.map(|t| {
                    let v = crate::report::value(ind.unit, t.value, env.lang);
                    match ind.direction {
                        crate::model::Direction::ReduceBy => format!("{} {v}", env.t("giảm", "−")),
                        crate::model::Direction::AtLeast => v,
                        crate::model::Direction::Above => format!("{} {v}", env.t("trên", ">")),
                    }
                });
                t.row(
                    vec![
                        ind.code.clone(),
                        target.unwrap_or_default(),
                        a.current_target
                            .map(|t| t.due.format("%d/%m/%Y").to_string())
                            .unwrap_or_default(),
                        a.latest
                            .as_ref()
                            .map(|l| format!("{} ({})", l.value, l.date.format("%d/%m/%Y")))
                            .unwrap_or_else(|| "—".into()),
                        a.status.label(env.lang).to_string(),
                        ind.name.clone(),
                    ],
                    Some(status_colour(a.status)),
                );
            }
            Ok(t.render(style))
        }
    }
}

/// `cchc indicator record`: one measurement of an indicator (default date: today).
pub(super) fn record(
    code: String,
    value: &str,
    date: Option<chrono::NaiveDate>,
    source: String,
    note: String,
    env: &Env,
) -> Result<String> {
    let value = crate::context::parse_number(value).map_err(crate::error::Error::invalid)?;
    let mut store = env.open()?;
    let m = store.record_measurement(&crate::store::NewMeasurement {
        indicator: code,
        value,
        measured_on: date.unwrap_or_else(crate::context::clock_today),
        source,
        note,
    })?;
    Ok(format!(
        "{} {} = {} ({})\n",
        env.t("Đã ghi", "Recorded"),
        crate::untrusted::line(&m.indicator),
        m.value,
        m.measured_on
    ))
}
