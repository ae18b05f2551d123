//! The record form of the indicators screen: a measurement of one indicator.

use chrono::NaiveDate;

use crate::model::{Indicator, Lang, Unit};
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
}
