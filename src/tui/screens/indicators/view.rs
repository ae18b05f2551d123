//! The indicators view: every indicator grouped by area, with a gauge toward its current step,
//! the expected-by-today mark, latest value with date and source, target and due date, status,
//! and a sparkline of its measurements. Draw only.

use chrono::NaiveDate;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::widgets::{Block, Borders, Sparkline, Widget};

use crate::indicators::{Assessment, sparkline_points};
use crate::model::{Area, Direction, Indicator, Lang, Measurement};
use crate::report::{num, value};
use crate::tui::screens::meeting::view::status_semantic;
use crate::tui::theme::{Semantic, Theme};
use crate::tui::views::gauge;

/// One indicator with what the view shows of it.
pub struct IndicatorRow<'a> {
    pub indicator: &'a Indicator,
    pub measurements: &'a [Measurement],
    pub assessment: &'a Assessment,
}

pub struct IndicatorsView<'a> {
    pub areas: &'a [Area],
    /// In display order (grouped by area, as the plan lists them).
    pub rows: Vec<IndicatorRow<'a>>,
    pub selected: usize,
    pub theme: &'a Theme,
    pub lang: Lang,
    pub today: NaiveDate,
    pub focused: bool,
}

/// Rows each indicator takes on screen.
pub const ROWS_PER_INDICATOR: u16 = 3;

impl IndicatorsView<'_> {
    fn t<'b>(&self, vi: &'b str, en: &'b str) -> &'b str {
        if self.lang == Lang::Vi { vi } else { en }
    }

    /// The screen lines of the list: an area heading or an indicator index.
    fn lines(&self) -> Vec<Option<usize>> {
        let mut out = Vec::new();
        let mut last_area: Option<&str> = None;
        for (i, r) in self.rows.iter().enumerate() {
            if last_area != Some(r.indicator.area.as_str()) {
                out.push(None);
                last_area = Some(&r.indicator.area);
            }
            out.push(Some(i));
        }
        out
    }
}

impl Widget for &IndicatorsView<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let border = if self.focused {
            Semantic::BorderFocus
        } else {
            Semantic::Border
        };
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(self.theme.style(border))
            .title(format!(
                " {} ({}) ",
                self.t("Chỉ tiêu", "Indicators"),
                self.rows.len()
            ));
        let inner = block.inner(area);
        block.render(area, buf);
        if inner.width < 10 || inner.height == 0 {
            return;
        }
        // Scroll so the selected indicator is visible; every line is ROWS_PER_INDICATOR high
        // except area headings (one row).
        let lines = self.lines();
        let height = |l: &Option<usize>| if l.is_some() { ROWS_PER_INDICATOR } else { 1 };
        let sel_line = lines
            .iter()
            .position(|l| *l == Some(self.selected))
            .unwrap_or(0);
        let mut first = 0;
        loop {
            let used: u16 = lines[first..=sel_line].iter().map(height).sum();
            if used <= inner.height || first == sel_line {
                break;
            }
            first += 1;
        }
        let mut y = inner.y;
        for (k, line) in lines.iter().enumerate().skip(first) {
            if y >= inner.bottom() {
                break;
            }
            match line {
                None => {
                    // A heading names the area of the indicator that follows it.
                    let code = lines
                        .get(k + 1)
                        .copied()
                        .flatten()
                        .map(|i| self.rows[i].indicator.area.as_str());
                    let name = code
                        .map(|c| {
                            self.areas
                                .iter()
                                .find(|a| a.code == c)
                                .map_or_else(|| c.to_string(), |a| a.name(self.lang).to_string())
                        })
                        .unwrap_or_default();
                    buf.set_stringn(
                        inner.x,
                        y,
                        name,
                        inner.width as usize,
                        self.theme.style(Semantic::Header),
                    );
                    y += 1;
                }
                Some(i) => {
                    self.indicator(
                        &self.rows[*i],
                        *i == self.selected,
                        Rect::new(
                            inner.x,
                            y,
                            inner.width,
                            (inner.bottom() - y).min(ROWS_PER_INDICATOR),
                        ),
                        buf,
                    );
                    y += ROWS_PER_INDICATOR;
                }
            }
        }
    }
}

impl IndicatorsView<'_> {
    fn indicator(&self, row: &IndicatorRow, selected: bool, area: Rect, buf: &mut Buffer) {
        let a = row.assessment;
        let ind = row.indicator;
        let status = self.theme.style(status_semantic(a.status));
        let name_style = if selected {
            self.theme.style(Semantic::Selected)
        } else {
            self.theme
                .style(Semantic::Base)
                .add_modifier(Modifier::BOLD)
        };
        let marker = if selected { "▶ " } else { "  " };
        buf.set_stringn(
            area.x,
            area.y,
            crate::text::truncate(&format!("{marker}{}", ind.name), area.width as usize),
            area.width as usize,
            name_style,
        );
        if area.height < 2 {
            return;
        }
        let y = area.y + 1;
        let target = a.current_target.map(|t| {
            let v = value(ind.unit, t.value, self.lang);
            let v = match ind.direction {
                Direction::ReduceBy => format!("{} {v}", self.t("giảm", "−")),
                Direction::AtLeast => v,
                Direction::Above => format!("{} {v}", self.t("trên", ">")),
            };
            format!("{v} {} {}", self.t("hạn", "by"), t.due.format("%d/%m/%Y"))
        });
        // The status first, so that a narrow terminal cuts the source rather than the verdict.
        let latest = match (&a.latest, a.achieved) {
            (Some(l), Some(ach)) => match ind.direction {
                Direction::ReduceBy => format!(
                    "{} {}% ({})",
                    self.t("giảm", "−"),
                    num(ach, self.lang),
                    num(l.value, self.lang)
                ),
                Direction::AtLeast | Direction::Above => value(ind.unit, l.value, self.lang),
            },
            (Some(l), None) => num(l.value, self.lang),
            _ => "—".into(),
        };
        let mut text = format!(
            " {} · {latest} → {}",
            a.status.label(self.lang),
            target.unwrap_or_default(),
        );
        if let Some(l) = &a.latest {
            text.push_str(&format!(" · {}", l.date.format("%d/%m/%Y")));
            if !l.source.is_empty() {
                text.push_str(&format!(", {}", l.source));
            }
        }
        let spark_w: u16 = if area.width >= 100 { 16 } else { 0 };
        let bar_w = (area.width / 4)
            .clamp(10, 40)
            .min(area.width.saturating_sub(spark_w + 10));
        let expected = a
            .expected_today
            .zip(a.current_target.map(|t| t.value).filter(|v| v.abs() > 1e-9))
            .map(|(e, t)| e / t);
        gauge::draw(
            buf,
            Rect::new(area.x + 2, y, bar_w, 1),
            a.gauge_ratio(),
            expected,
            gauge::Styles {
                filled: status,
                empty: self.theme.style(Semantic::GaugeEmpty),
                marker: self.theme.style(Semantic::ExpectedMarker),
            },
            // The status beside the bar already says "no data"; the hatching alone marks it.
            "",
        );
        let text_x = area.x + 2 + bar_w;
        let text_w = area.right().saturating_sub(text_x + spark_w);
        buf.set_stringn(text_x, y, &text, text_w as usize, status);
        if spark_w > 0 {
            let points = sparkline_points(row.measurements, self.today);
            if !points.is_empty() {
                Sparkline::default()
                    .data(points.iter().copied())
                    .style(status)
                    .render(Rect::new(area.right() - spark_w, y, spark_w, 1), buf);
            }
        }
    }
}

// ----- The indicators screen ---------------------------------------------------------------

use ratatui::Frame;
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Wrap};

use crate::tui::app::App;
use crate::tui::labels::{self, tr};
use crate::tui::layout::BrowseLayout;

/// From this width the selected indicator's targets and measurements show beside the list.
pub const DETAIL_MIN_WIDTH: u16 = 120;

/// The indicators screen: the list of gauges, and on a wide terminal the selected indicator's
/// targets and every measurement beside it.
pub fn render(frame: &mut Frame, layout: &BrowseLayout, app: &App) {
    let body = layout.body;
    let (list, detail) = if body.width >= DETAIL_MIN_WIDTH {
        let list_w = body.width * 3 / 5;
        (
            Rect {
                width: list_w,
                ..body
            },
            Some(Rect {
                x: body.x + list_w,
                width: body.width - list_w,
                ..body
            }),
        )
    } else {
        (body, None)
    };
    let view = IndicatorsView {
        areas: &app.data.areas,
        rows: app
            .gauges
            .rows
            .iter()
            .map(|g| IndicatorRow {
                indicator: &g.indicator,
                measurements: &g.measurements,
                assessment: &g.assessment,
            })
            .collect(),
        selected: app.indicators.selected,
        theme: &app.settings.theme,
        lang: app.lang(),
        today: app.settings.today,
        focused: true,
    };
    frame.render_widget(&view, list);
    if let Some(rect) = detail {
        render_detail(frame, rect, app);
    }
}

fn render_detail(frame: &mut Frame, rect: Rect, app: &App) {
    let theme = &app.settings.theme;
    let lang = app.lang();
    let Some(g) = app.gauges.rows.get(app.indicators.selected) else {
        frame.render_widget(crate::tui::views::pane(Line::raw(""), false, theme), rect);
        return;
    };
    let ind = &g.indicator;
    let a = &g.assessment;
    let block = crate::tui::views::pane(Line::raw(format!(" {} ", ind.code)), false, theme);
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    let muted = theme.style(Semantic::Muted);
    let header = theme.style(Semantic::Header);
    let base = theme.style(Semantic::Base);
    let label = |vi: &'static str, en: &'static str| {
        crate::tui::views::span(format!("{:<10}", tr(lang, vi, en)), muted)
    };
    let mut lines: Vec<Line> = vec![
        Line::styled(ind.name.clone(), base.add_modifier(Modifier::BOLD)),
        Line::raw(""),
        Line::from(vec![
            label("Chủ trì", "Lead"),
            crate::tui::views::span(
                format!(
                    "{} ({})",
                    app.data.agency_name(&ind.lead_agency),
                    ind.lead_agency
                ),
                base,
            ),
        ]),
        Line::from(vec![
            label("Đánh giá", "Status"),
            crate::tui::views::span(
                a.status.label(lang).to_string(),
                theme.style(status_semantic(a.status)),
            ),
        ]),
    ];
    if let Some(e) = a.expected_today {
        let shown = match ind.direction {
            Direction::ReduceBy => format!("{} {}%", tr(lang, "giảm", "−"), num(e, lang)),
            Direction::AtLeast | Direction::Above => value(ind.unit, e, lang),
        };
        lines.push(Line::from(vec![
            label("Cần đạt", "Expected"),
            crate::tui::views::span(
                format!("{shown} {}", tr(lang, "vào hôm nay", "by today")),
                base,
            ),
        ]));
    }
    if let Some(b) = &ind.baseline {
        let v = b
            .value
            .or(a.baseline.map(|p| p.value))
            .map(|v| num(v, lang))
            .unwrap_or_else(|| tr(lang, "chưa có số liệu", "not yet measured").into());
        lines.push(Line::from(vec![
            label("Mốc so sánh", "Baseline"),
            crate::tui::views::span(format!("{} ({v})", b.label), base),
        ]));
    }
    lines.push(Line::raw(""));
    lines.push(Line::styled(tr(lang, "Mục tiêu", "Targets"), header));
    for (i, t) in ind.targets.iter().enumerate() {
        let v = value(ind.unit, t.value, lang);
        let v = match ind.direction {
            Direction::ReduceBy => format!("{} {v}", tr(lang, "giảm", "−")),
            Direction::AtLeast => v,
            Direction::Above => format!("{} {v}", tr(lang, "trên", ">")),
        };
        let current = a.current_target == Some(*t) || (a.step == Some(i));
        let mark = if current { "▶" } else { " " };
        lines.push(Line::styled(
            format!(
                "{mark} {v} {} {}",
                tr(lang, "hạn", "by"),
                labels::date(t.due)
            ),
            if current { base } else { muted },
        ));
    }
    lines.push(Line::raw(""));
    lines.push(Line::styled(
        format!(
            "{} ({})",
            tr(lang, "Số liệu đã ghi", "Measurements"),
            g.measurements.len()
        ),
        header,
    ));
    if g.measurements.is_empty() {
        let mut text = tr(lang, "Chưa có", "None yet").to_string();
        let keys = app
            .settings
            .keymap
            .keys_for(crate::tui::action::Action::RecordMeasurement, app.context());
        if let Some(key) = keys.first().filter(|_| app.can_write()) {
            text.push_str(&format!(" — {key} {}", tr(lang, "để ghi", "to record")));
        }
        lines.push(Line::styled(text, muted));
    }
    for m in g.measurements.iter().rev() {
        let mut text = format!(
            "{} · {}",
            labels::date(m.measured_on),
            value(ind.unit, m.value, lang)
        );
        if !m.source.is_empty() {
            text.push_str(&format!(" · {}", m.source));
        }
        text.push_str(&format!(" · {}", m.recorded_by));
        lines.push(Line::styled(text, base));
        if !m.note.is_empty() {
            lines.push(Line::styled(format!("  {}", m.note), muted));
        }
    }
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
}
