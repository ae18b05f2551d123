//! The record form of the indicators screen: a measurement of one indicator.

use chrono::NaiveDate;

use crate::model::{Indicator, Lang, Unit};
use crate::store::NewMeasurement;
use crate::tui::labels::{self, tr};

use super::form::{Field, FieldKey, Form, on_form};

/// The record form: a measurement of one indicator (value, date, source, note).
#[derive(Debug, Clone, PartialEq)]
pub struct MeasureForm {
    pub indicator: Indicator,
    pub form: Form,
}
on_form!(MeasureForm);

impl MeasureForm {
    /// A blank form for `indicator`, the date set to `today`.
    pub fn new(indicator: &Indicator, today: NaiveDate) -> MeasureForm {
        MeasureForm {
            indicator: indicator.clone(),
            form: Form::new(vec![
                Field::text(FieldKey::Value, ""),
                Field::text(FieldKey::MeasuredOn, &labels::date(today)),
                Field::text(FieldKey::Source, ""),
                Field::text(FieldKey::MeasureNote, ""),
            ]),
        }
    }

    /// What to type in the focused field; the value's hint depends on the indicator's unit.
    pub fn help(&self, lang: Lang) -> Option<&'static str> {
        let key = self.fields.get(self.focus)?.key;
        match key {
            FieldKey::Value => Some(match (self.indicator.unit, self.indicator.direction) {
                (Unit::Level, _) => tr(
                    lang,
                    "cấp độ từ 1 đến 5, VD 3",
                    "a level from 1 to 5, e.g. 3",
                ),
                (Unit::Percent, crate::model::Direction::ReduceBy) => tr(
                    lang,
                    "số đo được (không phải % giảm), dấu phẩy hoặc chấm thập phân",
                    "the measured quantity (not the % reduction), decimal comma or point",
                ),
                (Unit::Percent, _) => tr(
                    lang,
                    "phần trăm, dấu phẩy hoặc chấm thập phân, VD 87,5",
                    "a percent, decimal comma or point, e.g. 87.5",
                ),
            }),
            other => other.help(lang),
        }
    }

    /// The measurement the form describes, checked: `Err` is a message for the form.
    pub fn measurement(&self, lang: Lang) -> Result<NewMeasurement, String> {
        let form = self;
        let ind = &form.indicator;
        let value_text = form.field(FieldKey::Value).trim();
        if value_text.is_empty() {
            return Err(tr(lang, "Hãy nhập giá trị đo được", "Type the measured value").into());
        }
        let value = crate::context::parse_number(value_text).map_err(|_| {
            format!(
                "{} {value_text:?}",
                tr(
                    lang,
                    "Giá trị phải là một số (VD 87,5 hoặc 87.5), không phải",
                    "The value must be a number (e.g. 87.5 or 87,5), not"
                )
            )
        })?;
        match ind.unit {
            crate::model::Unit::Level if !(0.0..=5.0).contains(&value) => {
                return Err(tr(
                    lang,
                    "Cấp độ phải từ 0 đến 5",
                    "A level must be from 0 to 5",
                )
                .into());
            }
            _ if value < 0.0 => {
                return Err(tr(
                    lang,
                    "Số liệu không được âm",
                    "A measurement cannot be negative",
                )
                .into());
            }
            _ => {}
        }
        let date_text = form.field(FieldKey::MeasuredOn).trim();
        let measured_on = if date_text.is_empty() {
            crate::context::clock_today()
        } else {
            crate::context::parse_date(date_text).map_err(|_| {
                format!(
                    "{} {date_text:?}",
                    tr(
                        lang,
                        "Ngày đo phải dạng 26/11/2026 hoặc 2026-11-26, trong các năm 2000–2100, không phải",
                        "The date must look like 26/11/2026 or 2026-11-26, in the years 2000–2100, not"
                    )
                )
            })?
        };
        let new = NewMeasurement {
            indicator: ind.code.clone(),
            value,
            measured_on,
            source: form.field(FieldKey::Source).trim().to_string(),
            note: form.field(FieldKey::MeasureNote).trim().to_string(),
        };
        Ok(new)
    }
}
