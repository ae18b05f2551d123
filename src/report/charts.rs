//! The report's two charts as PNG pictures, drawn with plotters into a pixel buffer: 1. the
//! tasks due in the period by area (done on time, done late, not done); 2. each indicator's
//! achievement against its current target, with the mark expected by "as of". The labels are
//! set in Liberation Sans (SIL Open Font License 1.1; data/fonts/), embedded in the binary so a
//! fresh machine needs no font to draw Vietnamese.

use std::sync::Once;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::indicators::IndicatorStatus;
use crate::model::Lang;

use super::{Report, count, date, figure};

const FONT: &[u8] = include_bytes!("../../data/fonts/LiberationSans-Regular.ttf");
const FAMILY: &str = "cchc-sans";

/// Pixels per inch the charts are drawn at; the .docx shows them at their size at this density.
pub const DPI: u32 = 150;
/// 6.4 inches: the text width of an A4 page with the decree's margins (165 mm), nearly.
const WIDTH: u32 = 960;
const LABEL_SIZE: u32 = 17;
const SMALL: u32 = 15;

/// One chart: its PNG bytes and size in pixels (at `DPI`).
#[derive(Debug, Clone)]
pub struct Chart {
    pub png: Vec<u8>,
    pub width: u32,
    pub height: u32,
}

const ON_TIME: RGBColor = RGBColor(46, 125, 50);
const LATE: RGBColor = RGBColor(239, 108, 0);
const NOT_DONE: RGBColor = RGBColor(198, 40, 40);
const ON_TRACK: RGBColor = RGBColor(21, 101, 192);
const NO_DATA: RGBColor = RGBColor(189, 189, 189);
const INK: RGBColor = RGBColor(33, 33, 33);

fn register_font() -> Result<(), String> {
    static ONCE: Once = Once::new();
    let mut result = Ok(());
    ONCE.call_once(|| {
        result = plotters::style::register_font(FAMILY, FontStyle::Normal, FONT)
            .map_err(|_| "the embedded chart font cannot be read".to_string());
    });
    result
}

fn text(size: u32) -> TextStyle<'static> {
    (FAMILY, size).into_font().color(&INK)
}

/// Both charts, in the order the body places them.
pub fn render(r: &Report, lang: Lang) -> Result<Vec<Chart>, String> {
    register_font()?;
    Ok(vec![areas(r, lang)?, indicators(r, lang)?])
}

type Area<'a> = DrawingArea<BitMapBackend<'a>, Shift>;

fn err<E: std::fmt::Debug>(e: E) -> String {
    format!("cannot draw the chart: {e:?}")
}

/// Draws with `draw` on a white canvas of `height` pixels and returns the PNG.
fn picture(height: u32, draw: impl FnOnce(&Area) -> Result<(), String>) -> Result<Chart, String> {
    let mut buffer = vec![255u8; (WIDTH * height * 3) as usize];
    {
        let root = BitMapBackend::with_buffer(&mut buffer, (WIDTH, height)).into_drawing_area();
        draw(&root)?;
        root.present().map_err(err)?;
    }
    Ok(Chart {
        png: encode(&buffer, WIDTH, height)?,
        width: WIDTH,
        height,
    })
}

fn encode(rgb: &[u8], width: u32, height: u32) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, width, height);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_compression(png::Compression::Best);
    let per_metre = (f64::from(DPI) / 0.0254).round() as u32;
    encoder.set_pixel_dims(Some(png::PixelDimensions {
        xppu: per_metre,
        yppu: per_metre,
        unit: png::Unit::Meter,
    }));
    let mut writer = encoder.write_header().map_err(err)?;
    writer.write_image_data(rgb).map_err(err)?;
    writer.finish().map_err(err)?;
    Ok(out)
}

/// `s` in lines no wider than `width` pixels, at most `max` lines (the last cut with "…").
fn wrap(area: &Area, s: &str, style: &TextStyle, width: u32, max: usize) -> Vec<String> {
    let fits = |t: &str| {
        area.estimate_text_size(t, style)
            .map(|(w, _)| w <= width)
            .unwrap_or(true)
    };
    let mut lines: Vec<String> = Vec::new();
    let mut current = String::new();
    for word in s.split_whitespace() {
        let candidate = if current.is_empty() {
            word.to_string()
        } else {
            format!("{current} {word}")
        };
        if fits(&candidate) || current.is_empty() {
            current = candidate;
        } else {
            lines.push(std::mem::replace(&mut current, word.to_string()));
        }
    }
    if !current.is_empty() {
        lines.push(current);
    }
    if lines.len() > max {
        lines.truncate(max);
        let last = &mut lines[max - 1];
        while !last.is_empty() && !fits(&format!("{last}…")) {
            last.pop();
        }
        last.push('…');
    }
    lines
}

/// Text lines centred vertically on `y`, from `x`.
fn label(area: &Area, lines: &[String], x: i32, y: i32, size: u32) -> Result<(), String> {
    let step = (size as f64 * 1.2) as i32;
    let top = y - step * (lines.len() as i32 - 1) / 2;
    let style = text(size).pos(Pos::new(HPos::Left, VPos::Center));
    for (i, line) in lines.iter().enumerate() {
        area.draw(&Text::new(
            line.as_str(),
            (x, top + step * i as i32),
            style.clone(),
        ))
        .map_err(err)?;
    }
    Ok(())
}

/// A legend line of coloured squares and their words, from `x` at height `y`.
fn legend(area: &Area, items: &[(RGBColor, String)], x: i32, y: i32) -> Result<(), String> {
    let style = text(SMALL).pos(Pos::new(HPos::Left, VPos::Center));
    let mut x = x;
    for (colour, words) in items {
        area.draw(&Rectangle::new(
            [(x, y - 7), (x + 14, y + 7)],
            colour.filled(),
        ))
        .map_err(err)?;
        area.draw(&Text::new(words.as_str(), (x + 20, y), style.clone()))
            .map_err(err)?;
        let (w, _) = area.estimate_text_size(words, &style).map_err(err)?;
        x += 20 + w as i32 + 28;
    }
    Ok(())
}

const LABEL_WIDTH: u32 = 330;
const FIGURES_WIDTH: i32 = 170;
const AXIS: u32 = 34;
const LEGEND: u32 = 40;

/// A chart of `n` rows: the label column, a 0–100 % axis, and per row whatever `row` draws
/// in the plot's pixel coordinates (`x` of 0 % and 100 %, the row's top and bottom).
fn rows_chart(
    n: usize,
    row_height: u32,
    axis_words: &str,
    legend_items: &[(RGBColor, String)],
    mut row: impl FnMut(&Area, usize, (i32, i32), (i32, i32)) -> Result<(), String>,
) -> Result<Chart, String> {
    // An empty chart keeps one blank row: the axes need a range.
    let height = 8 + n.max(1) as u32 * row_height + AXIS + LEGEND;
    picture(height, |root| {
        root.fill(&WHITE).map_err(err)?;
        let plot = root.margin(8, AXIS + LEGEND, LABEL_WIDTH, FIGURES_WIDTH as u32);
        let mut chart = ChartBuilder::on(&plot)
            .build_cartesian_2d(0f64..100f64, 0f64..n.max(1) as f64)
            .map_err(err)?;
        chart
            .configure_mesh()
            .disable_y_mesh()
            .disable_x_mesh()
            .disable_axes()
            .draw()
            .map_err(err)?;
        // Grid lines at each quarter, with their labels under the plot.
        let axis_style = text(SMALL).pos(Pos::new(HPos::Center, VPos::Top));
        for step in 0..=4 {
            let v = f64::from(step) * 25.0;
            let (x, top) = chart.backend_coord(&(v, n.max(1) as f64));
            let (_, bottom) = chart.backend_coord(&(v, 0.0));
            root.draw(&PathElement::new(
                vec![(x, top), (x, bottom)],
                RGBColor(224, 224, 224).stroke_width(1),
            ))
            .map_err(err)?;
            root.draw(&Text::new(
                format!("{}%", step * 25),
                (x, bottom + 6),
                axis_style.clone(),
            ))
            .map_err(err)?;
        }
        let (x0, _) = chart.backend_coord(&(0.0, 0.0));
        let (x1, bottom) = chart.backend_coord(&(100.0, 0.0));
        root.draw(&Text::new(
            axis_words.to_string(),
            (x1 + 40, bottom + 6),
            text(SMALL).pos(Pos::new(HPos::Left, VPos::Top)),
        ))
        .map_err(err)?;
        for i in 0..n {
            let (_, top) = chart.backend_coord(&(0.0, (n - i) as f64));
            let (_, bot) = chart.backend_coord(&(0.0, (n - i - 1) as f64));
            row(root, i, (x0, x1), (top, bot))?;
        }
        legend(
            root,
            legend_items,
            10,
            height as i32 - LEGEND as i32 / 2 - 2,
        )
    })
}

/// Chart 1: per area, its tasks due in the period as shares of a full bar.
fn areas(r: &Report, lang: Lang) -> Result<Chart, String> {
    let vi = lang == Lang::Vi;
    let t = |v: &'static str, e: &'static str| if vi { v } else { e };
    let legend_items = [
        (
            ON_TIME,
            t("Hoàn thành đúng hạn", "Done on time").to_string(),
        ),
        (LATE, t("Hoàn thành quá hạn", "Done late").to_string()),
        (NOT_DONE, t("Chưa hoàn thành", "Not done").to_string()),
    ];
    rows_chart(
        r.areas.len(),
        46,
        t("số nhiệm vụ đến hạn", "of the tasks due"),
        &legend_items,
        |root, i, (x0, x1), (top, bot)| {
            let a = &r.areas[i];
            let name = if vi { &a.name } else { &a.name_en };
            let style = text(LABEL_SIZE);
            let lines = wrap(root, name, &style, LABEL_WIDTH - 20, 2);
            let mid = (top + bot) / 2;
            label(root, &lines, 10, mid, LABEL_SIZE)?;
            let c = &a.due;
            let (bar_top, bar_bot) = (top + 8, bot - 8);
            if c.due == 0 {
                return label(
                    root,
                    &[t("không có nhiệm vụ đến hạn", "nothing fell due").to_string()],
                    x0 + 6,
                    mid,
                    SMALL,
                );
            }
            let width = f64::from(x1 - x0);
            let mut x = f64::from(x0);
            for (n, colour) in [
                (c.done_on_time, ON_TIME),
                (c.done_late, LATE),
                (c.not_done, NOT_DONE),
            ] {
                let w = width * n as f64 / c.due as f64;
                if n > 0 {
                    root.draw(&Rectangle::new(
                        [
                            (x.round() as i32, bar_top),
                            ((x + w).round() as i32, bar_bot),
                        ],
                        colour.filled(),
                    ))
                    .map_err(err)?;
                }
                x += w;
            }
            let share = c
                .on_time_pct
                .map(|p| figure((p * 10.0).round() / 10.0, lang));
            let words = format!(
                "{}/{}{}",
                count(c.done_on_time, lang),
                count(c.due, lang),
                share.map(|s| format!(" ({s}%)")).unwrap_or_default()
            );
            label(root, &[words], x1 + 12, mid, SMALL)
        },
    )
}

fn status_colour(s: IndicatorStatus) -> RGBColor {
    match s {
        IndicatorStatus::Met => ON_TIME,
        IndicatorStatus::OnTrack => ON_TRACK,
        IndicatorStatus::AtRisk => LATE,
        IndicatorStatus::OffTrack => NOT_DONE,
        IndicatorStatus::NoData => NO_DATA,
    }
}

/// Chart 2: per indicator, how full its current step is, coloured by status, with a black
/// mark where it should stand on "as of".
fn indicators(r: &Report, lang: Lang) -> Result<Chart, String> {
    let vi = lang == Lang::Vi;
    let t = |v: &'static str, e: &'static str| if vi { v } else { e };
    let rows: Vec<_> = r.areas.iter().flat_map(|a| &a.indicators).collect();
    let mut legend_items: Vec<(RGBColor, String)> = IndicatorStatus::ALL
        .iter()
        .map(|s| (status_colour(*s), s.label(lang).to_string()))
        .collect();
    legend_items.push((
        INK,
        format!("{} {}", t("mức cần đạt đến", "expected by"), date(r.as_of)),
    ));
    rows_chart(
        rows.len(),
        25,
        t("mục tiêu", "of the target"),
        &legend_items,
        |root, i, (x0, x1), (top, bot)| {
            let ind = rows[i];
            let style = text(SMALL);
            let lines = wrap(root, &ind.name, &style, LABEL_WIDTH - 20, 1);
            let mid = (top + bot) / 2;
            label(root, &lines, 10, mid, SMALL)?;
            let width = f64::from(x1 - x0);
            let (bar_top, bar_bot) = (top + 4, bot - 4);
            match ind.gauge {
                Some(g) if ind.status != IndicatorStatus::NoData => {
                    let x = x0 + (width * g.clamp(0.0, 1.0)).round() as i32;
                    if x > x0 {
                        root.draw(&Rectangle::new(
                            [(x0, bar_top), (x, bar_bot)],
                            status_colour(ind.status).filled(),
                        ))
                        .map_err(err)?;
                    }
                    let pct = (g * 1000.0).round() / 10.0;
                    label(
                        root,
                        &[format!("{}%", figure(pct, lang))],
                        x1 + 12,
                        mid,
                        SMALL,
                    )?;
                }
                _ => label(
                    root,
                    &[ind.status.label(lang).to_lowercase()],
                    x0 + 6,
                    mid,
                    SMALL,
                )?,
            }
            if let (Some(e), true) = (ind.expected_ratio, ind.latest.is_some()) {
                let x = x0 + (width * e).round() as i32;
                root.draw(&Rectangle::new(
                    [(x - 1, top + 1), (x + 2, bot - 1)],
                    INK.filled(),
                ))
                .map_err(err)?;
            }
            Ok(())
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_font_has_every_vietnamese_letter() {
        use ab_glyph::Font;
        let font = ab_glyph::FontRef::try_from_slice(FONT).expect("a font");
        let letters = "aàáảãạăằắẳẵặâầấẩẫậbcdđeèéẻẽẹêềếểễệghiìíỉĩịklmnoòóỏõọôồốổỗộơờớởỡợpqrstuùúủũụưừứửữựvxyỳýỷỹỵ";
        let upper = letters.to_uppercase();
        for c in letters.chars().chain(upper.chars()) {
            assert_ne!(font.glyph_id(c).0, 0, "no glyph for {c:?}");
        }
    }

    #[test]
    fn a_chart_without_rows_is_still_a_picture() {
        register_font().unwrap();
        let chart = rows_chart(0, 30, "x", &[(INK, "y".into())], |_, _, _, _| {
            unreachable!("no rows")
        })
        .unwrap();
        assert!(chart.png.starts_with(b"\x89PNG\r\n\x1a\n"));
        assert_eq!((chart.width, chart.height), (WIDTH, 8 + 30 + AXIS + LEGEND));
    }

    #[test]
    fn long_labels_wrap_and_the_last_line_is_cut_with_an_ellipsis() {
        register_font().unwrap();
        let mut buffer = vec![255u8; (WIDTH * 100 * 3) as usize];
        let root = BitMapBackend::with_buffer(&mut buffer, (WIDTH, 100)).into_drawing_area();
        let style = text(LABEL_SIZE);
        let name = "Xây dựng và phát triển Chính quyền điện tử, Chính quyền số theo hướng hiện đại, liên thông";
        let lines = wrap(&root, name, &style, 300, 2);
        assert_eq!(lines.len(), 2);
        assert!(lines[1].ends_with('…'), "{lines:?}");
        for l in &lines {
            assert!(root.estimate_text_size(l, &style).unwrap().0 <= 300, "{l}");
        }
        assert_eq!(
            wrap(&root, "Cải cách thể chế", &style, 300, 2),
            ["Cải cách thể chế"]
        );
    }
}
