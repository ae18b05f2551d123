//! A query split into terms (spaces apart, quoted phrases whole), and a text scored against all
//! of them: see the module docs of [`crate::search`] for the rules.

use super::phrase::{Item, Memo, MemoKey, Query};
use super::{EXACT_SCORE, MAX_QUERY_CHARS, is_plan_reference, task_id_term};

/// One term of a query.
pub(super) enum Term {
    /// Fuzzy, compact phrase matching over the text.
    Text(Query),
    /// `#157`: the task with this id.
    Id(i64),
    /// A plan reference, folded: the task whose folded reference equals it.
    Reference(String),
}

impl Term {
    pub(super) fn new(text: &str, quoted: bool) -> Term {
        if !quoted {
            if let Some(id) = task_id_term(text) {
                return Term::Id(id);
            }
            if is_plan_reference(text) {
                return Term::Reference(text.to_string());
            }
        }
        Term::Text(Query::new(text.to_string()))
    }
}

/// A normalised query split into its terms: spaces separate terms, double quotes group words
/// into one phrase term (an open quote runs to the end).
pub(super) struct Terms(pub(super) Vec<Term>);

impl Terms {
    pub(super) fn new(normalized: &str) -> Self {
        let mut text = normalized.to_string();
        if let Some((cut, _)) = text.char_indices().nth(MAX_QUERY_CHARS) {
            text.truncate(cut);
        }
        let mut terms = Vec::new();
        for (i, part) in text.split('"').enumerate() {
            // Odd parts were inside quotes: one phrase each. Even parts are words.
            if i % 2 == 1 {
                terms.push((part.trim(), true));
            } else {
                terms.extend(part.split(' ').map(|w| (w, false)));
            }
        }
        Terms(
            terms
                .into_iter()
                .filter(|(t, _)| !t.is_empty())
                .map(|(t, quoted)| Term::new(t, quoted))
                .collect(),
        )
    }

    pub(super) fn has_exact(&self) -> bool {
        self.0.iter().any(|t| !matches!(t, Term::Text(_)))
    }

    pub(super) fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// One skim memo per term: the same window scores differently against different terms.
    pub(super) fn memos<K>(&self) -> Vec<Memo<K>> {
        self.0.iter().map(|_| Memo::default()).collect()
    }

    /// `None` unless every term matches; else the sum of their scores (0 with no terms). An
    /// exact term scores like a whole-word phrase of its length would, about: it is what the
    /// user asked for.
    pub(super) fn score<'a, K: MemoKey<'a>>(
        &self,
        text: &'a str,
        item: &Item,
        reference: &str,
        memos: &mut [Memo<K>],
    ) -> Option<i64> {
        let mut total = 0;
        for (term, memo) in self.0.iter().zip(memos) {
            total += match term {
                Term::Text(query) => query.score(text, item, memo)?,
                Term::Id(id) => (item.id == *id).then_some(EXACT_SCORE)?,
                Term::Reference(r) => {
                    (!reference.is_empty() && reference == r).then_some(EXACT_SCORE)?
                }
            };
        }
        Some(total)
    }
}
