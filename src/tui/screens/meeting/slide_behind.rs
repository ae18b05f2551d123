//! Meeting mode's "Cơ quan chậm tiến độ / Who is behind" slide: overdue tasks grouped by
//! agency, as many groups as fit, the rest summed up in one line; beside an agency whose
//! overdue tasks a letter urged, "đã đôn đốc 12/11/2026 (lần 2)" (under its name when the
//! slide has two lines per agency, else after its figures).

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use unicode_width::UnicodeWidthStr;

use super::view::MeetingView;
use crate::model::{DisplayState, Lang};
use crate::tui::theme::Semantic;
use crate::tui::views::gauge;
use crate::tui::views::slide_text::fit;

impl MeetingView<'_> {
    pub(super) fn behind(&self, area: Rect, buf: &mut Buffer) {
        let rows: Vec<_> = self.report.agencies.iter().collect();
        let max_overdue = rows.iter().map(|r| r.overdue).max().unwrap_or(0).max(1);
        let name_w = (area.width / 3).clamp(14, 44);
        let header = format!(
            "{:<w$}{}",
            self.t("Cơ quan", "Agency"),
            self.t("quá hạn · hoàn thành/tổng", "overdue · done/total"),
            w = name_w as usize
        );
        buf.set_string(
            area.x,
            area.y,
            fit(&header, area.width as usize),
            self.style(Semantic::Header),
        );
        let step = if area.height >= 30 { 2 } else { 1 };
        // One line per agency: the reminders take a column of their own, as wide as the
        // longest among those shown, so every bar is measured against the same width.
        let urged = |r: &crate::report::AgencyStanding| {
            r.reminded
                .filter(|_| r.overdue > 0)
                .map(|u| format!(" {}", u.label(self.lang)))
        };
        let urged_w = if step == 1 {
            rows.iter()
                .take(area.height as usize)
                .filter_map(|r| urged(r))
                .map(|u| u.width() as u16)
                .max()
                .unwrap_or(0)
        } else {
            0
        };
        for (i, r) in rows.iter().enumerate() {
            let y = area.y + 1 + (i as u16) * step;
            if y >= area.bottom() {
                break;
            }
            let next_fits = area.y + 1 + (i as u16 + 1) * step < area.bottom();
            if i + 1 < rows.len() && !next_fits {
                // The last line names every agency that does not fit, with its overdue count.
                let left = &rows[i..];
                let overdue: usize = left.iter().map(|r| r.overdue).sum();
                let list: Vec<String> = left
                    .iter()
                    .map(|r| format!("{} {}", r.code, r.overdue))
                    .collect();
                let text = match self.lang {
                    Lang::Vi => format!(
                        "và {} cơ quan khác, {overdue} nhiệm vụ quá hạn: {}",
                        left.len(),
                        list.join(", ")
                    ),
                    Lang::En => format!(
                        "and {} more agencies, {overdue} overdue tasks: {}",
                        left.len(),
                        list.join(", ")
                    ),
                };
                buf.set_string(
                    area.x,
                    y,
                    fit(&text, area.width as usize),
                    self.style(Semantic::Base),
                );
                break;
            }
            buf.set_string(
                area.x,
                y,
                fit(&format!("{}. {}", i + 1, r.name), name_w as usize - 1),
                self.style(Semantic::Base),
            );
            let figures = format!(
                " {} · {}/{} ({}%)",
                r.overdue,
                r.done,
                r.total,
                (r.share_done() * 100.0).round()
            );
            let fig_w = figures.width() as u16;
            let bar_w = area.width.saturating_sub(name_w + fig_w + urged_w);
            let style = if r.overdue > 0 {
                self.theme.state(DisplayState::Overdue)
            } else {
                self.theme.state(DisplayState::DoneOnTime)
            };
            // The bar in the alarm's colour and marked `!` for an agency behind, `✓` for one
            // with nothing overdue: a reader of the bar alone tells them apart.
            let (ink, mark) = if r.overdue > 0 {
                (self.overdue_ink(r.overdue), "!")
            } else {
                (self.overdue_ink(0), "✓")
            };
            gauge::draw_marked(
                buf,
                Rect::new(area.x + name_w, y, bar_w, 1),
                mark,
                Some(r.overdue as f64 / max_overdue as f64),
                None,
                gauge::Styles {
                    filled: ink,
                    empty: self.style(Semantic::GaugeEmpty),
                    marker: ink,
                },
                self.t(gauge::NO_DATA.0, gauge::NO_DATA.1),
            );
            buf.set_stringn(area.x + name_w + bar_w, y, figures, fig_w as usize, style);
            if let Some(u) = urged(r) {
                let muted = self.style(Semantic::Muted);
                if step == 2 {
                    let text = format!("   {}", u.trim_start());
                    buf.set_string(area.x, y + 1, fit(&text, area.width as usize), muted);
                } else {
                    let x = area.x + name_w + bar_w + fig_w;
                    buf.set_stringn(x, y, u, urged_w as usize, muted);
                }
            }
        }
    }
}
