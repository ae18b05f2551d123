//! Matching texts one at a time as they stream past (rows read from the store), without
//! building a [`SearchIndex`](super::SearchIndex): the same terms, rule and scores.

use super::normalize;
use super::phrase::{Item, Memo};
use super::terms::{Term, Terms};

/// One query, ready to score many already-normalised texts in turn.
pub struct Matcher {
    terms: Terms,
    /// Skim scores by window text, kept across texts (the same phrase recurs in many tasks).
    memos: Vec<Memo<Box<str>>>,
}

impl Matcher {
    pub fn new(query: &str) -> Self {
        let terms = Terms::new(&normalize(query));
        let memos = terms.memos();
        Matcher { terms, memos }
    }

    /// Whether a term compares plan references, so callers must supply them.
    pub fn needs_reference(&self) -> bool {
        self.terms.0.iter().any(|t| matches!(t, Term::Reference(_)))
    }

    /// `None` when the text does not match, else its score, exactly as
    /// [`SearchIndex::search`](super::SearchIndex::search) would give for an item with this
    /// id, normalised text and plan reference (the reference as stored; it is folded here).
    pub fn score(&mut self, id: i64, normalized_text: &str, reference: &str) -> Option<i64> {
        let item = Item::new(id, normalized_text, 0);
        if self.needs_reference() {
            let reference = normalize(reference);
            return self
                .terms
                .score(normalized_text, &item, &reference, &mut self.memos);
        }
        self.terms
            .score(normalized_text, &item, "", &mut self.memos)
    }
}

#[cfg(test)]
mod tests {
    use super::super::SearchIndex;
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(500))]
        /// A streamed match is the index's match: same hits, same scores, whatever was scored
        /// before (the memo carries over from text to text).
        #[test]
        fn streaming_equals_the_index(
            texts in proptest::collection::vec("[abcđ ấo#1.v/-]{0,40}", 1..12),
            refs in proptest::collection::vec("(V\\.1\\.[0-9]|)", 12),
            query in "[abcđo \"#1v.]{0,12}",
        ) {
            let items: Vec<(i64, String, String)> = texts
                .iter()
                .enumerate()
                .map(|(i, t)| (i as i64 + 1, t.clone(), refs[i].clone()))
                .collect();
            let index = SearchIndex::with_references(items.iter().map(|(id, t, r)| (*id, t, r)));
            let want: Vec<(i64, i64)> = index.search(&query).iter().map(|h| (h.id, h.score)).collect();
            let mut matcher = Matcher::new(&query);
            let got: Vec<(i64, i64)> = items
                .iter()
                .filter_map(|(id, t, r)| Some((*id, matcher.score(*id, &normalize(t), r)?)))
                .collect();
            prop_assert_eq!(got, want);
        }
    }

    #[test]
    fn words_in_any_order_ids_and_references() {
        let mut m = Matcher::new("quy bao cao");
        assert!(m.score(1, &normalize("Báo cáo CCHC quý III"), "").is_some());
        assert!(m.score(2, &normalize("Sở Nội vụ"), "").is_none());
        let mut m = Matcher::new("#7");
        assert!(m.score(7, "anything", "").is_some());
        assert!(m.score(8, "anything", "").is_none());
        let mut m = Matcher::new("v.1.5/snv/2026-q1");
        assert!(m.needs_reference());
        assert!(m.score(3, "x", "V.1.5/SNV/2026-Q1").is_some());
        assert!(m.score(4, "x", "V.1.5/SNV/2026-Q2").is_none());
    }
}
