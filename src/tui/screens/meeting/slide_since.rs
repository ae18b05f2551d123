//! Meeting mode's last slide, "Kể từ cuộc họp trước / Since the last meeting": the period, three
//! headline figures (completed, newly overdue, figures recorded) and the list behind them, each
//! entry one row whose title is cut with "…" and whose id, figures and date never are; when the
//! list is longer than the slide, its last row says how many are not shown. A figure counts when
//! it was *recorded* since the last meeting, whatever date it was measured on, and shows with
//! its indicator's name, its unit and the change from the figure before it.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use unicode_width::UnicodeWidthStr;

use super::view::MeetingView;
use crate::indicators::recorded::Recorded;
use crate::model::{DisplayState, Lang};
use crate::report::{date, figure, figure_value};
use crate::tui::theme::Semantic;
use crate::tui::views::slide_text::fit;

impl MeetingView<'_> {
    pub(super) fn since_last(&self, area: Rect, buf: &mut Buffer) {
        let r = self.report;
        let completed: Vec<_> = r.areas.iter().flat_map(|a| &a.changes.completed).collect();
        let newly: Vec<_> = r
            .areas
            .iter()
            .flat_map(|a| &a.changes.newly_overdue)
            .collect();
        buf.set_string(
            area.x,
            area.y,
            fit(
                &format!(
                    "{} {} – {}",
                    self.t("Từ", "From"),
                    date(self.since),
                    date(self.today)
                ),
                area.width as usize,
            ),
            self.style(Semantic::Muted),
        );
        // Each entry as (start, text that may be cut, end, style): a long title is cut with
        // "…", its id and date never.
        let mut entries: Vec<(String, String, String, Style)> = Vec::new();
        let mut by_user: std::collections::BTreeMap<&str, usize> = Default::default();
        for a in &r.areas {
            for (user, n) in &a.changes.entries_by_user {
                *by_user.entry(user.as_str()).or_default() += n;
            }
        }
        if !by_user.is_empty() {
            let total: usize = by_user.values().sum();
            let who: Vec<String> = by_user.iter().map(|(u, n)| format!("{u} ({n})")).collect();
            entries.push((
                format!(
                    "{} {total} {}: ",
                    self.t("Nhật ký thay đổi:", "Change log:"),
                    self.t("mục", "entries"),
                ),
                who.join(", "),
                String::new(),
                self.style(Semantic::Muted),
            ));
        }
        for (id, title, d) in &completed {
            entries.push((
                format!("✓ #{id} "),
                title.clone(),
                format!(" ({})", date(*d)),
                self.theme.state(DisplayState::DoneOnTime),
            ));
        }
        for m in self.recorded {
            entries.push((
                "◆ ".into(),
                m.name.clone(),
                format!(": {} · {}", self.change(m), date(m.measured_on)),
                self.style(Semantic::OnTrack),
            ));
        }
        for (id, title, d) in &newly {
            entries.push((
                format!("! #{id} "),
                title.clone(),
                format!(" ({} {})", self.t("hạn", "due"), date(*d)),
                self.theme.state(DisplayState::Overdue),
            ));
        }
        if entries.is_empty() {
            entries.push((
                self.t("Không có thay đổi.", "No changes.").into(),
                String::new(),
                String::new(),
                self.style(Semantic::Muted),
            ));
        }
        // The numerals give up rows to the list, up to half the slide.
        let list_rows = (entries.len() as u16).min(area.height / 2);
        let used = self.headline(
            Rect {
                y: area.y + 1,
                height: area.height.saturating_sub(1 + list_rows),
                ..area
            },
            buf,
            &[
                (
                    completed.len().to_string(),
                    self.t("hoàn thành", "completed").into(),
                    self.theme.ink(Semantic::DoneOnTime),
                ),
                (
                    newly.len().to_string(),
                    self.t("quá hạn mới", "newly overdue").into(),
                    self.overdue_ink(newly.len()),
                ),
                (
                    self.recorded.len().to_string(),
                    self.t("số liệu chỉ tiêu đã ghi", "figures recorded").into(),
                    self.theme.ink(Semantic::OnTrack),
                ),
            ],
        );
        let top = area.y + 1 + used;
        let rows = usize::from(area.bottom().saturating_sub(top));
        // When the list is longer than the slide, the last row says how many are not shown.
        let shown = if entries.len() > rows {
            rows.saturating_sub(1)
        } else {
            entries.len()
        };
        let width = usize::from(area.width);
        for (i, (start, middle, end, style)) in entries.iter().take(shown).enumerate() {
            let room = width.saturating_sub(start.width() + end.width());
            let text = format!("{start}{}{end}", fit(middle, room));
            buf.set_string(area.x, top + i as u16, fit(&text, width), *style);
        }
        if shown < entries.len() && rows > 0 {
            let more = entries.len() - shown;
            let text = match self.lang {
                Lang::Vi => format!("… và {more} mục khác"),
                Lang::En => format!("… and {more} more"),
            };
            buf.set_string(
                area.x,
                top + shown as u16,
                fit(&text, width),
                self.style(Semantic::Muted),
            );
        }
    }
}

impl MeetingView<'_> {
    /// "88,5% (+3,5 so với 85%)": a figure with its unit and the change from the one before;
    /// a reduce-by indicator is measured as a quantity (staff, spending), shown as a number.
    fn change(&self, m: &Recorded) -> String {
        let shown = |v: f64| match m.direction {
            crate::model::Direction::ReduceBy => figure(v, self.lang),
            _ => figure_value(m.unit, v, self.lang),
        };
        let Some(previous) = m.previous else {
            return format!("{} ({})", shown(m.value), self.t("lần đầu", "first figure"));
        };
        let delta = m.value - previous;
        let sign = if delta > 0.0 {
            "+"
        } else if delta < 0.0 {
            "−"
        } else {
            "±"
        };
        format!(
            "{} ({sign}{} {} {})",
            shown(m.value),
            figure(delta.abs(), self.lang),
            self.t("so với", "from"),
            shown(previous)
        )
    }
}
