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
use tui_big_text::{BigText, PixelSize};
use unicode_width::UnicodeWidthStr;

use super::gauge;
use super::overdue_fit::{OverdueGroup, plan_overdue};
use crate::indicators::IndicatorStatus;
use crate::model::{Direction, DisplayState, Lang};
use crate::report::{AreaSection, QuarterReport, date, num, value};
use crate::text::truncate;
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
    fn t<'b>(&self, vi: &'b str, en: &'b str) -> &'b str {
        if self.lang == Lang::Vi { vi } else { en }
    }

    fn style(&self, s: Semantic) -> Style {
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
        let left = format!(
            "CCHC Lạng Sơn · {} {}",
            self.t("số liệu ngày", "as of"),
            date(self.today)
        );
        let right = format!(
            "{}/{} · {}",
            slide + 1,
            count,
            slide_title(self.report, slide, self.lang)
        );
        Paragraph::new(Line::from(vec![Span::styled(
            right,
            self.style(Semantic::Title).add_modifier(Modifier::BOLD),
        )]))
        .render(
            Rect {
                height: 1,
                ..header
            },
            buf,
        );
        let lw = left.width() as u16;
        let title_w = slide_title(self.report, slide, self.lang).width() as u16 + 8;
        if header.width > lw + title_w + 2 {
            let x = header.x + header.width - lw;
            buf.set_string(x, header.y, &left, self.style(Semantic::Muted));
        }
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

    /// Big numerals for a few headline figures, sized to what fits.
    fn headline(&self, area: Rect, buf: &mut Buffer, figures: &[(String, String, Style)]) -> u16 {
        let longest = figures
            .iter()
            .map(|f| f.0.chars().count())
            .max()
            .unwrap_or(1) as u16;
        let slot = area.width / figures.len().max(1) as u16;
        let (size, h) = if slot >= longest * 8 + 2 && area.height >= 30 {
            (PixelSize::Full, 8)
        } else if slot >= longest * 8 + 2 && area.height >= 16 {
            (PixelSize::HalfHeight, 4)
        } else {
            (PixelSize::Quadrant, 4)
        };
        let cols = Layout::horizontal(vec![
            Constraint::Ratio(1, figures.len().max(1) as u32);
            figures.len()
        ])
        .split(Rect {
            height: (h + 1).min(area.height),
            ..area
        });
        for ((big, caption, style), col) in figures.iter().zip(cols.iter()) {
            BigText::builder()
                .pixel_size(size)
                .style(*style)
                .lines(vec![Line::from(big.clone())])
                .build()
                .render(
                    Rect {
                        height: h.min(col.height),
                        ..*col
                    },
                    buf,
                );
            if col.y + h < area.bottom() {
                buf.set_stringn(
                    col.x,
                    col.y + h,
                    caption,
                    col.width as usize,
                    self.style(Semantic::Muted),
                );
            }
        }
        h + 2
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
        let used = self.headline(
            area,
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
        let mut spans = vec![Span::styled(
            self.t("Chỉ tiêu: ", "Indicators: "),
            self.style(Semantic::Muted),
        )];
        for s in IndicatorStatus::ALL {
            let n = r.indicators_by_status.get(&s).copied().unwrap_or(0);
            spans.push(Span::styled(
                format!("{} {n}", s.label(self.lang)),
                self.style(status_semantic(s)).add_modifier(Modifier::BOLD),
            ));
            spans.push(Span::raw("   "));
        }
        if y < area.bottom() {
            // Wraps onto a second line on a narrow projector rather than cutting a status off.
            let h: u16 = if area.width < 110 { 2 } else { 1 };
            let rect = Rect {
                y,
                height: h.min(area.bottom() - y),
                ..area
            };
            Paragraph::new(Line::from(spans))
                .wrap(ratatui::widgets::Wrap { trim: true })
                .render(rect, buf);
            y += h + 1;
        }
        let name_w = (area.width / 3).clamp(12, 48);
        // A blank line between areas when they all fit that way (keeping the log's line).
        let rows_left = area.bottom().saturating_sub(y + 1);
        let step = if usize::from(rows_left) >= 2 * r.areas.len() {
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
                truncate(&a.name, name_w as usize - 1),
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
            buf.set_stringn(
                area.x,
                area.bottom() - 1,
                line,
                area.width as usize,
                self.style(Semantic::Muted),
            );
        }
    }

    /// Under the areas, as room allows: which plan this is and what it replaces, then its general
    /// objective (II.1). Compiled-in text; the last row stays free for the change log's line.
    fn plan_identity(&self, area: Rect, y: u16, buf: &mut Buffer) {
        let p = &self.report.plan;
        let bottom = area.bottom().saturating_sub(1);
        if p.title.is_empty() || y >= bottom {
            return;
        }
        let identity = format!(
            "{} ({}, {} {}, {}) · {} {}",
            p.title,
            p.issuer,
            self.t("số", "no."),
            p.number,
            p.issued,
            self.t("thay thế", "replaces"),
            p.replaces
        );
        let objective = format!(
            "{} {}",
            self.t("Mục tiêu chung:", "General objective:"),
            p.general_objective
        );
        let rect = Rect {
            y,
            height: bottom - y,
            ..area
        };
        Paragraph::new(vec![
            Line::styled(identity, self.style(Semantic::Base)),
            Line::styled(objective, self.style(Semantic::Muted)),
        ])
        .wrap(ratatui::widgets::Wrap { trim: true })
        .render(rect, buf);
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
                truncate(&ind.name, area.width as usize),
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
            buf.set_stringn(area.x + bar_w + 1, y, figures, fig_w as usize, status);
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
        buf.set_stringn(
            area.x,
            y,
            heading,
            area.width as usize,
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
            buf.set_string(area.x, y, truncate(text, width), style);
        };
        for (group, shown) in groups.iter().zip(&plan.shown) {
            if *shown == 0 {
                break;
            }
            let header = format!("{} ({})", group.name, group.rows.len());
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
        buf.set_stringn(
            area.x,
            area.y,
            header,
            area.width as usize,
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
                    truncate(&text, area.width as usize),
                    self.style(Semantic::Base),
                );
                break;
            }
            buf.set_string(
                area.x,
                y,
                truncate(&format!("{}. {}", i + 1, r.name), name_w as usize - 1),
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

    fn since_last(&self, area: Rect, buf: &mut Buffer) {
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
        buf.set_stringn(
            area.x,
            area.y,
            format!(
                "{} {} – {}",
                self.t("Từ", "From"),
                date(self.since),
                date(self.today)
            ),
            area.width as usize,
            self.style(Semantic::Muted),
        );
        let used = self.headline(
            Rect {
                y: area.y + 1,
                height: area.height.saturating_sub(1),
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
        let mut lines: Vec<Line> = Vec::new();
        let mut by_user: std::collections::BTreeMap<&str, usize> = Default::default();
        for a in &r.areas {
            for (user, n) in &a.changes.entries_by_user {
                *by_user.entry(user.as_str()).or_default() += n;
            }
        }
        if !by_user.is_empty() {
            let total: usize = by_user.values().sum();
            let who: Vec<String> = by_user.iter().map(|(u, n)| format!("{u} ({n})")).collect();
            lines.push(Line::styled(
                format!(
                    "{} {total} {}: {}",
                    self.t("Nhật ký thay đổi:", "Change log:"),
                    self.t("mục", "entries"),
                    who.join(", ")
                ),
                self.style(Semantic::Muted),
            ));
        }
        for (id, title, d) in &completed {
            lines.push(Line::styled(
                format!("✓ #{id} {title} ({})", date(*d)),
                self.theme.state(DisplayState::DoneOnTime),
            ));
        }
        for (code, v, d) in &measured {
            lines.push(Line::styled(
                format!("◆ {code} = {} ({})", num(*v, self.lang), date(*d)),
                self.style(Semantic::OnTrack),
            ));
        }
        for (id, title, d) in &newly {
            lines.push(Line::styled(
                format!("! #{id} {title} ({} {})", self.t("hạn", "due"), date(*d)),
                self.theme.state(DisplayState::Overdue),
            ));
        }
        let list = Rect {
            y: area.y + 1 + used,
            height: area.height.saturating_sub(1 + used),
            ..area
        };
        if lines.is_empty() && list.height > 0 {
            lines.push(Line::styled(
                self.t("Không có thay đổi.", "No changes."),
                self.style(Semantic::Muted),
            ));
        }
        Paragraph::new(lines).render(list, buf);
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
