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
    /// Only texts that contain every trigram of at least one of these sets (trigrams of one
    /// long fuzzy term) can match.
    Trigrams(Vec<Vec<String>>),
}

/// At most this many sets of trigrams in a narrowing (each an AND in the store's query).
const MAX_SETS: usize = 64;

/// Whether a fuzzy term of `n` characters always leaves one of its trigrams unbroken.
pub fn trigrams_sound(n: usize) -> bool {
    n >= 3 && n - 2 > 2 * slack(n)
}

/// Sets of the term's trigrams such that every text the term matches holds all of one set.
///
/// The trigrams that start at even positions each straddle different gaps (a trigram at `i`
/// spans gaps `i` and `i + 1`), so an open gap breaks at most one of them: with at most
/// `slack` gaps open, at least `len - slack` of them stay whole, and every `m`-subset of
/// `slack + m` of them for `m <= len - slack` is a sound set. `m` is the largest that keeps
/// the sets within [`MAX_SETS`] (a set of `m` trigrams together narrows far more than one).
fn trigram_sets(term: &str) -> Vec<Vec<String>> {
    let chars: Vec<char> = term.chars().collect();
    let spaced: Vec<String> = chars
        .windows(3)
        .step_by(2)
        .map(|w| w.iter().collect())
        .collect();
    let s = slack(chars.len());
    let most = spaced.len().saturating_sub(s);
    let m = (1..=most)
        .take_while(|&m| combinations(s + m, m) <= MAX_SETS)
        .last()
        .unwrap_or(0);
    if m <= 1 {
        // One trigram at a time: any of the term's, every one of them sound alone.
        return trigrams(term).into_iter().map(|t| vec![t]).collect();
    }
    let pool = &spaced[..s + m];
    let mut sets = Vec::new();
    let mut pick: Vec<usize> = (0..m).collect();
    loop {
        let mut set: Vec<String> = pick.iter().map(|&i| pool[i].clone()).collect();
        set.sort();
        set.dedup();
        if !sets.contains(&set) {
            sets.push(set);
        }
        // The next m-subset in lexicographic order, if any.
        let Some(i) = (0..m).rev().find(|&i| pick[i] < pool.len() - m + i) else {
            break;
        };
        pick[i] += 1;
        for j in i + 1..m {
            pick[j] = pick[j - 1] + 1;
        }
    }
    sets
}

/// n choose k, saturating.
fn combinations(n: usize, k: usize) -> usize {
    (0..k).fold(1usize, |c, i| c.saturating_mul(n - i) / (i + 1))
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
        Some(term) => Narrowing::Trigrams(trigram_sets(term)),
        None => Narrowing::Scan,
    }
}

/// Whether `text` (normalised) passes `narrowing`'s trigram test; exact narrowings are for
/// the store to answer by key, so they pass here.
pub fn passes(narrowing: &Narrowing, normalized_text: &str) -> bool {
    match narrowing {
        Narrowing::Trigrams(sets) => sets
            .iter()
            .any(|set| set.iter().all(|t| normalized_text.contains(t))),
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
        // Seven letters, slack 2: any one of the term's trigrams.
        let one =
            |ts: &[&str]| -> Vec<Vec<String>> { ts.iter().map(|t| vec![t.to_string()]).collect() };
        assert_eq!(
            narrowing("bao \"thu tuc\""),
            Narrowing::Trigrams(one(&["thu", "hu ", "u t", " tu", "tuc"]))
        );
        // The longest long-enough term is the one used; diacritics and case do not matter.
        let Narrowing::Trigrams(t) = narrowing("thu tuc \"hanh chinh\" \"cap tinh\"") else {
            panic!("no narrowing");
        };
        assert_eq!(
            t,
            one(&["han", "anh", "nh ", "h c", " ch", "chi", "hin", "inh"])
        );
        // Fourteen letters, slack 4: of the six trigrams at even places at most four are
        // broken, so every text that matches holds two of them together.
        let Narrowing::Trigrams(sets) = narrowing("\"thieu nhan luc\"") else {
            panic!("no narrowing");
        };
        assert_eq!(sets.len(), 15);
        assert!(sets.iter().all(|s| s.len() == 2));
        assert!(sets.contains(&vec![" lu".to_string(), "thi".to_string()]));
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
            text in "[abcd ]{10,80}",
            start in 0usize..10,
            len in 7usize..40,
            gaps in proptest::collection::vec(0usize..40, 0..8),
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
            // Quoted, the whole cut is one long term (the sets of several trigrams together).
            let phrase = format!("\"{}\"", query.replace('"', ""));
            if super::super::matches(&normalize(&phrase), &hay).is_some() {
                prop_assert!(passes(&narrowing(&phrase), &hay), "{phrase:?} in {hay:?}");
            }
        }
    }
}
