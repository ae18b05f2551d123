//! Fuzzy, diacritics-insensitive search over task texts. Pure: no SQL, no terminal.
//!
//! # Normalisation
//! Haystacks and queries go through [`normalize`]: [`text::fold`] (lower case, marks removed,
//! đ → d), then surrounding whitespace trimmed and every run of whitespace collapsed to one
//! space. Haystacks are normalised once, when the index is built or an item updated, never per
//! keystroke. An empty query (or one of only spaces) matches everything with score 0. Queries
//! are cut to [`MAX_QUERY_CHARS`] characters.
//!
//! # Terms
//! As in fzf, television and atuin, a query is terms separated by spaces, each matched on its
//! own, all required, in any order: "quy bao cao" finds "Báo cáo CCHC quý …". Text in double
//! quotes is one term, spaces included (`"noi vu"` finds "Sở Nội vụ" but not "nội bộ … nhiệm
//! vụ"); a quote left open runs to the end of the query. A hit's score is the sum of its terms'.
//!
//! # Numbers and plan references
//! Two kinds of unquoted term match exactly instead of fuzzily, because minutes and the CLI
//! quote them: `#157` matches the task whose id is 157 and nothing else, and a plan reference
//! (`V.1.5/SNV/2026-Q1`, `III.6.4a`: a Roman section number, a dot, a digit, then letters,
//! digits, `.`, `/` or `-`) matches the task whose reference is exactly that, case and
//! diacritics aside. They combine with other terms as usual (`#157 bao cao`). Exactness is not
//! prefix-closed (`#15` does not contain `#157`'s hit), so a query with such a term is always
//! searched afresh: [`narrows`] says when narrowing is allowed.
//!
//! # Matching rule
//! Each term is a phrase whose characters must appear in order in the haystack, gaps
//! allowed, but *compactly*: counting in characters, the span from the first to the `k`-th
//! matched character must be at most `k + slack(k)` for **every** prefix length `k`, where
//! `slack(k) = max(MIN_SLACK, k / SLACK_DIVISOR)` = `max(2, k / 3)`.
//!
//! At `k` = the whole term this is the plain "span ≤ term chars + slack" rule: `"noi vu"` finds
//! `sở nội vụ` (span 6) and `noivu` finds `nội vụ` (span 6 ≤ 5 + 2), while `"noi vu"` does not
//! find `nội bộ … nhiệm vụ`. Checking every prefix as well makes the rule prefix-closed: whatever
//! matches `q + more` also matches `q` (more characters either lengthen the last term or add a
//! term, and each only narrows), so narrowing the previous result when the user types one more
//! character ([`SearchIndex::search_within`]) gives exactly what a fresh search gives.
//!
//! The compactness test is done by our own scan (for each occurrence of the first query
//! character, a greedy leftmost match, which minimises every prefix span at once), not from the
//! alignment `fuzzy_indices` picks: skim chooses the best-*scoring* alignment over the whole
//! text, which is not always the most compact one, so judging its span would reject texts that
//! do contain the phrase. It is also much cheaper than running skim over long texts.
//!
//! # Score
//! The score is SkimMatcherV2's score of the query against the best compact window (smallest
//! span, then starting at a word start, then earliest) together with the one character before
//! it, so that word-start bonuses still apply. Higher is better; [`sort_by_score`] ranks hits
//! with ties kept in input order.
//!
//! # Speed
//! All texts live back to back in one buffer. Each item keeps a 64-bit mask of the characters
//! it contains (letters, digits, space, a few buckets for other ASCII, one bit for anything
//! else) and its length in characters; an item is scanned only when it has every character of
//! the query and is long enough. The phrase as typed is looked for first (testing its rarest
//! letter first), which settles most hits; only the rest get the gap-tolerant scan. Skim runs
//! on the chosen window only, memoised per search by window text (the same phrase recurs in many
//! tasks). Lists of [`PARALLEL_MIN_ITEMS`] or more are split across the available cores.
//! Measured with 100,000 synthetic Vietnamese tasks (180–480 bytes each, up to 86 % of them
//! matching) on 2 cores, release build: 4–10 ms per keystroke, about 1 ms once narrowing has
//! cut the list down; a query whose letters most tasks lack takes well under 1 ms.

use crate::text;

pub mod filters;
mod index;
pub mod narrow;
mod phrase;
mod stream;
mod terms;

pub use index::SearchIndex;
use phrase::Item;
#[cfg(test)]
use phrase::{Query, best_window, exact_window, find_exact};
pub use stream::Matcher;
use terms::{Term, Terms};

/// Smallest number of extra characters a query prefix may be spread over.
pub const MIN_SLACK: usize = 2;
/// Beyond `MIN_SLACK`, a prefix of `k` characters may be spread over `k / SLACK_DIVISOR` extra ones.
pub const SLACK_DIVISOR: usize = 3;
/// Longer queries are cut to this many characters (after normalisation): nobody types more,
/// and scoring costs query length × window length. Cutting keeps the rule prefix-closed.
pub const MAX_QUERY_CHARS: usize = 128;
/// The score of an id or plan-reference term that matches.
const EXACT_SCORE: i64 = 1_000;
/// Lists at least this long are searched on several threads.
pub const PARALLEL_MIN_ITEMS: usize = 16_384;

/// Extra characters allowed between the first and the last of `k` matched query characters.
pub fn slack(k: usize) -> usize {
    MIN_SLACK.max(k / SLACK_DIVISOR)
}

/// One matching item: its position in the index (input order), its id and its score.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Hit {
    pub pos: usize,
    pub id: i64,
    pub score: i64,
}

/// Sorts hits best first; equal scores keep their order (input order for `search` results).
pub fn sort_by_score(hits: &mut [Hit]) {
    hits.sort_by_key(|hit| std::cmp::Reverse(hit.score));
}

/// The form both haystacks and queries are matched in: folded, trimmed, whitespace collapsed.
pub fn normalize(s: &str) -> String {
    collapse_whitespace(&text::fold(s))
}

fn collapse_whitespace(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for word in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// Matches one already folded query against one already folded haystack (whitespace is
/// collapsed here), for callers that filter a handful of items without an index. `None` when
/// it does not match, else the score (0 for an empty query).
pub fn matches(query_folded: &str, haystack_folded: &str) -> Option<i64> {
    let terms = Terms::new(&collapse_whitespace(query_folded));
    let haystack = collapse_whitespace(haystack_folded);
    let item = Item::new(0, &haystack, 0);
    terms.score(&haystack, &item, "", &mut terms.memos::<&str>())
}

/// Whether the results of `previous` may be narrowed to get those of `next` (see
/// [`SearchIndex::search_within`]): `next` extends `previous` and neither has an exact term
/// (`#157`, a plan reference), whose matches are not prefix-closed. Both are normalised queries.
pub fn narrows(previous: &str, next: &str) -> bool {
    next.starts_with(previous) && !has_exact_terms(previous) && !has_exact_terms(next)
}

/// Whether a query has a term matched exactly: `#157` or a plan reference.
pub fn has_exact_terms(query: &str) -> bool {
    Terms::new(&normalize(query))
        .0
        .iter()
        .any(|t| !matches!(t, Term::Text(_)))
}

/// `#157` → 157: a `#` and digits only.
pub fn task_id_term(term: &str) -> Option<i64> {
    let digits = term.strip_prefix('#')?;
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

/// Whether a folded term looks like a plan reference: a Roman section number (`i`, `v`, `x`),
/// a dot, a digit, then only letters, digits, `.`, `/` and `-` (`v.1.5/snv/2026-q1`).
pub fn is_plan_reference(term: &str) -> bool {
    let Some((section, rest)) = term.split_once('.') else {
        return false;
    };
    !section.is_empty()
        && section
            .bytes()
            .all(|b| matches!(b, b'i' | b'v' | b'x' | b'I' | b'V' | b'X'))
        && rest.bytes().next().is_some_and(|b| b.is_ascii_digit())
        && rest
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'/' | b'-'))
}

/// The index over tasks that the TUI and `cchc tasks --search` both use: each task's
/// [`task_text`] and its plan reference, positions in the order of `tasks`.
pub fn index_tasks(
    tasks: &[crate::model::Task],
    agency_names: &std::collections::HashMap<&str, &str>,
    notes: &std::collections::HashMap<i64, String>,
) -> SearchIndex {
    SearchIndex::with_references(tasks.iter().map(|t| {
        (
            t.id,
            task_text(t, agency_names, notes.get(&t.id).map(String::as_str)),
            t.plan_ref.as_str(),
        )
    }))
}

/// What search looks at: title, lead agency (code and name), output and notes.
pub fn task_text(
    t: &crate::model::Task,
    agency_names: &std::collections::HashMap<&str, &str>,
    notes: Option<&str>,
) -> String {
    let agency = agency_names
        .get(t.lead_agency.as_str())
        .copied()
        .unwrap_or("");
    task_text_parts(
        &t.title,
        &t.lead_agency,
        agency,
        &t.output,
        notes.unwrap_or(""),
    )
}

/// [`task_text`] from its parts, for the store's search table (same text once normalised).
pub fn task_text_parts(title: &str, code: &str, agency: &str, output: &str, notes: &str) -> String {
    format!("{title} | {code} {agency} | {output} | {notes}")
}

#[cfg(test)]
mod tests;
