//! The indicators screen: the selection of an indicator and the record form's write.

use crate::tui::action::Action;
use crate::tui::app::{App, Effect, MessageKind, Screen};
use crate::tui::labels;
use crate::tui::popups::{MeasureForm, Popup};
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

    pub(in crate::tui) fn indicators_action(&mut self, a: Action) -> Option<Effect> {
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
            Action::Back => return Some(Effect::Leave),
            Action::Indicators => return Some(Effect::Toggle(Screen::Indicators)),
            Action::Meeting => return Some(Effect::Toggle(Screen::Meeting)),
            Action::RecordMeasurement => return self.open_record_form(),
            Action::Help => return Some(Effect::Help),
            Action::Refresh => return Some(Effect::Reload),
            _ => {}
        }
        None
    }

    /// `r`: the record form for the selected indicator, if this user may record it.
    fn open_record_form(&mut self) -> Option<Effect> {
        if !self.writable() {
            return None;
        }
        let Some(gauge) = self.gauges.rows.get(self.indicators.selected) else {
            let text = self
                .t("Chưa chọn chỉ tiêu nào", "No indicator is selected")
                .to_string();
            self.info(text);
            return None;
        };
        let indicator = gauge.indicator.clone();
        if !self.perms.can_record(&indicator.lead_agency) {
            let text = labels::denied_record(&self.perms, &indicator, self.lang());
            self.messages.set(MessageKind::Warning, text);
            return None;
        }
        // The clock's date, not the view date: a write is stamped with the real day.
        Some(Effect::Open(Popup::Measure(Box::new(MeasureForm::new(
            &indicator,
            self.settings
                .form_date
                .unwrap_or_else(crate::context::clock_today),
        )))))
    }
}
