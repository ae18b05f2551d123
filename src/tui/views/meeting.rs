//! Meeting mode: full-screen slides for the projector. Draw only: the figures come from
//! `report::build` over the period since the last meeting, as of today.
//!
//! Slides: 0 overview, 1..=N one per area, N+1 who is behind, N+2 since the last meeting.
//! Nothing on them is only for a keyboard user: no key hints, just the slide number and title.

use chrono::NaiveDate;
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};
use unicode_width::UnicodeWidthStr;

use super::overdue_fit::{OverdueGroup, plan_overdue};
use super::slide_text::{fit, fit_header};
use super::{gauge, headline};
use crate::indicators::IndicatorStatus;
use crate::model::{Direction, DisplayState, Lang};
use crate::report::{AreaSection, QuarterReport, date, num, value};
use crate::tui::theme::{Semantic, Theme};

pub struct MeetingView<'a> {
    pub report: &'a QuarterReport,
    pub slide: usize,
    pub theme: &'a Theme,
    pub lang: Lang,
    pub today: NaiveDate,
    pub since: NaiveDate,
}

pub fn slide_count(report: &QuarterReport) -> usize {
    report.areas.len() + 3
}

/// The slide's title, as shown in its header.
pub fn slide_title(report: &QuarterReport, slide: usize, lang: Lang) -> String {
    let n = report.areas.len();
    let vi = lang == Lang::Vi;
    match slide {
        0 => (if vi { "Tổng quan" } else { "Overview" }).into(),
        s if s <= n => format!("{}. {}", s, report.areas[s - 1].name),
        s if s == n + 1 => (if vi {
            "Cơ quan chậm tiến độ"
        } else {
            "Who is behind"
        })
        .into(),
        _ => (if vi {
            "Kể từ cuộc họp trước"
        } else {
            "Since the last meeting"
        })
        .into(),
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

pub fn status_semantic(s: IndicatorStatus) -> Semantic {
    match s {
        IndicatorStatus::Met => Semantic::Met,
        IndicatorStatus::OnTrack => Semantic::OnTrack,
        IndicatorStatus::AtRisk => Semantic::AtRisk,
        IndicatorStatus::OffTrack => Semantic::OffTrack,
        IndicatorStatus::NoData => Semantic::NoData,
    }
}

impl MeetingView<'_> {
    pub(super) fn t<'b>(&self, vi: &'b str, en: &'b str) -> &'b str {
        if self.lang == Lang::Vi { vi } else { en }
    }

    pub(super) fn style(&self, s: Semantic) -> Style {
        self.theme.style(s)
    }
}

impl Widget for &MeetingView<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        buf.set_style(area, self.style(Semantic::Base));
        let count = slide_count(self.report);
        let slide = self.slide.min(count - 1);
        if area.width < 40 || area.height < 10 {
            // Too small for slides; the TUI shows its own "too small" message before this.
            let title = slide_title(self.report, slide, self.lang);
            buf.set_stringn(
                area.x,
                area.y,
                title,
                area.width as usize,
                self.style(Semantic::Title),
            );
            return;
        }
        let [header, body] =
            Layout::vertical([Constraint::Length(2), Constraint::Fill(1)]).areas(area);
        // The date stays whatever the title's length: the title is cut (with "…") first, after
        // the province's name is dropped from the date's side.
        let as_of = format!("{} {}", self.t("số liệu ngày", "as of"), date(self.today));
        let title = format!(
            "{}/{} · {}",
            slide + 1,
            count,
            slide_title(self.report, slide, self.lang)
        );
        let (title, as_of) = fit_header(
            &title,
            &[&format!("CCHC Lạng Sơn · {as_of}"), &as_of],
            header.width,
        );
        buf.set_string(
            header.x,
            header.y,
            &title,
            self.style(Semantic::Title).add_modifier(Modifier::BOLD),
        );
        buf.set_string(
            header.right().saturating_sub(as_of.width() as u16),
            header.y,
            &as_of,
            self.style(Semantic::Muted),
        );
        let body = body.inner(ratatui::layout::Margin::new(1, 0));
        let n = self.report.areas.len();
        match slide {
            0 => self.overview(body, buf),
            s if s <= n => self.area(&self.report.areas[s - 1], body, buf),
            s if s == n + 1 => self.behind(body, buf),
            _ => self.since_last(body, buf),
        }
    }
}

impl MeetingView<'_> {
    /// "88,5% / 100% · hạn 31/12/2027 · Đúng tiến độ" for one indicator.
    fn figures(&self, ind: &crate::report::IndicatorRow) -> String {
        let target = ind.target.map(|v| match ind.direction {
            Direction::ReduceBy => {
                format!("{} {}", self.t("giảm", "−"), value(ind.unit, v, self.lang))
            }
            Direction::AtLeast => value(ind.unit, v, self.lang),
            Direction::Above => {
                format!("{} {}", self.t("trên", ">"), value(ind.unit, v, self.lang))
            }
        });
        let latest = match (ind.direction, ind.achieved, ind.latest) {
            (Direction::ReduceBy, Some(r), Some(_)) => {
                format!("{} {}%", self.t("giảm", "−"), num(r, self.lang))
            }
            (Direction::AtLeast | Direction::Above, Some(v), Some(_)) => {
                value(ind.unit, v, self.lang)
            }
            _ => "—".to_string(),
        };
        format!(
            "{latest} / {} · {} {} · {}",
            target.unwrap_or_default(),
            self.t("hạn", "due"),
            ind.due.map(date).unwrap_or_default(),
            ind.status.label(self.lang)
        )
    }

    /// Big numerals for a few headline figures, in the largest font that fits `area`.
    pub(super) fn headline(
        &self,
        area: Rect,
        buf: &mut Buffer,
        figures: &[(String, String, Style)],
    ) -> u16 {
        let figures: Vec<headline::Figure> = figures
            .iter()
            .map(|(big, caption, style)| headline::Figure {
                big: big.clone(),
                caption: caption.clone(),
                style: *style,
            })
            .collect();
        headline::draw(buf, area, &figures, self.style(Semantic::Muted))
    }

    /// "Chỉ tiêu: Đạt 1   Đúng tiến độ 2   …" in one row of `width`: the first of ever shorter
    /// forms that fits (narrower gaps, then without "Chỉ tiêu:", then without the statuses no
    /// indicator has), cut with "…" only when even the shortest does not.
    fn indicator_line(&self, width: u16) -> Line<'static> {
        let counts: Vec<(IndicatorStatus, usize)> = IndicatorStatus::ALL
            .into_iter()
            .map(|s| {
                let n = self.report.indicators_by_status.get(&s).copied();
                (s, n.unwrap_or(0))
            })
            .collect();
        let prefix = self.t("Chỉ tiêu: ", "Indicators: ");
        let forms = [
            (true, "   ", true),
            (true, "  ", true),
            (false, "  ", true),
            (false, "  ", false),
        ];
        let build = |(with_prefix, gap, zeros): (bool, &str, bool)| {
            let mut spans: Vec<Span<'static>> = Vec::new();
            if with_prefix {
                spans.push(Span::styled(
                    prefix.to_string(),
                    self.style(Semantic::Muted),
                ));
            }
            for (s, n) in counts.iter().filter(|(_, n)| zeros || *n > 0) {
                if spans.len() > usize::from(with_prefix) {
                    spans.push(Span::raw(gap.to_string()));
                }
                spans.push(Span::styled(
                    format!("{} {n}", s.label(self.lang)),
                    self.style(status_semantic(*s)).add_modifier(Modifier::BOLD),
                ));
            }
            Line::from(spans)
        };
        if let Some(line) = forms
            .iter()
            .map(|f| build(*f))
            .find(|l| l.width() <= usize::from(width))
        {
            return line;
        }
        // Cut span by span, the last one shown ending in "…".
        let mut left = usize::from(width);
        let spans = build(forms[3])
            .spans
            .into_iter()
            .map_while(|span| {
                if left == 0 {
                    return None;
                }
                let text = fit(&span.content, left);
                left -= text.width().min(left);
                Some(Span::styled(text, span.style))
            })
            .collect::<Vec<_>>();
        Line::from(spans)
    }

    fn overview(&self, area: Rect, buf: &mut Buffer) {
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
                    self.theme.state(DisplayState::DoneOnTime),
                ),
                (
                    r.tasks.overdue.to_string(),
                    self.t("nhiệm vụ quá hạn", "tasks overdue").into(),
                    self.theme.state(DisplayState::Overdue),
                ),
                (
                    format!("{met_or_on_track}/{indicators}"),
                    self.t("chỉ tiêu đạt, đúng tiến độ", "indicators met or on track")
                        .into(),
                    self.style(Semantic::Met),
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

    fn area(&self, a: &AreaSection, area: Rect, buf: &mut Buffer) {
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
            gauge::draw(
                buf,
                Rect::new(area.x, y, bar_w, 1),
                ind.gauge,
                ind.expected_ratio,
                gauge::Styles {
                    filled: status,
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
        let heading = if a.overdue.is_empty() {
            self.t("Không có nhiệm vụ quá hạn.", "No overdue tasks.")
                .to_string()
        } else {
            format!(
                "{} {}:",
                a.overdue.len(),
                self.t("nhiệm vụ quá hạn", "overdue tasks")
            )
        };
        buf.set_string(
            area.x,
            y,
            fit(&heading, area.width as usize),
            self.theme
                .state(DisplayState::Overdue)
                .add_modifier(Modifier::BOLD),
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

    fn behind(&self, area: Rect, buf: &mut Buffer) {
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
            let bar_w = area.width.saturating_sub(name_w + fig_w);
            let style = if r.overdue > 0 {
                self.theme.state(DisplayState::Overdue)
            } else {
                self.theme.state(DisplayState::DoneOnTime)
            };
            gauge::draw(
                buf,
                Rect::new(area.x + name_w, y, bar_w, 1),
                Some(r.overdue as f64 / max_overdue as f64),
                None,
                gauge::Styles {
                    filled: style,
                    empty: self.style(Semantic::GaugeEmpty),
                    marker: style,
                },
                self.t(gauge::NO_DATA.0, gauge::NO_DATA.1),
            );
            buf.set_stringn(area.x + name_w + bar_w, y, figures, fig_w as usize, style);
        }
    }
}

// ----- Meeting mode in the app ---------------------------------------------------------------

use ratatui::Frame;

use crate::tui::app::{App, MessageKind};

/// Meeting mode: the whole terminal is the slide, in the meeting theme; no status bar and no
/// key hints. A warning or an error (the file became unreadable, say) takes the bottom row,
/// since nothing else would tell the facilitator.
pub fn render(frame: &mut Frame, app: &App) {
    let area = frame.area();
    let theme = &app.settings.meeting_theme;
    let Some(report) = &app.meeting.report else {
        frame
            .buffer_mut()
            .set_style(area, theme.style(Semantic::Base));
        return;
    };
    let view = MeetingView {
        report,
        slide: app.meeting.slide,
        theme,
        lang: app.lang(),
        today: app.settings.today,
        since: app.meeting.since,
    };
    frame.render_widget(&view, area);
    if let Some(m) = &app.messages.current
        && matches!(m.kind, MessageKind::Warning | MessageKind::Error)
        && area.height > 1
    {
        let y = area.bottom() - 1;
        let style = theme.style(Semantic::Banner);
        let row = Rect {
            y,
            height: 1,
            ..area
        };
        frame.buffer_mut().set_style(row, style);
        frame.buffer_mut().set_stringn(
            area.x,
            y,
            format!(" {}", m.text),
            usize::from(area.width),
            style,
        );
    }
}
