//! The indicators screen: the selection of an indicator and the record form's write.

use crate::error::Error;
use crate::store::NewMeasurement;

use crate::tui::action::Action;
use crate::tui::app::{App, HelpState, MessageKind, Screen};
use crate::tui::labels::{self, tr};
use crate::tui::popups::{FieldKey, MeasureForm, Popup};
use crate::tui::screens::indicators::view::ROWS_PER_INDICATOR;

impl App {
    // ----- The indicators screen ----------------------------------------------------------

    /// Indicators shown per page on the indicators screen (for PgUp/PgDn).
    fn indicators_page(&self) -> usize {
        let rows = self
            .layout()
            .map_or(20, |l| l.body.height.saturating_sub(2));
        usize::from(rows / ROWS_PER_INDICATOR).max(1)
    }

    pub(in crate::tui) fn indicators_action(&mut self, a: Action) {
        let len = self.gauges.rows.len();
        let page = self.indicators_page() as isize;
        let step = |app: &mut App, delta: isize| {
            let last = len.saturating_sub(1) as isize;
            let at = (app.indicators.selected as isize).saturating_add(delta);
            app.indicators.selected = at.clamp(0, last.max(0)) as usize;
        };
        match a {
            Action::MoveUp => step(self, -1),
            Action::MoveDown => step(self, 1),
            Action::PageUp => step(self, -page),
            Action::PageDown => step(self, page),
            Action::HalfPageUp => step(self, -(page / 2).max(1)),
            Action::HalfPageDown => step(self, (page / 2).max(1)),
            Action::Top => self.indicators.selected = 0,
            Action::Bottom => self.indicators.selected = len.saturating_sub(1),
            Action::Back => {
                self.leave();
            }
            Action::Indicators => self.toggle(Screen::Indicators),
            Action::Meeting => self.toggle(Screen::Meeting),
            Action::RecordMeasurement => self.open_record_form(),
            Action::Help => self.help = Some(HelpState::default()),
            Action::Refresh => self.full_reload(),
            _ => {}
        }
    }

    /// `r`: the record form for the selected indicator, if this user may record it.
    fn open_record_form(&mut self) {
        if !self.writable() {
            return;
        }
        let Some(gauge) = self.gauges.rows.get(self.indicators.selected) else {
            let text = self
                .t("Chưa chọn chỉ tiêu nào", "No indicator is selected")
                .to_string();
            self.info(text);
            return;
        };
        let indicator = gauge.indicator.clone();
        if !self.perms.can_record(&indicator.lead_agency) {
            let text = labels::denied_record(&self.perms, &indicator, self.lang());
            self.messages.set(MessageKind::Warning, text);
            return;
        }
        // The clock's date, not the view date: a write is stamped with the real day.
        self.popup = Some(Popup::Measure(Box::new(MeasureForm::new(
            &indicator,
            self.settings
                .form_date
                .unwrap_or_else(crate::context::clock_today),
        ))));
    }

    /// Checks the record form and writes the measurement through the same store function as
    /// `cchc indicator record` (one change-log entry). `Err` is a message for the form.
    pub(in crate::tui) fn submit_measurement(&mut self, form: &MeasureForm) -> Result<(), String> {
        let lang = self.lang();
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
        match self.store.record_measurement(&new) {
            Ok(m) => {
                self.reload_gauges();
                let mut text = format!(
                    "{} {} = {} ({})",
                    self.t("Đã ghi", "Recorded"),
                    m.indicator,
                    crate::report::value(ind.unit, m.value, lang),
                    labels::date(m.measured_on)
                );
                if m.measured_on > self.settings.today {
                    text.push_str(self.t(
                        " — ngày đo sau hôm nay: chưa tính cho đến ngày đó",
                        " — dated after today: it counts from that day",
                    ));
                }
                self.success(text);
                Ok(())
            }
            Err(Error::Invalid(why)) => Err(why),
            Err(e) => Err(self.describe_error(&e)),
        }
    }
}
