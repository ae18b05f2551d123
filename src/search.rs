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

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use fuzzy_matcher::FuzzyMatcher;
use fuzzy_matcher::skim::SkimMatcherV2;

use crate::text;

pub mod narrow;
mod stream;

pub use stream::Matcher;

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

/// One term of a query.
enum Term {
    /// Fuzzy, compact phrase matching over the text.
    Text(Query),
    /// `#157`: the task with this id.
    Id(i64),
    /// A plan reference, folded: the task whose folded reference equals it.
    Reference(String),
}

impl Term {
    fn new(text: &str, quoted: bool) -> Term {
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
struct Terms(Vec<Term>);

impl Terms {
    fn new(normalized: &str) -> Self {
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

    fn has_exact(&self) -> bool {
        self.0.iter().any(|t| !matches!(t, Term::Text(_)))
    }

    fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// One skim memo per term: the same window scores differently against different terms.
    fn memos<K>(&self) -> Vec<Memo<K>> {
        self.0.iter().map(|_| Memo::default()).collect()
    }

    /// `None` unless every term matches; else the sum of their scores (0 with no terms). An
    /// exact term scores like a whole-word phrase of its length would, about: it is what the
    /// user asked for.
    fn score<'a, K: MemoKey<'a>>(
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

/// Bit standing for a character in the per-item presence mask. Any fixed mapping is correct
/// (a character of the query present in a text sets the same bit in both masks); this one keeps
/// letters, digits and space apart, which is what folded Vietnamese queries are made of.
fn char_bit(c: char) -> u64 {
    match c {
        'a'..='z' => 1 << (c as u32 - 'a' as u32),
        '0'..='9' => 1 << (26 + c as u32 - '0' as u32),
        ' ' => 1 << 36,
        c if c.is_ascii() => 1 << (37 + c as u32 % 26),
        _ => 1 << 63,
    }
}

fn mask_of(s: &str) -> u64 {
    if s.is_ascii() {
        // Folded texts are mostly ASCII: bytes are characters, no decoding needed.
        return s.bytes().fold(0, |mask, b| mask | char_bit(char::from(b)));
    }
    s.chars().fold(0, |mask, c| mask | char_bit(c))
}

/// One item; its normalised text is `arena[start..end]` in the index.
#[derive(Debug, Clone)]
struct Item {
    id: i64,
    start: usize,
    end: usize,
    mask: u64,
    chars: usize,
}

impl Item {
    fn new(id: i64, text: &str, start: usize) -> Self {
        Item {
            id,
            start,
            end: start + text.len(),
            mask: mask_of(text),
            chars: if text.is_ascii() {
                text.len()
            } else {
                text.chars().count()
            },
        }
    }
}

/// Skim scores by window text, for one search. Keys are short, so a simple FNV-1a hash beats
/// the default SipHash here (the memo is looked up once per matching item). The index keys by
/// slices of its arena; a matcher over rows streamed from the store owns its keys.
type Memo<K> = HashMap<K, i64, BuildHasherDefault<Fnv>>;

/// A memo key made from a window of a text that lives for `'a`.
trait MemoKey<'a>: std::borrow::Borrow<str> + Eq + std::hash::Hash + From<&'a str> {}
impl<'a, K: std::borrow::Borrow<str> + Eq + std::hash::Hash + From<&'a str>> MemoKey<'a> for K {}

#[derive(Default)]
struct Fnv(u64);

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        let mut hash = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        for &b in bytes {
            hash = (hash ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = hash;
    }
}

/// A normalised query with what matching needs precomputed.
struct Query {
    text: String,
    chars: Vec<char>,
    mask: u64,
    /// `max_span[k - 1]`: the widest the first `k` matched characters may be spread.
    max_span: Vec<usize>,
    /// For ASCII queries, the index of the rarest character, searched for first.
    anchor: usize,
}

impl Query {
    fn new(text: String) -> Self {
        let chars: Vec<char> = text.chars().collect();
        let max_span = (1..=chars.len()).map(|k| k + slack(k)).collect();
        let anchor = (0..text.len())
            .min_by_key(|&i| commonness(text.as_bytes()[i]))
            .unwrap_or(0);
        Query {
            anchor,
            mask: mask_of(&text),
            chars,
            text,
            max_span,
        }
    }

    /// `None` when `item` does not match; otherwise its score. `memo` caches skim scores by
    /// window text for the duration of one search.
    fn score<'a, K: MemoKey<'a>>(
        &self,
        text: &'a str,
        item: &Item,
        memo: &mut Memo<K>,
    ) -> Option<i64> {
        if self.mask & !item.mask != 0 || item.chars < self.chars.len() {
            return None;
        }
        if self.text.is_ascii() {
            let hay = text.as_bytes();
            let &first = self.text.as_bytes().first()?;
            // Most hits contain the phrase as typed; finding that is much faster than trying
            // every occurrence of the first character, and it is the best window there is.
            let exact = exact_window(text, self);
            let w = match exact {
                Some(w) => w,
                None => best_window(
                    hay,
                    self.text.as_bytes(),
                    &self.max_span,
                    // UTF-8 continuation bytes do not start a character.
                    |b| b & 0xC0 != 0x80,
                    // A plain loop: the first letter is usually a common one, too close for
                    // `memchr` restarts to pay.
                    |from| (from..hay.len()).find(|&i| hay[i] == first),
                )?,
            };
            // An ASCII query char never matches inside a multi-byte sequence, so `w.start` and
            // `w.end` are character boundaries; step back one whole character for context.
            let before = text[..w.start].chars().next_back();
            let context = w.start - before.map_or(0, char::len_utf8);
            let window = &text[context..w.end];
            if let Some(&score) = memo.get(window) {
                return Some(score);
            }
            let score = skim_score(window, &self.text);
            memo.insert(K::from(window), score);
            Some(score)
        } else {
            let hay: Vec<char> = text.chars().collect();
            let &first = self.chars.first()?;
            let w = best_window(
                &hay,
                &self.chars,
                &self.max_span,
                |_| true,
                |from| Some(from + hay.get(from..)?.iter().position(|&c| c == first)?),
            )?;
            let window: String = hay[w.start.saturating_sub(1)..w.end].iter().collect();
            Some(skim_score(&window, &self.text))
        }
    }
}

/// Skim's score of `query` against a short window of text.
///
/// A fresh matcher each time, on purpose: fuzzy-matcher 0.3.7 reuses its score matrix between
/// calls without clearing it (a cell's consecutive-match bonus is read before it is written),
/// so a shared matcher gives scores that depend on the previous call — the narrowing property
/// test caught it — and its `use_cache(false)` panics on a double borrow. Construction is cheap
/// (no allocation until first use), the windows are short and scores are memoised per search.
fn skim_score(window: &str, query: &str) -> i64 {
    let matcher = SkimMatcherV2::default().respect_case();
    // Haystack and query are both folded, so exact comparison keeps skim's idea of a match
    // identical to ours; the window contains the query in order, so 0 is only a fallback.
    matcher.fuzzy_match(window, query).unwrap_or(0)
}

/// A compact occurrence of the query: `start..end` in units of the scanned slice.
#[derive(Debug, Clone, Copy)]
struct Window {
    start: usize,
    end: usize,
    /// Characters from the first to the last matched one, inclusive.
    span: usize,
    word_start: bool,
}

/// The best compact occurrence of `q` in `h` (smallest span, then at a word start, then
/// earliest), or `None`. `counts` tells which units of `h` start a character (all of them for
/// `char` slices; not UTF-8 continuation bytes for byte slices, where `q` must be ASCII).
/// `find_first(from)` is the next index at or after `from` holding `q[0]` (a fast search).
fn best_window<T: Copy + PartialEq + WordChar>(
    h: &[T],
    q: &[T],
    max_span: &[usize],
    counts: impl Fn(T) -> bool,
    find_first: impl Fn(usize) -> Option<usize>,
) -> Option<Window> {
    let rest = q.get(1..)?;
    let mut best: Option<Window> = None;
    let mut from = 0;
    while let Some(start) = find_first(from) {
        from = start + 1;
        // Greedy leftmost match of the rest from `start`; it minimises every prefix span.
        let mut span = 1;
        let mut i = start + 1;
        let mut compact = true;
        // `matched` query characters are behind us when looking for `want`.
        for (matched, &want) in (1..).zip(rest) {
            loop {
                // Running out of text here means no later start can match either.
                let Some(&u) = h.get(i) else {
                    return best;
                };
                i += 1;
                if counts(u) {
                    span += 1;
                    if span > max_span[matched] {
                        compact = false;
                        break;
                    }
                }
                if u == want {
                    break;
                }
            }
            if !compact {
                break;
            }
        }
        if !compact {
            continue;
        }
        let word_start = !T::word_char_before(h, start);
        let window = Window {
            start,
            end: i,
            span,
            word_start,
        };
        let better = best.is_none_or(|b| (span, !word_start) < (b.span, !b.word_start));
        if better {
            best = Some(window);
            if span == q.len() && word_start {
                break; // Nothing can beat an exact phrase at a word start.
            }
        }
    }
    best
}

/// The best exact occurrence of an ASCII query (the first at a word start, else the first), if
/// any: the same window [`best_window`] would pick when there is one, found faster.
fn exact_window(text: &str, query: &Query) -> Option<Window> {
    let mut first = None;
    let mut from = 0;
    while let Some(start) = find_exact(text, query, from) {
        let before = text[..start].chars().next_back();
        let window = Window {
            start,
            end: start + query.text.len(),
            span: query.chars.len(),
            word_start: before.is_none_or(|c| !c.is_alphanumeric()),
        };
        if window.word_start {
            return Some(window);
        }
        first.get_or_insert(window);
        // Overlapping occurrences count too; `start + 1` follows an ASCII byte.
        from = start + 1;
    }
    first
}

/// The first byte index `p >= from` where the ASCII `query` occurs in `text`. Tests the
/// query's rarest character first at each position and compares the rest only there: a plain
/// loop beats both `str::find(&str)` and `memchr` restarts on Vietnamese text, whose letters
/// repeat too often for either to skip far.
fn find_exact(text: &str, query: &Query, from: usize) -> Option<usize> {
    let h = text.as_bytes();
    let q = query.text.as_bytes();
    let anchor = query.anchor;
    let anchor_byte = *q.get(anchor)?;
    let last_start = h.len().checked_sub(q.len())?;
    (from..=last_start).find(|&start| {
        h[start + anchor] == anchor_byte
            && h[start..start + q.len()].iter().zip(q).all(|(a, b)| a == b)
    })
}

/// How common an ASCII byte is in folded Vietnamese text, 0 for rare: picks the anchor of
/// [`find_exact`]. Only speed depends on it.
fn commonness(b: u8) -> usize {
    const BY_FREQUENCY: &[u8] = b"xqpkysbrvlmedugocatihn ";
    BY_FREQUENCY
        .iter()
        .position(|&c| c == b)
        .map_or(0, |i| i + 1)
}

/// Whether the character just before `start` is a letter or digit (for the word-start
/// preference); false at the beginning.
trait WordChar: Sized {
    fn word_char_before(h: &[Self], start: usize) -> bool;
}

impl WordChar for char {
    fn word_char_before(h: &[char], start: usize) -> bool {
        start
            .checked_sub(1)
            .and_then(|i| h.get(i))
            .is_some_and(|c| c.is_alphanumeric())
    }
}

impl WordChar for u8 {
    fn word_char_before(h: &[u8], start: usize) -> bool {
        // Decode the character ending just before `start` (a character boundary).
        let head = h.get(..start).unwrap_or_default();
        let begin = head.iter().rposition(|&b| b & 0xC0 != 0x80).unwrap_or(0);
        std::str::from_utf8(&head[begin..])
            .ok()
            .and_then(|s| s.chars().next())
            .is_some_and(char::is_alphanumeric)
    }
}

/// Normalised texts of the items (tasks), searchable at every keystroke.
#[derive(Debug, Clone, Default)]
pub struct SearchIndex {
    /// Every normalised text, back to back in input order: a search reads memory in order
    /// instead of chasing one allocation per item (about three times faster on 100,000 tasks).
    arena: String,
    /// Bytes of `arena` no item points to any more (replaced by `update`).
    garbage: usize,
    items: Vec<Item>,
    /// First position of each id.
    by_id: HashMap<i64, usize>,
    /// Each item's plan reference, folded (empty when it has none); aligned with `items`.
    references: Vec<String>,
}

impl SearchIndex {
    /// Builds the index; each text is normalised here once. Positions follow the input order.
    /// Ids are expected to be unique; with duplicates, `update` and `position` see the first.
    pub fn new<S: AsRef<str>>(items: impl IntoIterator<Item = (i64, S)>) -> Self {
        let mut index = SearchIndex::default();
        for (id, text) in items {
            index.push(id, text.as_ref());
        }
        index
    }

    /// As [`SearchIndex::new`], each item with its plan reference, which a reference term
    /// (`V.1.5/SNV/2026-Q1`) must equal.
    pub fn with_references<S: AsRef<str>, R: AsRef<str>>(
        items: impl IntoIterator<Item = (i64, S, R)>,
    ) -> Self {
        let mut index = SearchIndex::default();
        for (id, text, reference) in items {
            let pos = index.push(id, text.as_ref());
            index.references[pos] = normalize(reference.as_ref());
        }
        index
    }

    fn push(&mut self, id: i64, text: &str) -> usize {
        let pos = self.items.len();
        let item = self.store(id, text);
        self.items.push(item);
        self.references.push(String::new());
        self.by_id.entry(id).or_insert(pos);
        pos
    }

    /// Normalises `text` and appends it to the arena.
    fn store(&mut self, id: i64, text: &str) -> Item {
        let text = normalize(text);
        let item = Item::new(id, &text, self.arena.len());
        self.arena.push_str(&text);
        item
    }

    fn text_of(&self, item: &Item) -> &str {
        &self.arena[item.start..item.end]
    }

    /// Rewrites the arena without the texts that were replaced.
    fn compact(&mut self) {
        let mut arena = String::with_capacity(self.arena.len() - self.garbage);
        for item in &mut self.items {
            let start = arena.len();
            arena.push_str(&self.arena[item.start..item.end]);
            item.start = start;
            item.end = arena.len();
        }
        self.arena = arena;
        self.garbage = 0;
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// The id at a position.
    pub fn id(&self, pos: usize) -> Option<i64> {
        self.items.get(pos).map(|item| item.id)
    }

    /// The position of an id.
    pub fn position(&self, id: i64) -> Option<usize> {
        self.by_id.get(&id).copied()
    }

    /// The normalised text stored at a position.
    pub fn text(&self, pos: usize) -> Option<&str> {
        self.items.get(pos).map(|item| self.text_of(item))
    }

    /// Replaces the text of `id` (or appends a new item when the id is unknown) and returns its
    /// position. Other positions do not move, but earlier results may no longer be right for
    /// the changed item: search afresh rather than narrowing them.
    pub fn update(&mut self, id: i64, text: &str) -> usize {
        match self.position(id) {
            Some(pos) => {
                let item = self.store(id, text);
                let old = std::mem::replace(&mut self.items[pos], item);
                self.garbage += old.end - old.start;
                if self.garbage > self.arena.len() / 2 {
                    self.compact();
                }
                pos
            }
            None => self.push(id, text),
        }
    }

    /// [`update`](Self::update) with the item's plan reference.
    pub fn update_with_reference(&mut self, id: i64, text: &str, reference: &str) -> usize {
        let pos = self.update(id, text);
        self.references[pos] = normalize(reference);
        pos
    }

    /// Every matching item, in input order, with its score.
    pub fn search(&self, query: &str) -> Vec<Hit> {
        let query = Terms::new(&normalize(query));
        self.collect(&query, self.items.len(), |i| i)
    }

    /// Like [`search`](Self::search) but only among `candidates` (positions, normally the
    /// previous result when the new query extends the previous one; the matching rule is
    /// prefix-closed, so this equals a fresh search — when [`narrows`] says so). Unknown
    /// positions are ignored; the result is in input order whatever the order of `candidates`.
    /// A query with an exact term (`#157`) is searched afresh over every item.
    pub fn search_within(&self, query: &str, candidates: &[usize]) -> Vec<Hit> {
        let query = Terms::new(&normalize(query));
        if query.has_exact() {
            return self.collect(&query, self.items.len(), |i| i);
        }
        let ordered;
        let candidates = if candidates.is_sorted_by(|a, b| a < b) {
            candidates
        } else {
            let mut sorted = candidates.to_vec();
            sorted.sort_unstable();
            sorted.dedup();
            ordered = sorted;
            &ordered
        };
        let valid = candidates.partition_point(|&pos| pos < self.items.len());
        let candidates = &candidates[..valid];
        self.collect(&query, candidates.len(), |i| candidates[i])
    }

    /// Matches the positions `pos_at(0..n)` (ascending), on several threads for long lists.
    fn collect(&self, query: &Terms, n: usize, pos_at: impl Fn(usize) -> usize + Sync) -> Vec<Hit> {
        let scan = |range: std::ops::Range<usize>| -> Vec<Hit> {
            let mut memos = query.memos::<&str>();
            let mut hits = Vec::new();
            for i in range {
                let pos = pos_at(i);
                let item = &self.items[pos];
                let score =
                    query.score(self.text_of(item), item, &self.references[pos], &mut memos);
                if let Some(score) = score {
                    hits.push(Hit {
                        pos,
                        id: item.id,
                        score,
                    });
                }
            }
            hits
        };
        let threads = std::thread::available_parallelism().map_or(1, usize::from);
        if n < PARALLEL_MIN_ITEMS || threads < 2 || query.is_empty() {
            return scan(0..n);
        }
        let chunk = n.div_ceil(threads);
        std::thread::scope(|scope| {
            let scan = &scan;
            let handles: Vec<_> = (0..n)
                .step_by(chunk)
                .map(|begin| scope.spawn(move || scan(begin..(begin + chunk).min(n))))
                .collect();
            let mut hits = Vec::new();
            for handle in handles {
                match handle.join() {
                    Ok(part) => hits.extend(part),
                    Err(panic) => std::panic::resume_unwind(panic),
                }
            }
            hits
        })
    }
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
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn index(texts: &[&str]) -> SearchIndex {
        SearchIndex::new(texts.iter().enumerate().map(|(i, t)| (i as i64 + 100, *t)))
    }

    fn positions(hits: &[Hit]) -> Vec<usize> {
        hits.iter().map(|h| h.pos).collect()
    }

    fn found(texts: &[&str], query: &str) -> Vec<usize> {
        positions(&index(texts).search(query))
    }

    #[test]
    fn diacritics_never_matter_either_way() {
        let texts = [
            "Sở Nội vụ chủ trì",
            "so noi vu chu tri",
            "SỞ NỘI VỤ",
            "Sở Tài chính",
        ];
        assert_eq!(found(&texts, "noi vu"), [0, 1, 2]);
        assert_eq!(found(&texts, "Nội vụ"), [0, 1, 2]);
        assert_eq!(found(&texts, "NỘI VỤ"), [0, 1, 2]);
        assert_eq!(found(&texts, "tai chinh"), [3]);
    }

    #[test]
    fn d_with_stroke_folds_to_d() {
        let texts = ["Quản lý đất đai", "Đề án dat dai", "Dân số"];
        assert_eq!(found(&texts, "dat dai"), [0, 1]);
        assert_eq!(found(&texts, "đất đai"), [0, 1]);
        assert_eq!(found(&texts, "ĐẤT"), [0, 1]);
        assert_eq!(found(&texts, "de an"), [1]);
    }

    #[test]
    fn compact_phrase_required() {
        let texts = [
            "Rà soát nội bộ quy trình, thực hiện nhiệm vụ được giao",
            "Cập nhật nội dung dịch vụ công",
            "Sở Nội vụ tham mưu",
            "Nội vụ",
            "noivu",
        ];
        assert_eq!(found(&texts, "\"noi vu\""), [2, 3]);
        // A missing space is one gap: "noivu" finds "nội vụ" (span 6 ≤ 5 + 2).
        assert_eq!(found(&texts, "noivu"), [2, 3, 4]);
        assert_eq!(found(&texts, "noi"), [0, 1, 2, 3, 4]);
        // Unquoted, the words are two terms: each found compactly, anywhere.
        assert_eq!(found(&texts, "noi vu"), [0, 1, 2, 3, 4]);
    }

    #[test]
    fn terms_are_all_required_in_any_order() {
        let texts = [
            "Báo cáo CCHC quý I/2026",
            "Báo cáo tình hình thực hiện",
            "Kế hoạch CCHC quý",
            "Sở Nội vụ tham mưu",
        ];
        assert_eq!(found(&texts, "bao cao quy"), [0]);
        assert_eq!(found(&texts, "quy bao cao"), [0]);
        assert_eq!(found(&texts, "quy   cchc"), [0, 2]);
        assert_eq!(found(&texts, "\"bao cao\" cchc"), [0]);
        // An open quote runs to the end; an empty pair of quotes asks for nothing.
        assert_eq!(found(&texts, "cchc \"cao cch"), [0]);
        assert_eq!(found(&texts, "\"\" tham"), [3]);
        // A phrase does not match its words apart.
        assert_eq!(found(&texts, "\"quy bao\""), Vec::<usize>::new());
        // Scores add up: the text matching both terms tightly ranks first.
        let idx = index(&["quy bao cao", "bao cao quy I", "quy"]);
        let mut hits = idx.search("bao quy");
        sort_by_score(&mut hits);
        assert_eq!(hits.len(), 2);
    }

    #[test]
    fn slack_boundary() {
        // "abcd": 4 chars, slack 2, so at most 6 characters from 'a' to 'd'.
        assert_eq!(slack(4), 2);
        assert_eq!(slack(9), 3);
        assert!(matches("abcd", "ab..cd").is_some());
        assert!(matches("abcd", "a..b..cd").is_none());
        assert!(matches("abcd", "xx a.b.c.d").is_none());
        assert!(matches("abcd", "a.b.cd").is_some());
        // Prefix rule: 9 chars may spread by 3 overall, but the first 3 only by 2.
        assert!(matches("abcdefghi", "a.b.cdefgh.i").is_some());
        assert!(matches("abcdefghi", "a.b.cdefg.hi").is_none());
        assert!(matches("abcdefghi", "a.b.c.defghi").is_none());
    }

    #[test]
    fn best_window_wins_over_an_early_loose_one() {
        // Skim's best-scoring alignment over the whole text is not what decides; a loose early
        // occurrence does not hide a compact later one.
        let texts = ["nội bộ, nhiệm vụ, và Sở Nội vụ"];
        assert_eq!(found(&texts, "\"noi vu\""), [0]);
    }

    #[test]
    fn span_counts_characters_not_bytes() {
        assert!(matches("ab", "a😀😀b").is_some());
        assert!(matches("ab", "a😀😀😀b").is_none());
        assert!(matches("ab", "a–b").is_some());
    }

    #[test]
    fn non_ascii_queries() {
        let texts = ["Chuyển đổi số 🚀 nhanh", "kế hoạch 2026–2030", "中文 文本"];
        assert_eq!(found(&texts, "🚀"), [0]);
        assert_eq!(found(&texts, "so 🚀"), [0]);
        assert_eq!(found(&texts, "2026–2030"), [1]);
        assert_eq!(found(&texts, "中文"), [2]);
        assert_eq!(found(&texts, "中本"), Vec::<usize>::new());
    }

    #[test]
    fn empty_query_matches_everything() {
        let texts = ["a", "", "b"];
        for q in ["", "   ", "\t\n ", "\u{301}"] {
            let hits = index(&texts).search(q);
            assert_eq!(positions(&hits), [0, 1, 2], "query {q:?}");
            assert!(hits.iter().all(|h| h.score == 0));
        }
        assert_eq!(matches("", "anything"), Some(0));
        assert!(
            SearchIndex::new(Vec::<(i64, String)>::new())
                .search("x")
                .is_empty()
        );
    }

    #[test]
    fn whitespace_is_collapsed_on_both_sides() {
        let texts = ["Sở Nội\n  vụ", "Sở Nội\tvụ"];
        assert_eq!(found(&texts, "  noi   vu  "), [0, 1]);
        assert_eq!(index(&texts).text(0), Some("so noi vu"));
    }

    #[test]
    fn results_in_input_order_and_ranked_by_score() {
        let texts = ["x n o i v u x", "sở nội vụ", "zzz", "nội vụ", "ban noi vu"];
        let idx = index(&texts);
        let mut hits = idx.search("noivu");
        assert_eq!(positions(&hits), [1, 3, 4]);
        assert_eq!(hits[0].id, 101);
        sort_by_score(&mut hits);
        // Phrase at the start of the text and after a space score alike; ties keep input order.
        assert!(hits.windows(2).all(|w| w[0].score >= w[1].score));
        let equal: Vec<_> = hits.iter().filter(|h| h.score == hits[0].score).collect();
        assert!(equal.windows(2).all(|w| w[0].pos < w[1].pos));
    }

    #[test]
    fn exact_phrase_scores_above_gapped_one() {
        let exact = matches("noi vu", "so noi vu").unwrap_or_default();
        let gapped = matches("noi vu", "so noi xvu").unwrap_or_default();
        let mid_word = matches("noi vu", "sonoi vu").unwrap_or_default();
        assert!(exact > gapped, "{exact} vs {gapped}");
        assert!(exact > mid_word, "{exact} vs {mid_word}");
    }

    #[test]
    fn narrowing_equals_fresh_search() {
        let texts = [
            "Sở Nội vụ",
            "nội dung",
            "nhiệm vụ",
            "Sở Nội vụ, Sở Tư pháp",
            "Nội vụ và dịch vụ",
        ];
        let idx = index(&texts);
        let mut previous = idx.search("");
        for q in [
            "n",
            "no",
            "noi",
            "noi ",
            "noi v",
            "noi vu",
            "noi vu,",
            "noi vu, s",
        ] {
            let narrowed = idx.search_within(q, &positions(&previous));
            assert_eq!(narrowed, idx.search(q), "query {q:?}");
            previous = narrowed;
        }
    }

    #[test]
    fn search_within_tolerates_odd_candidates() {
        let idx = index(&["noi vu", "abc", "so noi vu"]);
        let hits = idx.search_within("noi", &[2, 99, 0, 2]);
        assert_eq!(positions(&hits), [0, 2]);
        assert!(idx.search_within("noi", &[]).is_empty());
        assert_eq!(positions(&idx.search_within("", &[1])), [1]);
    }

    #[test]
    fn update_replaces_one_item() {
        let mut idx = index(&["Sở Tư pháp", "Sở Nội vụ"]);
        assert_eq!(idx.len(), 2);
        assert_eq!(positions(&idx.search("noi vu")), [1]);
        assert_eq!(idx.update(100, "Phối hợp Sở Nội vụ"), 0);
        assert_eq!(positions(&idx.search("noi vu")), [0, 1]);
        assert_eq!(idx.update(101, "Sở Y tế"), 1);
        assert_eq!(positions(&idx.search("noi vu")), [0]);
        assert_eq!(idx.update(7, "Nội vụ"), 2);
        assert_eq!(idx.len(), 3);
        assert_eq!(idx.id(2), Some(7));
        assert_eq!(idx.position(7), Some(2));
        assert_eq!(positions(&idx.search("noi vu")), [0, 2]);
    }

    #[test]
    fn weird_input_never_panics() {
        let long = "nội vụ ".repeat(2_000);
        let texts = [
            "",
            " ",
            "🚀🚀🚀",
            "e\u{301}\u{302}\u{303}",
            "\u{301}",
            "İstanbul ǅ ß ﬁ",
            long.as_str(),
            "\0\u{7f}\u{feff}",
        ];
        let idx = index(&texts);
        for q in [
            "🚀",
            "\u{301}",
            "e\u{301}",
            "   ",
            "ǅ",
            "ß",
            "İ",
            "\0",
            "\u{feff}",
            long.as_str(),
            &"x".repeat(10_000),
        ] {
            let hits = idx.search(q);
            let again = idx.search_within(q, &positions(&hits));
            assert_eq!(hits, again);
        }
        assert_eq!(positions(&idx.search(&long)), [6]);
    }

    #[test]
    fn large_lists_match_like_small_ones() {
        // Above the threshold the work is split across threads; order and content must not change.
        let texts: Vec<String> = (0..PARALLEL_MIN_ITEMS + 1_000)
            .map(|i| match i % 3 {
                0 => format!("Nhiệm vụ số {i} của Sở Nội vụ"),
                1 => format!("Nội dung {i}"),
                _ => format!("Dịch vụ công {i}"),
            })
            .collect();
        let idx = SearchIndex::new(texts.iter().enumerate().map(|(i, t)| (i as i64, t)));
        let hits = idx.search("noi vu");
        assert_eq!(hits.len(), texts.len().div_ceil(3));
        assert!(hits.iter().all(|h| h.pos % 3 == 0 && h.id == h.pos as i64));
        assert!(hits.windows(2).all(|w| w[0].pos < w[1].pos));
        let all: Vec<usize> = (0..idx.len()).collect();
        assert_eq!(idx.search_within("noi vu", &all), hits);
    }

    #[test]
    fn many_updates_keep_texts_right() {
        let mut idx = index(&["Sở Nội vụ", "Sở Tư pháp"]);
        for round in 0..50 {
            idx.update(100, &format!("Lần {round}: Sở Nội vụ"));
        }
        // Replaced texts are dropped from the arena once they make up half of it.
        assert!(
            idx.arena.len() < 200,
            "arena kept {} bytes",
            idx.arena.len()
        );
        assert_eq!(idx.text(0), Some("lan 49: so noi vu"));
        assert_eq!(idx.text(1), Some("so tu phap"));
        assert_eq!(positions(&idx.search("tu phap")), [1]);
        assert_eq!(positions(&idx.search("lan 49")), [0]);
    }

    #[test]
    fn scores_do_not_depend_on_earlier_searches() {
        // fuzzy-matcher's cached matrix used to leak a bonus from one call into the next.
        let idx = index(&["ba aa.a .", ".aaa a"]);
        let alone = idx.search("aaaa");
        let _ = idx.search("a");
        let _ = idx.search("a a");
        assert_eq!(idx.search("aaaa"), alone);
        assert_eq!(idx.search_within("aaaa", &[0, 1]), alone);
    }

    #[test]
    fn rarest_character_anchors_exact_search() {
        let q = Query::new("noi vu".to_string());
        assert_eq!(q.text.as_bytes()[q.anchor], b'v');
        // Anchor occurrences before the first possible start are skipped, not mistaken.
        assert_eq!(find_exact("v noi vu", &q, 0), Some(2));
        assert_eq!(find_exact("noi vu noi vu", &q, 1), Some(7));
        assert_eq!(find_exact("noi vx", &q, 0), None);
    }

    fn task_index() -> SearchIndex {
        SearchIndex::with_references([
            (
                157,
                "Báo cáo CCHC quý I/2026 | SNV Sở Nội vụ",
                "V.1.5/SNV/2026-Q1",
            ),
            (
                158,
                "Báo cáo CCHC quý I/2026 | STP Sở Tư pháp",
                "V.1.5/STP/2026-Q1",
            ),
            (15, "Rà soát thủ tục #157 theo V.1.5/SNV", "III.6.4a"),
            (1570, "Số hoá hồ sơ", ""),
        ])
    }

    fn ids(hits: &[Hit]) -> Vec<i64> {
        hits.iter().map(|h| h.id).collect()
    }

    #[test]
    fn hash_number_matches_exactly_one_id() {
        let idx = task_index();
        assert_eq!(ids(&idx.search("#157")), [157]);
        assert_eq!(ids(&idx.search("  #15 ")), [15]);
        assert_eq!(ids(&idx.search("#1570")), [1570]);
        assert!(idx.search("#9999").is_empty());
        // Combined with words, all terms still required.
        assert_eq!(ids(&idx.search("#157 bao cao")), [157]);
        assert!(idx.search("#157 tu phap").is_empty());
        // Quoted, it is text again: the note of task 15 mentions "#157".
        assert_eq!(ids(&idx.search("\"#157\"")), [15]);
        // `#` without digits, or with letters, is plain text.
        assert_eq!(ids(&idx.search("#")), [15]);
        assert!(!has_exact_terms("#12a"));
    }

    #[test]
    fn plan_references_match_exactly_ignoring_case_and_marks() {
        let idx = task_index();
        assert_eq!(ids(&idx.search("V.1.5/SNV/2026-Q1")), [157]);
        assert_eq!(ids(&idx.search("v.1.5/snv/2026-q1")), [157]);
        assert_eq!(ids(&idx.search("iii.6.4A")), [15]);
        // Exact, not a prefix: "V.1.5/SNV" is nobody's whole reference.
        assert!(idx.search("V.1.5/SNV").is_empty());
        assert!(idx.search("V.1.5/SNV/2026-Q").is_empty());
        assert!(is_plan_reference("v.1.5/snv/2026-q1"));
        assert!(is_plan_reference("iii.6.4a"));
        assert!(!is_plan_reference("v.a"));
        assert!(!is_plan_reference("vu.1"));
        assert!(!is_plan_reference("noi vu"));
        assert!(!is_plan_reference(".1"));
    }

    #[test]
    fn exact_terms_are_never_narrowed() {
        let idx = task_index();
        // "#15" then "#157": the second is not among the first's hits, and must still be found.
        let first = idx.search("#15");
        assert_eq!(ids(&idx.search_within("#157", &positions(&first))), [157]);
        assert!(!narrows("#15", "#157"));
        assert!(!narrows("#1", "#1x"));
        assert!(!narrows("v.1", "v.1.5/snv/2026-q1"));
        assert!(narrows("bao", "bao cao"));
        assert!(!narrows("bao", "ba"));
        assert_eq!(task_id_term("#157"), Some(157));
        assert_eq!(task_id_term("157"), None);
        assert_eq!(task_id_term("#99999999999999999999"), None);
    }

    #[test]
    fn updates_keep_or_replace_references() {
        let mut idx = task_index();
        idx.update(157, "Báo cáo mới");
        assert_eq!(ids(&idx.search("V.1.5/SNV/2026-Q1")), [157]);
        idx.update_with_reference(157, "Báo cáo mới", "V.1.5/SNV/2026-Q2");
        assert!(idx.search("V.1.5/SNV/2026-Q1").is_empty());
        assert_eq!(ids(&idx.search("v.1.5/snv/2026-q2")), [157]);
        let pos = idx.update_with_reference(2000, "Mới", "V.9.9");
        assert_eq!(idx.id(pos), Some(2000));
        assert_eq!(ids(&idx.search("V.9.9")), [2000]);
    }

    fn vietnamese_text() -> impl Strategy<Value = String> {
        proptest::string::string_regex("[ nođoôộiíuvụdaấ\u{301}\u{323}Ð.-]{0,24}")
            .unwrap_or_else(|_| unreachable!())
    }

    proptest! {
        #[test]
        fn search_never_panics(texts in proptest::collection::vec(any::<String>(), 0..8),
                               query in any::<String>()) {
            let idx = SearchIndex::new(texts.iter().enumerate().map(|(i, t)| (i as i64, t)));
            let hits = idx.search(&query);
            prop_assert!(hits.windows(2).all(|w| w[0].pos < w[1].pos));
            for t in &texts {
                let _ = matches(&query, t);
            }
        }

        #[test]
        fn narrowing_is_exact_for_arbitrary_strings(
            texts in proptest::collection::vec(any::<String>(), 0..8),
            q1 in any::<String>(),
            more in any::<String>(),
        ) {
            // Exact terms (`#1`, `v.1`) are searched afresh, never narrowed (see `narrows`).
            prop_assume!(!has_exact_terms(&q1));
            let idx = SearchIndex::new(texts.iter().enumerate().map(|(i, t)| (i as i64, t)));
            let q2 = format!("{q1}{more}");
            let first = idx.search(&q1);
            prop_assert_eq!(idx.search_within(&q2, &positions(&first)), idx.search(&q2));
        }

        #[test]
        fn narrowing_is_exact_for_vietnamese_like_text(
            texts in proptest::collection::vec(vietnamese_text(), 0..12),
            q1 in vietnamese_text(),
            more in vietnamese_text(),
        ) {
            let idx = SearchIndex::new(texts.iter().enumerate().map(|(i, t)| (i as i64, t)));
            let q2 = format!("{q1}{more}");
            let first = idx.search(&q1);
            prop_assert_eq!(idx.search_within(&q2, &positions(&first)), idx.search(&q2));
        }

        #[test]
        fn narrowing_is_exact_on_a_tiny_alphabet(
            // Few letters make long, gappy matches common, which is where a rule that is not
            // prefix-closed would show.
            texts in proptest::collection::vec("[ab. ]{0,40}", 0..12),
            q1 in "[ab ]{0,12}",
            more in "[ab ]{0,12}",
        ) {
            let idx = SearchIndex::new(texts.iter().enumerate().map(|(i, t)| (i as i64, t)));
            let q2 = format!("{q1}{more}");
            let first = idx.search(&q1);
            prop_assert_eq!(idx.search_within(&q2, &positions(&first)), idx.search(&q2));
        }

        #[test]
        fn narrowing_is_exact_with_gappy_occurrences(
            q2 in "[abc]{1,16}",
            gaps in proptest::collection::vec(
                proptest::sample::select(vec![0usize, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3]),
                16,
            ),
            cut in 0..16usize,
            others in proptest::collection::vec("[abc. ]{0,30}", 0..4),
        ) {
            // The query itself spread out with a few gaps: right at the compactness limits.
            let spread: String = q2
                .chars()
                .zip(&gaps)
                .flat_map(|(c, &gap)| std::iter::repeat_n('.', gap).chain([c]))
                .collect();
            let mut texts = others;
            texts.push(spread);
            let idx = SearchIndex::new(texts.iter().enumerate().map(|(i, t)| (i as i64, t)));
            let q1: String = q2.chars().take(cut).collect();
            let first = idx.search(&q1);
            prop_assert_eq!(idx.search_within(&q2, &positions(&first)), idx.search(&q2));
        }

        #[test]
        fn exact_shortcut_picks_the_same_window(text in "[ab. ]{0,30}", query in "[ab ]{1,5}") {
            let q = Query::new(query);
            let hay = text.as_bytes();
            let first = q.chars[0];
            let slow = best_window(hay, q.text.as_bytes(), &q.max_span, |_| true, |from| {
                Some(from + text.get(from..)?.find(first)?)
            });
            if let Some(fast) = exact_window(&text, &q) {
                let slow = slow.map(|w| (w.start, w.end, w.span, w.word_start));
                prop_assert_eq!(Some((fast.start, fast.end, fast.span, fast.word_start)), slow);
            }
        }

        #[test]
        fn matches_agrees_with_the_index(text in vietnamese_text(), query in vietnamese_text()) {
            let idx = SearchIndex::new([(1, text.as_str())]);
            let hit = idx.search(&query).first().map(|h| h.score);
            prop_assert_eq!(hit, matches(&normalize(&query), &normalize(&text)));
        }
    }
}
