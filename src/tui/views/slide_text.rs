//! How a line of text fits its row on a slide: made safe, cut with "…" after the last letter
//! kept, and the header's title cut before its date is.

use unicode_width::UnicodeWidthStr;

use crate::text::truncate;

/// Text from the file, made safe for the terminal (the one rule, `untrusted::line`) and cut to
/// `cells` with "…", which follows the last letter kept: on a slide "tiến …" reads as a gap,
/// "tiến…" as a cut word.
pub fn fit(s: &str, cells: usize) -> String {
    let cut = truncate(&crate::untrusted::line(s), cells);
    match cut.strip_suffix('…') {
        Some(kept) if kept.ends_with(' ') => format!("{}…", kept.trim_end()),
        _ => cut,
    }
}

/// The header's title and date in `width` cells: the first date form (longest first) beside
/// which the whole title fits, else the shortest form and the title cut with "…". The date is
/// never the part that goes.
pub fn fit_header(title: &str, dates: &[&str], width: u16) -> (String, String) {
    let width = usize::from(width);
    let gap = 2;
    for d in dates {
        if title.width() + gap + d.width() <= width {
            return (fit(title, width), d.to_string());
        }
    }
    let d = dates.last().copied().unwrap_or_default();
    let room = width.saturating_sub(d.width() + gap);
    (fit(title, room), fit(d, width))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_header_keeps_its_date_and_cuts_the_title() {
        let dates = [
            "CCHC Lạng Sơn · số liệu ngày 26/11/2026",
            "số liệu ngày 26/11/2026",
        ];
        let title = "8/10 · 7. Xây dựng và phát triển Chính quyền điện tử, Chính quyền số";
        // Wide: everything.
        let (t, d) = fit_header(title, &dates, 200);
        assert_eq!((t.as_str(), d.as_str()), (title, dates[0]));
        // Narrower: the province's name goes first, the title stays whole.
        let (t, d) = fit_header("5/10 · 4. Cải cách tổ chức bộ máy hành chính", &dates, 80);
        assert_eq!(t, "5/10 · 4. Cải cách tổ chức bộ máy hành chính");
        assert_eq!(d, dates[1]);
        // Narrower still: the title is cut with "…" (no space before it), the date kept.
        let (t, d) = fit_header(title, &dates, 80);
        assert_eq!(d, dates[1]);
        assert_eq!(t, "8/10 · 7. Xây dựng và phát triển Chính quyền điện tử,…");
        assert!(t.width() + 2 + d.width() <= 80);
        for width in 30..120 {
            let (t, d) = fit_header(title, &dates, width);
            assert!(t.width() + 2 + d.width() <= usize::from(width), "{width}");
            assert!(d.ends_with("26/11/2026"), "{width}");
        }
    }

    #[test]
    fn text_from_the_file_is_made_safe_before_it_is_cut() {
        assert_eq!(fit("a\u{1b}[2Jb", 100), "a\\u{1b}[2Jb");
        // A bidi override is shown escaped, and cut like any text.
        assert_eq!(fit("Báo cáo \u{202e}tình hình", 12), "Báo cáo \\u{…");
        assert_eq!(fit("Báo cáo tình", 9), "Báo cáo…");
    }
}
