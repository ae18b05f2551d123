//! Text normalisation: everything stored is NFC; everything matched is folded (no diacritics,
//! đ → d, lower case) so "noi vu" finds "Nội vụ".

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// A figure as each language writes it: thousands grouped and the decimal mark (vi 11.800 and
/// 95,5; en 11,800 and 95.5), at most one decimal.
pub fn figure(v: f64, lang: crate::model::Lang) -> String {
    let (group, decimal) = match lang {
        crate::model::Lang::Vi => ('.', ','),
        crate::model::Lang::En => (',', '.'),
    };
    let text = if v.fract() == 0.0 {
        format!("{v:.0}")
    } else {
        format!("{v:.1}")
    };
    let (sign, text) = match text.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", text.as_str()),
    };
    let (whole, frac) = text.split_once('.').unwrap_or((text, ""));
    let mut out = String::from(sign);
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            out.push(group);
        }
        out.push(c);
    }
    if !frac.is_empty() {
        out.push(decimal);
        out.push_str(frac);
    }
    out
}

/// The canonical stored form of user text: NFC, surrounding whitespace trimmed.
pub fn nfc(s: &str) -> String {
    to_nfc(s.trim())
}

/// `s` in NFC. Text is nearly always NFC already (keyboards and files write composed
/// Vietnamese); the quick check says so without composing, which an import of 100,000 rows
/// paid for in every field.
pub fn to_nfc(s: &str) -> String {
    match unicode_normalization::is_nfc_quick(s.chars()) {
        unicode_normalization::IsNormalized::Yes => s.to_string(),
        _ => s.nfc().collect(),
    }
}

/// Lower-cased, diacritics removed (đ/Đ become d), other characters kept as they are.
///
/// ```
/// assert_eq!(cchc::text::fold("Sở Nội vụ"), "so noi vu");
/// assert_eq!(cchc::text::fold("ĐẤT ĐAI"), "dat dai");
/// ```
///
/// Same result as decomposing the whole string (NFD), dropping the combining marks and lower-
/// casing, but each character is decomposed on its own: NFD's only other step reorders
/// combining marks, which are all dropped. ASCII, most of any Vietnamese text, takes no lookup
/// at all. Several times faster than the NFD iterator, which mattered for the search index
/// built over 100,000 tasks at start-up (docs/BENCHMARKS.md).
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
            continue;
        }
        unicode_normalization::char::decompose_canonical(c, |d| {
            if is_combining_mark(d) {
                return;
            }
            match d {
                'đ' | 'Đ' => out.push('d'),
                _ => out.extend(d.to_lowercase()),
            }
        });
    }
    out
}

/// Cuts `s` to at most `w` terminal columns (Vietnamese letters with stacked marks are one
/// column), marking the cut with "…". The cut falls between user-perceived characters
/// (grapheme clusters), so a letter never loses its marks and a flag or an emoji with a
/// modifier is kept whole or left out whole.
pub fn truncate(s: &str, w: usize) -> String {
    use unicode_segmentation::UnicodeSegmentation;
    use unicode_width::UnicodeWidthStr;
    if s.width() <= w {
        return s.to_string();
    }
    if w == 0 {
        return String::new();
    }
    let mut out = String::new();
    let mut used = 0;
    for g in s.graphemes(true) {
        let gw = g.width();
        if used + gw + 1 > w {
            break;
        }
        out.push_str(g);
        used += gw;
    }
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_vietnamese() {
        assert_eq!(fold("Sở Nội vụ"), "so noi vu");
        assert_eq!(fold("ĐẤT ĐAI"), "dat dai");
        assert_eq!(fold("Hoàng Văn Thụ"), "hoang van thu");
    }

    #[test]
    fn nfc_composes() {
        let decomposed = "Nô\u{0323}i"; // ô + combining dot below
        assert_eq!(nfc(decomposed), "Nội");
        assert_eq!(nfc("  x "), "x");
    }

    #[test]
    fn truncate_cuts_between_whole_characters_by_width() {
        use unicode_width::UnicodeWidthStr;
        assert_eq!(truncate("Báo cáo tình hình", 100), "Báo cáo tình hình");
        assert_eq!(truncate("Báo cáo tình hình", 8), "Báo cáo…");
        assert_eq!(truncate("abc", 0), "");
        assert_eq!(truncate("abc", 1), "…");
        // A decomposed letter keeps its marks: "ộ" is o + circumflex + dot below.
        let nfd = "Nô\u{323}i vu\u{323}";
        assert_eq!(truncate(nfd, 3), "Nô\u{323}…");
        // Wide characters, flags and emoji with a skin tone: whole or not at all.
        assert_eq!(truncate("漢字漢字", 5), "漢字…");
        assert_eq!(truncate("🇻🇳🇻🇳🇻🇳", 4), "🇻🇳…");
        assert_eq!(truncate("👍🏽👍🏽👍🏽", 4), "👍🏽…");
        for w in 0..12 {
            for s in ["Sở Nội vụ tỉnh Lạng Sơn", "漢字🇻🇳👍🏽x", nfd] {
                assert!(truncate(s, w).width() <= w, "{s:?} at {w}");
            }
        }
    }

    /// The former definition, kept as the reference.
    fn fold_nfd(s: &str) -> String {
        let mut out = String::with_capacity(s.len());
        for c in s.nfd() {
            if is_combining_mark(c) {
                continue;
            }
            match c {
                'đ' | 'Đ' => out.push('d'),
                _ => out.extend(c.to_lowercase()),
            }
        }
        out
    }

    proptest::proptest! {
        #[test]
        fn fold_matches_the_nfd_definition(s in proptest::prelude::any::<String>()) {
            proptest::prop_assert_eq!(fold(&s), fold_nfd(&s));
        }

        #[test]
        fn fold_matches_the_nfd_definition_on_vietnamese(
            s in "[ a-zA-ZđĐàáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬÉÊẾỆÔỐỘƠỚỢƯỨỰ\u{300}\u{301}\u{303}\u{309}\u{323}]{0,40}"
        ) {
            proptest::prop_assert_eq!(fold(&s), fold_nfd(&s));
        }
    }
}
