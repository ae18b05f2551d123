//! `cchc indicators`: every indicator with its targets, latest measurement and status today.

use serde::Serialize;

use super::table::colour;
use super::tabular::{self, Column, Tabular};
use super::{Env, Format, Style};
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

/// An indicator with its assessment today.
struct IndicatorRow<'a> {
    ind: &'a Indicator,
    a: &'a Assessment,
}

impl Tabular for IndicatorRow<'_> {
    const KIND: &'static str = "indicators";
    const CSV_HEADERS: &'static [&'static str] = &[
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
    ];
    const COLUMNS: &'static [Column] = &[
        Column::text("Mã", "Code"),
        Column::text("Mục tiêu", "Target"),
        Column::text("Hạn", "Due"),
        Column::text("Mới nhất", "Latest"),
        Column::text("Đánh giá", "Status"),
        Column::text("Chỉ tiêu", "Indicator").shrinks(),
    ];

    fn json(&self, _: &Env) -> impl Serialize {
        let (ind, a) = (self.ind, self.a);
        IndicatorRecord {
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
        }
    }

    fn csv_row(&self, _: &Env) -> Vec<String> {
        let (ind, a) = (self.ind, self.a);
        let t = a.current_target;
        vec![
            ind.code.to_string(),
            ind.area.to_string(),
            ind.unit.as_str().to_string(),
            ind.direction.as_str().to_string(),
            t.map(|t| t.value.to_string()).unwrap_or_default(),
            t.map(|t| t.due.to_string()).unwrap_or_default(),
            a.latest
                .as_ref()
                .map(|l| l.value.to_string())
                .unwrap_or_default(),
            a.latest
                .as_ref()
                .map(|l| l.date.to_string())
                .unwrap_or_default(),
            a.status.as_str().to_string(),
            a.expected_today
                .map(|v| format!("{v:.2}"))
                .unwrap_or_default(),
        ]
    }

    fn table_row(&self, env: &Env) -> Vec<String> {
        let (ind, a) = (self.ind, self.a);
        let target = a.current_target.map(|t| {
            let v = crate::report::value(ind.unit, t.value, env.lang);
            match ind.direction {
                crate::model::Direction::ReduceBy => format!("{} {v}", env.t("giảm", "−")),
                crate::model::Direction::AtLeast => v,
                crate::model::Direction::Above => format!("{} {v}", env.t("trên", ">")),
            }
        });
        vec![
            ind.code.clone(),
            target.unwrap_or_default(),
            a.current_target
                .map(|t| t.due.format("%d/%m/%Y").to_string())
                .unwrap_or_default(),
            a.latest
                .as_ref()
                .map(|l| {
                    // In the target's unit ("100%"); a reduction is measured as the quantity
                    // itself (staff, spending), a plain number.
                    let value = match ind.direction {
                        crate::model::Direction::ReduceBy => {
                            crate::report::figure(l.value, env.lang)
                        }
                        _ => crate::report::value(ind.unit, l.value, env.lang),
                    };
                    format!("{value} ({})", l.date.format("%d/%m/%Y"))
                })
                .unwrap_or_else(|| "—".into()),
            a.status.label(env.lang).to_string(),
            ind.name.clone(),
        ]
    }

    fn colour(&self, _: &Env) -> Option<&'static str> {
        Some(status_colour(self.a.status))
    }
}

pub(super) fn render(store: &Store, format: Format, env: &Env, style: Style) -> Result<String> {
    let assessed = assessed(store, env)?;
    let rows: Vec<IndicatorRow> = assessed
        .iter()
        .map(|(ind, _, a)| IndicatorRow { ind, a })
        .collect();
    tabular::render(&rows, format, env, style)
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
