//! What every agency's sheet shares, read once for any number of agencies (`cchc sheet --all`,
//! the letters urging agencies, which attach each one's sheet): every agency, and the
//! indicators assessed on the day the sheets are made, with the values their import will
//! accept. The tasks are the caller's: `cchc sheet` reads one sheet's at a time.

use chrono::NaiveDate;

use super::sheet::{self, IndicatorLine, SheetInput};
use crate::error::Result;
use crate::indicators::assess;
use crate::model::{Agency, Indicator, Lang, Measurement, ReportPeriod, Task};
use crate::store::Store;

pub struct SheetData {
    pub agencies: Vec<Agency>,
    indicators: Vec<SheetIndicator>,
    made_on: NaiveDate,
}

/// An indicator as of the day the sheets are made, and the values its import will accept.
struct SheetIndicator {
    indicator: Indicator,
    assessment: crate::indicators::Assessment,
    plausible: Option<(f64, f64)>,
}

impl SheetData {
    /// Everything the sheets need, read from `store`, indicators assessed on `made_on`.
    pub fn read(store: &Store, made_on: NaiveDate) -> Result<SheetData> {
        let measurements = store.measurements(None)?;
        let indicators = store
            .indicators()?
            .into_iter()
            .map(|ind| {
                let ms: Vec<_> = measurements
                    .iter()
                    .filter(|m| m.indicator == ind.code)
                    .cloned()
                    .collect();
                let a = assess(&ind, &ms, made_on);
                let refs: Vec<&Measurement> = ms.iter().collect();
                SheetIndicator {
                    plausible: crate::indicators::plausible_range(&ind, &refs),
                    indicator: ind,
                    assessment: a,
                }
            })
            .collect();
        Ok(SheetData {
            agencies: store.agencies()?,
            indicators,
            made_on,
        })
    }

    /// The sheet of `agency` for `period`, asking about `tasks` (those `sheet::in_sheets` keeps
    /// for the agency, in list order).
    pub fn input<'a>(
        &'a self,
        agency: &'a Agency,
        tasks: Vec<&'a Task>,
        period: ReportPeriod,
        lang: Lang,
    ) -> SheetInput<'a> {
        SheetInput {
            agency,
            period,
            made_on: self.made_on,
            lang,
            tasks,
            agencies: &self.agencies,
            indicators: self
                .indicators
                .iter()
                .filter(|i| i.indicator.lead_agency == agency.code)
                .map(|i| IndicatorLine {
                    indicator: &i.indicator,
                    target: i.assessment.current_target,
                    latest: i.assessment.latest.clone(),
                    baseline: i
                        .assessment
                        .baseline
                        .filter(|_| i.indicator.baseline.is_some()),
                    plausible: i.plausible,
                })
                .collect(),
        }
    }

    /// The agency `code`'s sheet for `period`, its tasks chosen from `tasks`, as the bytes of
    /// an .xlsx file, exactly as `cchc sheet --agency CODE --period P` writes it; `None` for an
    /// agency cchc does not know.
    pub fn workbook_bytes(
        &self,
        code: &str,
        tasks: &[Task],
        period: ReportPeriod,
        lang: Lang,
    ) -> Result<Option<Vec<u8>>> {
        let Some(agency) = self.agencies.iter().find(|a| a.code == code) else {
            return Ok(None);
        };
        let mine = sheet::tasks_for(&agency.code, period, tasks);
        let mut wb = sheet::agency_workbook(&self.input(agency, mine, period, lang))?;
        Ok(Some(wb.save_to_buffer().map_err(super::xlsx_error)?))
    }
}
