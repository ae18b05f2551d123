//! The indicators screen and meeting mode: moving between screens, the selection of an
//! indicator, the record form's write, the slides and the report they are drawn from.

use chrono::NaiveDate;

use crate::error::Error;
use crate::report::{QuarterReport, ReportInput};
use crate::store::NewMeasurement;

use crate::tui::action::Action;
use crate::tui::app::{App, Flow, HelpState, MessageKind, Screen};
use crate::tui::labels::{self, tr};
use crate::tui::popups::{FieldKey, MeasureForm, Popup};
use crate::tui::screens::indicators::view::ROWS_PER_INDICATOR;
use crate::tui::screens::meeting::view::slide_count;

impl App {
    // ----- Moving between screens ---------------------------------------------------------

    /// Shows `screen`, remembering the current one for Esc. Entering a screen already on the
    /// stack goes back to it instead of stacking it twice (`i`, `m`, `i`, … stays shallow).
    pub fn enter(&mut self, screen: Screen) {
        if screen == self.screen {
            return;
        }
        match self.back_stack.iter().position(|s| *s == screen) {
            Some(at) => self.back_stack.truncate(at),
            None => self.back_stack.push(self.screen),
        }
        self.screen = screen;
        if screen == Screen::Meeting {
            self.meeting.stale = true;
        }
    }

    /// Goes back to the previous screen; on the first screen (meeting mode started by
    /// `cchc meet`) there is none, and the app quits.
    pub(in crate::tui) fn leave(&mut self) -> Flow {
        match self.back_stack.pop() {
            Some(previous) => {
                self.screen = previous;
                Flow::Continue
            }
            None => Flow::Quit,
        }
    }

    /// The key of a screen pressed again on that screen (`i` on the indicators screen, `m` in
    /// meeting mode) goes back, unless the screen is the first one (then it does nothing, so
    /// `m` in `cchc meet` does not end the meeting).
    fn toggle(&mut self, screen: Screen) {
        if self.screen == screen {
            if !self.back_stack.is_empty() {
                self.leave();
            }
        } else {
            self.enter(screen);
        }
    }

    /// Opens meeting mode as the first screen, as `cchc meet` does: Esc then quits.
    pub fn start_meeting(&mut self, since: Option<NaiveDate>) {
        if let Some(since) = since {
            self.meeting.since = since;
        }
        self.screen = Screen::Meeting;
        self.back_stack.clear();
        self.meeting.slide = 0;
        self.meeting.stale = true;
        self.sync_meeting();
        self.generation += 1;
    }

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

    // ----- Meeting mode -------------------------------------------------------------------

    pub(in crate::tui) fn meeting_action(&mut self, a: Action) -> Flow {
        let count = self.slide_count();
        let last = count.saturating_sub(1);
        let slide = &mut self.meeting.slide;
        match a {
            // Past either end the slide stays: a clicker pressed once too often must not jump
            // from the last slide back to the overview in front of the room.
            Action::NextSlide | Action::MoveDown | Action::PageDown | Action::HalfPageDown => {
                *slide = (*slide + 1).min(last)
            }
            Action::PrevSlide | Action::MoveUp | Action::PageUp | Action::HalfPageUp => {
                *slide = slide.saturating_sub(1).min(last)
            }
            Action::Top | Action::FirstSlide => *slide = 0,
            Action::Bottom | Action::LastSlide => *slide = last,
            Action::Back => return self.leave(),
            Action::Meeting => self.toggle(Screen::Meeting),
            Action::Indicators => self.toggle(Screen::Indicators),
            Action::Help => self.help = Some(HelpState::default()),
            Action::Refresh => self.full_reload(),
            _ => {}
        }
        Flow::Continue
    }

    /// How many slides there are now (the report's areas plus three).
    pub fn slide_count(&self) -> usize {
        self.meeting
            .report
            .as_ref()
            .map_or(self.data.areas.len() + 3, slide_count)
    }

    /// Marks the slides out of date; they are rebuilt before the next draw in meeting mode.
    pub(in crate::tui) fn meeting_stale(&mut self) {
        self.meeting.stale = true;
    }

    /// Rebuilds the meeting report if the data changed and meeting mode is shown. Runs after
    /// every update; costs nothing when nothing changed.
    pub(in crate::tui) fn sync_meeting(&mut self) {
        if self.screen != Screen::Meeting || !self.meeting.stale {
            return;
        }
        match self.build_report() {
            Ok(report) => {
                self.meeting.report = Some(report);
                self.meeting.stale = false;
                let last = self.slide_count().saturating_sub(1);
                self.meeting.slide = self.meeting.slide.min(last);
            }
            Err(e) => {
                let text = self.describe_error(&e);
                self.error(text);
                // Not retried until the data changes again: an error per frame helps no one.
                self.meeting.stale = false;
            }
        }
    }

    /// The report the slides show: everything since the last meeting, as of today. The
    /// tasks are read for it and dropped once it is built (the report keeps a few hundred
    /// rows: counts and the overdue lists).
    fn build_report(&self) -> crate::error::Result<QuarterReport> {
        let today = self.settings.today;
        let tasks = self.store.tasks(&crate::store::TaskFilter::default())?;
        let indicators = self.gauges.indicators();
        // Who changed what since the last meeting, from the change log.
        let log = self.store.log(&crate::store::LogFilter {
            since: Some(self.meeting.since.to_string()),
            oldest_first: true,
            ..Default::default()
        })?;
        let mut report = crate::report::build(&ReportInput {
            label: format!("{}..{}", self.meeting.since, today),
            start: self.meeting.since,
            end: today,
            as_of: today,
            areas: &self.data.areas,
            agencies: &self.data.agencies,
            indicators: &indicators,
            measurements: &self.gauges.measurements,
            tasks: &tasks,
            log: &log,
            log_head: self.store.head_hash()?,
        });
        // The report names areas in Vietnamese (for the document to Sở Nội vụ); the slides
        // follow the interface language.
        for section in &mut report.areas {
            if let Some(area) = self.data.areas.iter().find(|a| a.code == section.code) {
                section.name = area.name(self.lang()).to_string();
            }
        }
        Ok(report)
    }
}
