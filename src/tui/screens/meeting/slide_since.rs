//! Meeting mode's last slide, "Kể từ cuộc họp trước / Since the last meeting": the period, three
//! headline figures (completed, newly overdue, measurements) and the list behind them, each
//! entry one row whose title is cut with "…" and whose id and date never are; when the list is
//! longer than the slide, its last row says how many are not shown.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use unicode_width::UnicodeWidthStr;

use super::view::MeetingView;
use crate::model::{DisplayState, Lang};
use crate::report::{date, num};
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
        let measured: Vec<_> = r
            .areas
            .iter()
            .flat_map(|a| &a.changes.measurements)
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
        for (code, v, d) in &measured {
            entries.push((
                "◆ ".into(),
                code.clone(),
                format!(" = {} ({})", num(*v, self.lang), date(*d)),
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
                    self.theme.state(DisplayState::DoneOnTime),
                ),
                (
                    newly.len().to_string(),
                    self.t("quá hạn mới", "newly overdue").into(),
                    self.theme.state(DisplayState::Overdue),
                ),
                (
                    measured.len().to_string(),
                    self.t("số liệu chỉ tiêu", "measurements").into(),
                    self.style(Semantic::OnTrack),
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
