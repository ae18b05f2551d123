//! Meeting mode's first slide: the overview of the whole plan (tasks, indicators, the plan's
//! identity).

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use unicode_width::UnicodeWidthStr;

use super::view::MeetingView;
use crate::indicators::IndicatorStatus;
use crate::model::DisplayState;
use crate::tui::theme::Semantic;
use crate::tui::views::gauge;
use crate::tui::views::slide_text::fit;

impl MeetingView<'_> {
    pub(super) fn overview(&self, area: Rect, buf: &mut Buffer) {
        let r = self.report;
        let done = r.tasks.done_on_time + r.tasks.done_late;
        let met_or_on_track = r
            .indicators_by_status
            .get(&IndicatorStatus::Met)
            .unwrap_or(&0)
            + r.indicators_by_status
                .get(&IndicatorStatus::OnTrack)
                .unwrap_or(&0);
        let indicators: usize = r.indicators_by_status.values().sum();
        // Below the numerals: the indicator line, a blank, a row per area and the log's line.
        let below = 3 + r.areas.len() as u16;
        let used = self.headline(
            Rect {
                height: area.height.saturating_sub(below),
                ..area
            },
            buf,
            &[
                (
                    format!("{done}/{}", r.tasks.total),
                    self.t("nhiệm vụ hoàn thành", "tasks done").into(),
                    self.theme.ink(Semantic::DoneOnTime),
                ),
                (
                    r.tasks.overdue.to_string(),
                    self.t("nhiệm vụ quá hạn", "tasks overdue").into(),
                    self.overdue_ink(r.tasks.overdue),
                ),
                (
                    format!("{met_or_on_track}/{indicators}"),
                    self.t("chỉ tiêu đạt, đúng tiến độ", "indicators met or on track")
                        .into(),
                    self.theme.ink(Semantic::Met),
                ),
            ],
        );
        let mut y = area.y + used;
        if y < area.bottom() {
            // One row, never wrapped: see `indicator_line`.
            buf.set_line(area.x, y, &self.indicator_line(area.width), area.width);
            y += 2;
        }
        let name_w = (area.width / 3).clamp(12, 48);
        // A blank line between areas when they all fit that way, keeping the log's line and
        // the plan's identity (a blank and its wrapped rows), which matters more than air.
        let rows_left = area.bottom().saturating_sub(y + 1);
        let identity_rows = if r.plan.title.is_empty() {
            0
        } else {
            1 + crate::tui::text::wrap(&self.plan_line(), area.width as usize).len()
        };
        let step = if usize::from(rows_left) >= 2 * r.areas.len() + identity_rows {
            2
        } else {
            1
        };
        for a in &r.areas {
            if y >= area.bottom() {
                break;
            }
            let done = a.tasks.done_on_time + a.tasks.done_late;
            let ratio = if a.tasks.total == 0 {
                0.0
            } else {
                done as f64 / a.tasks.total as f64
            };
            let figures = format!(
                " {done}/{} · {} {}",
                a.tasks.total,
                a.tasks.overdue,
                self.t("quá hạn", "overdue")
            );
            buf.set_string(
                area.x,
                y,
                fit(&a.name, name_w as usize - 1),
                self.style(Semantic::Base),
            );
            let fig_w = figures.width() as u16;
            let bar_w = area.width.saturating_sub(name_w + fig_w);
            gauge::draw(
                buf,
                Rect::new(area.x + name_w, y, bar_w, 1),
                Some(ratio),
                None,
                gauge::Styles {
                    filled: self.style(Semantic::GaugeFilled),
                    empty: self.style(Semantic::GaugeEmpty),
                    marker: self.style(Semantic::ExpectedMarker),
                },
                self.t(gauge::NO_DATA.0, gauge::NO_DATA.1),
            );
            let fig_style = if a.tasks.overdue > 0 {
                self.theme.state(DisplayState::Overdue)
            } else {
                self.style(Semantic::Base)
            };
            buf.set_stringn(
                area.x + name_w + bar_w,
                y,
                &figures,
                fig_w as usize,
                fig_style,
            );
            y += step;
        }
        self.plan_identity(area, y + 1, buf);
        if let Some((id, hash)) = &r.log_head
            && area.height > 4
        {
            let line = format!(
                "{} #{id}: {}",
                self.t("Nhật ký thay đổi", "Change log"),
                &hash[..hash.len().min(16)]
            );
            buf.set_string(
                area.x,
                area.bottom() - 1,
                fit(&line, area.width as usize),
                self.style(Semantic::Muted),
            );
        }
    }

    /// "Kế hoạch … (UBND tỉnh …, số …, …) · thay thế …": the plan's identity in one paragraph.
    fn plan_line(&self) -> String {
        let p = &self.report.plan;
        format!(
            "{} ({}, {} {}, {}) · {} {}",
            p.title,
            p.issuer,
            self.t("số", "no."),
            p.number,
            p.issued,
            self.t("thay thế", "replaces"),
            p.replaces
        )
    }

    /// Under the areas, as room allows: which plan this is and what it replaces, then its general
    /// objective (II.1). Compiled-in text; the last row stays free for the change log's line.
    fn plan_identity(&self, area: Rect, y: u16, buf: &mut Buffer) {
        let p = &self.report.plan;
        let bottom = area.bottom().saturating_sub(1);
        if p.title.is_empty() || y >= bottom {
            return;
        }
        let identity = self.plan_line();
        let objective = format!(
            "{} {}",
            self.t("Mục tiêu chung:", "General objective:"),
            p.general_objective
        );
        // Whole paragraphs only: the objective is left out rather than cut mid-sentence; the
        // identity, which must be seen, is cut with "…" on the last row it can have.
        let width = area.width as usize;
        let mut y = y;
        for (i, (text, style)) in [
            (identity, self.style(Semantic::Base)),
            (objective, self.style(Semantic::Muted)),
        ]
        .into_iter()
        .enumerate()
        {
            let mut rows = crate::tui::text::wrap(&text, width);
            let room = usize::from(bottom - y);
            if rows.len() > room {
                if i > 0 || room == 0 {
                    return;
                }
                rows.truncate(room);
                if let Some(last) = rows.last_mut() {
                    *last = fit(&format!("{last}…"), width);
                }
            }
            for row in rows {
                buf.set_string(area.x, y, row, style);
                y += 1;
            }
        }
    }
}
