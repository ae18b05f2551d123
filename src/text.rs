//! Text normalisation: everything stored is NFC; everything matched is folded (no diacritics,
//! đ → d, lower case) so "noi vu" finds "Nội vụ".

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// The canonical stored form of user text: NFC, surrounding whitespace trimmed.
pub fn nfc(s: &str) -> String {
    s.trim().nfc().collect()
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
/// column), marking the cut with "…".
pub fn truncate(s: &str, w: usize) -> String {
    use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};
    if s.width() <= w {
        return s.to_string();
    }
    if w == 0 {
        return String::new();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        let cw = c.width().unwrap_or(0);
        if used + cw + 1 > w {
            break;
        }
        out.push(c);
        used += cw;
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
