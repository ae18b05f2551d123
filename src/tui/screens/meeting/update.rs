//! Meeting mode's keys, and the report its slides are drawn from (rebuilt when the data
//! changes, never per frame).

use chrono::NaiveDate;

use crate::report::{Report, ReportInput};
use crate::tui::action::Action;
use crate::tui::app::{App, Effect, Screen};
use crate::tui::screens::meeting::view::slide_count;

impl App {
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

    // ----- Meeting mode -------------------------------------------------------------------

    pub(in crate::tui) fn meeting_action(&mut self, a: Action) -> Option<Effect> {
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
            Action::Back => return Some(Effect::Leave),
            Action::Meeting => return Some(Effect::Toggle(Screen::Meeting)),
            Action::Indicators => return Some(Effect::Toggle(Screen::Indicators)),
            Action::Help => return Some(Effect::Help),
            Action::Refresh => return Some(Effect::Reload),
            _ => {}
        }
        None
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
                self.meeting.recorded = crate::indicators::recorded::recorded_since(
                    &self.gauges.indicators(),
                    &self.gauges.measurements,
                    self.meeting.since,
                    &chrono::Local,
                );
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
    fn build_report(&self) -> crate::error::Result<Report> {
        let today = self.settings.today;
        let tasks = self.store.tasks(&crate::store::TaskFilter::default())?;
        let indicators = self.gauges.indicators();
        // Who changed what since the last meeting, from the change log.
        let log = self.store.log(&crate::store::LogFilter {
            since: Some(self.meeting.since.to_string()),
            oldest_first: true,
            ..Default::default()
        })?;
        let reminders = self.store.reminders(None)?;
        let mut report = crate::report::build(&ReportInput {
            period: crate::model::ReportPeriod::current(today),
            start: self.meeting.since,
            end: today,
            as_of: crate::model::AsOf {
                date: today,
                preliminary: false,
            },
            areas: &self.data.areas,
            agencies: &self.data.agencies,
            indicators: &indicators,
            measurements: &self.gauges.measurements,
            tasks: &tasks,
            log: &log,
            reminders: &reminders,
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
