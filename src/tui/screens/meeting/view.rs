//! Meeting mode: full-screen slides for the projector. Draw only: the figures come from
//! `report::build` over the period since the last meeting, as of today.
//!
//! Slides: 0 overview, 1..=N one per area, N+1 who is behind, N+2 since the last meeting.
//! Nothing on them is only for a keyboard user: no key hints, just the slide number and title.
//!
//! This file holds the view, its header and the shared figures; each kind of slide is drawn in
//! its own file beside it: `meeting_overview`, `meeting_area`, `meeting_behind`,
//! `meeting_since`.

use chrono::NaiveDate;
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;
use unicode_width::UnicodeWidthStr;

use crate::indicators::IndicatorStatus;
use crate::model::{Direction, Lang};
use crate::report::{Report, date, num, value};
use crate::tui::theme::{Semantic, Theme};
use crate::tui::views::headline;
use crate::tui::views::slide_text::{fit, fit_header};

pub struct MeetingView<'a> {
    pub report: &'a Report,
    pub slide: usize,
    pub theme: &'a Theme,
    pub lang: Lang,
    pub today: NaiveDate,
    pub since: NaiveDate,
    /// The figures recorded since `since` (`indicators::recorded::recorded_since`).
    pub recorded: &'a [crate::indicators::recorded::Recorded],
}

pub fn slide_count(report: &Report) -> usize {
    report.areas.len() + 3
}

/// The slide's title, as shown in its header.
pub fn slide_title(report: &Report, slide: usize, lang: Lang) -> String {
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

    /// The ink of an overdue count: the alarm's colour when there is something overdue, the
    /// good news's when there is nothing (a zero is never drawn as an alarm).
    pub(super) fn overdue_ink(&self, count: usize) -> Style {
        self.theme.ink(if count > 0 {
            Semantic::Overdue
        } else {
            Semantic::DoneOnTime
        })
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
    pub(super) fn figures(&self, ind: &crate::report::IndicatorRow) -> String {
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
    pub(super) fn indicator_line(&self, width: u16) -> Line<'static> {
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
        recorded: &app.meeting.recorded,
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
