//! Display-width helpers: columns are measured in terminal cells (unicode-width), never in
//! bytes or chars, so Vietnamese (and anything wider) stays aligned.

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// The number of terminal cells `s` takes.
pub fn width(s: &str) -> usize {
    UnicodeWidthStr::width(s)
}

fn char_width(c: char) -> usize {
    UnicodeWidthChar::width(c).unwrap_or(0)
}

/// `s` cut to at most `max` cells, ending in `…` when something was cut.
pub fn truncate(s: &str, max: usize) -> String {
    if width(s) <= max {
        return s.to_string();
    }
    if max == 0 {
        return String::new();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        let w = char_width(c);
        if used + w > max - 1 {
            break;
        }
        used += w;
        out.push(c);
    }
    out.push('…');
    out
}

/// `s` cut to at most `max` cells from the start, beginning with `…` when something was cut:
/// for a path, whose end names the file.
pub fn truncate_start(s: &str, max: usize) -> String {
    if width(s) <= max {
        return s.to_string();
    }
    if max == 0 {
        return String::new();
    }
    let mut kept: Vec<char> = Vec::new();
    let mut used = 0;
    for c in s.chars().rev() {
        let w = char_width(c);
        if used + w > max - 1 {
            break;
        }
        used += w;
        kept.push(c);
    }
    std::iter::once('…').chain(kept.into_iter().rev()).collect()
}

/// `s` truncated and padded with spaces to exactly `cells` cells, left-aligned.
pub fn fit(s: &str, cells: usize) -> String {
    let mut out = truncate(s, cells);
    let w = width(&out);
    out.extend(std::iter::repeat_n(' ', cells.saturating_sub(w)));
    out
}

/// `s` truncated and padded to exactly `cells` cells, right-aligned.
pub fn fit_right(s: &str, cells: usize) -> String {
    let cut = truncate(s, cells);
    let pad = cells.saturating_sub(width(&cut));
    let mut out = " ".repeat(pad);
    out.push_str(&cut);
    out
}

/// Word-wraps `s` into lines of at most `max` cells; a word longer than a line is broken.
/// Existing line breaks are kept; an empty input gives one empty line.
pub fn wrap(s: &str, max: usize) -> Vec<String> {
    let max = max.max(1);
    let mut lines = Vec::new();
    for paragraph in s.split('\n') {
        // A paragraph's own indentation is kept on its first line.
        let indent: String = paragraph
            .chars()
            .take_while(|c| *c == ' ')
            .take(max.saturating_sub(1))
            .collect();
        let mut used = indent.len();
        let mut line = indent;
        for word in paragraph.split_whitespace() {
            let w = width(word);
            let gap = usize::from(used > 0 && !line.ends_with(' '));
            if used + gap + w <= max {
                if gap == 1 {
                    line.push(' ');
                }
                line.push_str(word);
                used += gap + w;
                continue;
            }
            if used > 0 {
                lines.push(std::mem::take(&mut line));
                used = 0;
            }
            // The word alone: break it when it is longer than a line.
            for c in word.chars() {
                let cw = char_width(c);
                if used + cw > max && used > 0 {
                    lines.push(std::mem::take(&mut line));
                    used = 0;
                }
                line.push(c);
                used += cw;
            }
        }
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn truncate_start_keeps_the_end() {
        assert_eq!(
            truncate_start("/srv/cchc/cchc.sqlite3", 40),
            "/srv/cchc/cchc.sqlite3"
        );
        assert_eq!(truncate_start("/srv/cchc/cchc.sqlite3", 12), "…chc.sqlite3");
        assert_eq!(width(&truncate_start("/srv/ủy ban/tệp.db", 8)), 8);
        assert_eq!(truncate_start("abc", 0), "");
    }

    #[test]
    fn truncates_by_cells_with_an_ellipsis() {
        assert_eq!(truncate("Sở Nội vụ", 20), "Sở Nội vụ");
        assert_eq!(truncate("Sở Nội vụ", 6), "Sở Nộ…");
        assert_eq!(width(&truncate("Sở Nội vụ", 6)), 6);
        assert_eq!(truncate("abc", 0), "");
        assert_eq!(truncate("abc", 1), "…");
        // Wide characters never overflow the limit.
        assert_eq!(truncate("漢字漢字", 5), "漢字…");
        assert_eq!(width(&truncate("漢字漢字", 4)), 3);
    }

    #[test]
    fn fit_pads_to_the_exact_width() {
        assert_eq!(fit("Hạn", 5), "Hạn  ");
        assert_eq!(fit_right("60%", 5), "  60%");
        assert_eq!(width(&fit("Thủ tục hành chính", 7)), 7);
        assert_eq!(width(&fit_right("Thủ tục hành chính", 7)), 7);
        // A decomposed (NFD) string is measured by cells too.
        let nfd = "Nô\u{0323}i vu\u{0323}";
        assert_eq!(width(&fit(nfd, 8)), 8);
    }

    #[test]
    fn wraps_words_and_breaks_long_ones() {
        assert_eq!(
            wrap("Cải cách thủ tục hành chính", 12),
            vec!["Cải cách thủ", "tục hành", "chính"]
        );
        assert_eq!(wrap("abcdefgh", 3), vec!["abc", "def", "gh"]);
        assert_eq!(wrap("a\n\nb", 5), vec!["a", "", "b"]);
        assert_eq!(wrap("", 5), vec![""]);
        assert_eq!(
            wrap("  Tiến độ 0% → 60%", 12),
            vec!["  Tiến độ 0%", "→ 60%"]
        );
        for line in wrap(
            "Xây dựng và phát triển Chính quyền điện tử, Chính quyền số",
            10,
        ) {
            assert!(width(&line) <= 10, "{line}");
        }
    }
}
