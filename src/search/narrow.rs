//! What a store may use to narrow a search before the matcher runs, without ever losing a
//! match: the matcher in the parent module stays the single truth, this only prunes.
//!
//! A fuzzy term of `n` characters matches when its characters appear in order with at most
//! `slack(n)` extra characters in between, so at most `slack(n)` of its `n - 1` gaps are
//! open. An open gap breaks the (at most two) trigrams of the term that straddle it, so when
//! the term has more trigrams (`n - 2`) than `2 * slack(n)`, at least one of them appears
//! unbroken in every text the term matches. That holds from 7 characters on; shorter terms
//! (and a gap-tolerant 3–6 letter term such as `noi`) cannot be narrowed by trigrams at all,
//! and the store scans every item for them.

use super::{Term, Terms, normalize, slack};

/// How the candidates of one query may be found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Narrowing {
    /// Nothing sound narrows the query: every item must be matched.
    Scan,
    /// `#157`: only the task with this id can match.
    Id(i64),
    /// A plan reference: only tasks whose folded reference equals it can match.
    Reference(String),
    /// Only texts that contain at least one of these trigrams (of one long fuzzy term) can match.
    AnyTrigram(Vec<String>),
}

/// Whether a fuzzy term of `n` characters always leaves one of its trigrams unbroken.
pub fn trigrams_sound(n: usize) -> bool {
    n >= 3 && n - 2 > 2 * slack(n)
}

/// The term's trigrams, in order, without repeats.
fn trigrams(term: &str) -> Vec<String> {
    let chars: Vec<char> = term.chars().collect();
    let mut out: Vec<String> = Vec::new();
    for w in chars.windows(3) {
        let t: String = w.iter().collect();
        if !out.contains(&t) {
            out.push(t);
        }
    }
    out
}

/// The most selective sound narrowing of `query`: an exact term if there is one, else the
/// longest fuzzy term that trigrams can narrow (fewest distinct trigrams is not better: a
/// longer term's trigrams are rarer together), else a scan.
pub fn narrowing(query: &str) -> Narrowing {
    let terms = Terms::new(&normalize(query));
    let mut best: Option<&str> = None;
    for term in &terms.0 {
        match term {
            Term::Id(id) => return Narrowing::Id(*id),
            Term::Reference(r) => return Narrowing::Reference(r.clone()),
            Term::Text(q) => {
                if trigrams_sound(q.chars.len())
                    && best.is_none_or(|b| b.chars().count() < q.chars.len())
                {
                    best = Some(&q.text);
                }
            }
        }
    }
    match best {
        Some(term) => Narrowing::AnyTrigram(trigrams(term)),
        None => Narrowing::Scan,
    }
}

/// Whether `text` (normalised) passes `narrowing`'s trigram test; exact narrowings are for
/// the store to answer by key, so they pass here.
pub fn passes(narrowing: &Narrowing, normalized_text: &str) -> bool {
    match narrowing {
        Narrowing::AnyTrigram(trigrams) => trigrams.iter().any(|t| normalized_text.contains(t)),
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn short_terms_scan_and_long_ones_narrow() {
        assert!(!trigrams_sound(6));
        assert!((7..200).all(trigrams_sound));
        assert_eq!(narrowing("noi vu"), Narrowing::Scan);
        assert_eq!(narrowing("\"noi vu\""), Narrowing::Scan);
        assert_eq!(narrowing("#157 bao cao"), Narrowing::Id(157));
        assert_eq!(
            narrowing("V.1.5/SNV/2026-Q1"),
            Narrowing::Reference("v.1.5/snv/2026-q1".into())
        );
        assert_eq!(
            narrowing("bao \"thu tuc\""),
            Narrowing::AnyTrigram(["thu", "hu ", "u t", " tu", "tuc"].map(String::from).into())
        );
        // The longest long-enough term is the one used; diacritics and case do not matter.
        let Narrowing::AnyTrigram(t) = narrowing("thu tuc \"hanh chinh\" \"cap tinh\"") else {
            panic!("no narrowing");
        };
        assert_eq!(t, ["han", "anh", "nh ", "h c", " ch", "chi", "hin", "inh"]);
        assert_eq!(narrowing("\"Hành Chính\""), narrowing("\"hanh chinh\""));
        assert_eq!(narrowing("thu tuc hanh chinh"), Narrowing::Scan);
    }

    fn folded_text() -> impl Strategy<Value = String> {
        // A small alphabet so that terms do match, gaps and all.
        proptest::string::string_regex("[abcđ ấ]{0,40}").unwrap()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2_000))]
        /// Pruning never loses a match: every text the matcher accepts passes the narrowing.
        #[test]
        fn candidates_contain_every_match(text in folded_text(), query in "[abcd \"]{0,14}") {
            let hay = normalize(&text);
            if super::super::matches(&normalize(&query), &hay).is_some() {
                prop_assert!(passes(&narrowing(&query), &hay), "{query:?} in {hay:?}");
            }
        }

        /// The same with the query cut out of the text and gaps put into it, so that most
        /// cases are matches.
        #[test]
        fn gapped_substrings_still_pass(
            text in "[abcd ]{10,60}",
            start in 0usize..10,
            len in 7usize..20,
            gaps in proptest::collection::vec(0usize..3, 0..4),
        ) {
            let chars: Vec<char> = normalize(&text).chars().collect();
            let end = (start + len).min(chars.len());
            let mut query: String = chars[start.min(end)..end].iter().collect();
            for g in gaps {
                if g < query.len() {
                    query.remove(g);
                }
            }
            let hay: String = chars.iter().collect();
            if super::super::matches(&normalize(&query), &hay).is_some() {
                prop_assert!(passes(&narrowing(&query), &hay), "{query:?} in {hay:?}");
            }
        }
    }
}
