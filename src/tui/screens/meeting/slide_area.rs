//! Meeting mode's slides of one area of work each.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::widgets::{Paragraph, Widget};
use unicode_width::UnicodeWidthStr;

use super::overdue_fit::{OverdueGroup, plan_overdue};
use super::view::{MeetingView, status_semantic};
use crate::model::{DisplayState, Lang};
use crate::report::AreaSection;
use crate::tui::theme::Semantic;
use crate::tui::views::gauge;
use crate::tui::views::slide_text::fit;

impl MeetingView<'_> {
    pub(super) fn area(&self, a: &AreaSection, area: Rect, buf: &mut Buffer) {
        let mut y = area.y;
        let big = area.height >= 30;
        let figures: Vec<String> = a.indicators.iter().map(|ind| self.figures(ind)).collect();
        // One bar length for every gauge of the slide, so they compare at a glance.
        let fig_w = figures.iter().map(|f| f.width() as u16).max().unwrap_or(0);
        let bar_w = area.width.saturating_sub(fig_w + 1).max(12.min(area.width));
        let fig_w = area.width.saturating_sub(bar_w + 1);
        for (ind, figures) in a.indicators.iter().zip(&figures) {
            if y + 1 >= area.bottom() {
                break;
            }
            let status = self.style(status_semantic(ind.status));
            buf.set_string(
                area.x,
                y,
                fit(&ind.name, area.width as usize),
                self.style(Semantic::Base).add_modifier(Modifier::BOLD),
            );
            y += 1;
            // The bar in the state's own colour (an off-track bar is red, not white) and its
            // mark before it, for a reader without colour.
            gauge::draw_marked(
                buf,
                Rect::new(area.x, y, bar_w, 1),
                ind.status.mark(),
                ind.gauge,
                ind.expected_ratio,
                gauge::Styles {
                    filled: self.theme.ink(status_semantic(ind.status)),
                    empty: self.style(Semantic::GaugeEmpty),
                    marker: self.style(Semantic::ExpectedMarker),
                },
                self.t(gauge::NO_DATA.0, gauge::NO_DATA.1),
            );
            buf.set_string(area.x + bar_w + 1, y, fit(figures, fig_w as usize), status);
            y += if big { 2 } else { 1 };
        }
        if y < area.bottom() && !a.indicators.is_empty() {
            y += 1;
        }
        if y >= area.bottom() {
            return;
        }
        // Nothing overdue is good news, said in its colour; only a real count is an alarm.
        let (heading, style) = if a.overdue.is_empty() {
            (
                self.t("Không có nhiệm vụ quá hạn.", "No overdue tasks.")
                    .to_string(),
                self.theme.ink(Semantic::DoneOnTime),
            )
        } else {
            (
                format!(
                    "{} {}:",
                    a.overdue.len(),
                    self.t("nhiệm vụ quá hạn", "overdue tasks")
                ),
                self.theme.state(DisplayState::Overdue),
            )
        };
        buf.set_string(
            area.x,
            y,
            fit(&heading, area.width as usize),
            style.add_modifier(Modifier::BOLD),
        );
        y += 1;
        // Grouped by lead agency, the agencies with the most overdue first.
        let mut groups: Vec<OverdueGroup> = Vec::new();
        for o in &a.overdue {
            let name = if o.lead_agency_name.is_empty() {
                o.lead_agency.as_str()
            } else {
                o.lead_agency_name.as_str()
            };
            match groups.iter_mut().find(|g| g.name == name) {
                Some(g) => g.rows.push(o),
                None => groups.push(OverdueGroup {
                    name,
                    code: o.lead_agency.as_str(),
                    rows: vec![o],
                }),
            }
        }
        groups.sort_by(|a, b| b.rows.len().cmp(&a.rows.len()).then(a.name.cmp(b.name)));
        let width = area.width as usize;
        let lines = area.bottom().saturating_sub(y) as usize;
        // The closing summary may need more than the one line `plan_overdue` keeps for it (many
        // agencies left out, a narrow projector): plan again with fewer lines until it fits.
        let mut plan = plan_overdue(&groups, lines);
        let mut summary = self.left_out_summary(&groups, &plan.shown);
        let mut summary_lines = 1;
        while width > 0 && wrapped_lines(&summary, width) > summary_lines && summary_lines < lines {
            summary_lines += 1;
            plan = plan_overdue(&groups, lines + 1 - summary_lines);
            summary = self.left_out_summary(&groups, &plan.shown);
        }
        let line = |buf: &mut Buffer, y: u16, text: &str, style: Style| {
            buf.set_string(area.x, y, fit(text, width), style);
        };
        for (group, shown) in groups.iter().zip(&plan.shown) {
            if *shown == 0 {
                break;
            }
            // A long agency name is cut, its count never.
            let count = format!(" ({})", group.rows.len());
            let name_room = width.saturating_sub(count.width());
            let header = format!("{}{count}", fit(group.name, name_room));
            line(buf, y, &header, self.style(Semantic::Header));
            y += 1;
            for o in &group.rows[..*shown] {
                // Days late first: a long title is cut at the right edge, the figure never.
                let text = format!("  {} {} · {}", o.days_late, self.t("ngày", "days"), o.title);
                line(buf, y, &text, self.style(Semantic::Base));
                y += 1;
            }
            if *shown < group.rows.len() {
                let text = format!(
                    "  … {} {}",
                    group.rows.len() - shown,
                    self.t("nhiệm vụ khác của cơ quan này", "more of this agency")
                );
                line(buf, y, &text, self.style(Semantic::Base));
                y += 1;
            }
        }
        if !summary.is_empty() && y < area.bottom() {
            let rect = Rect {
                y,
                height: area.bottom() - y,
                ..area
            };
            Paragraph::new(summary)
                .style(self.style(Semantic::Base))
                .wrap(ratatui::widgets::Wrap { trim: true })
                .render(rect, buf);
        }
    }

    /// "và N nhiệm vụ của K cơ quan khác: A n, …" for the groups `shown` leaves out; empty when
    /// none is.
    fn left_out_summary(&self, groups: &[OverdueGroup], shown: &[usize]) -> String {
        let left: Vec<&OverdueGroup> = groups
            .iter()
            .zip(shown)
            .filter(|(_, shown)| **shown == 0)
            .map(|(g, _)| g)
            .collect();
        if left.is_empty() {
            String::new()
        } else {
            let tasks: usize = left.iter().map(|g| g.rows.len()).sum();
            let list: Vec<String> = left
                .iter()
                .map(|g| format!("{} {}", g.code, g.rows.len()))
                .collect();
            match self.lang {
                Lang::Vi => format!(
                    "và {tasks} nhiệm vụ của {} cơ quan khác: {}",
                    left.len(),
                    list.join(", ")
                ),
                Lang::En => format!(
                    "and {tasks} tasks of {} other {}: {}",
                    left.len(),
                    if left.len() == 1 {
                        "agency"
                    } else {
                        "agencies"
                    },
                    list.join(", ")
                ),
            }
        }
    }
}

/// How many lines `text` takes when wrapped at spaces to `width` columns (as the summary's
/// `Paragraph` wraps it; a word wider than a line takes its own).
fn wrapped_lines(text: &str, width: usize) -> usize {
    let mut lines = 0;
    let mut used = 0;
    for word in text.split(' ') {
        let w = word.width();
        if lines == 0 || used + 1 + w > width {
            lines += 1;
            used = w;
        } else {
            used += 1 + w;
        }
    }
    lines
}
