//! One term's compact phrase matching: the presence masks that skip most texts, the search
//! for the best compact window, and skim's score of that window.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use fuzzy_matcher::FuzzyMatcher;
use fuzzy_matcher::skim::SkimMatcherV2;

use super::slack;

/// Bit standing for a character in the per-item presence mask. Any fixed mapping is correct
/// (a character of the query present in a text sets the same bit in both masks); this one keeps
/// letters, digits and space apart, which is what folded Vietnamese queries are made of.
pub(super) fn char_bit(c: char) -> u64 {
    match c {
        'a'..='z' => 1 << (c as u32 - 'a' as u32),
        '0'..='9' => 1 << (26 + c as u32 - '0' as u32),
        ' ' => 1 << 36,
        c if c.is_ascii() => 1 << (37 + c as u32 % 26),
        _ => 1 << 63,
    }
}

pub(super) fn mask_of(s: &str) -> u64 {
    if s.is_ascii() {
        // Folded texts are mostly ASCII: bytes are characters, no decoding needed.
        return s.bytes().fold(0, |mask, b| mask | char_bit(char::from(b)));
    }
    s.chars().fold(0, |mask, c| mask | char_bit(c))
}

/// One item; its normalised text is `arena[start..end]` in the index.
#[derive(Debug, Clone)]
pub(super) struct Item {
    pub(super) id: i64,
    pub(super) start: usize,
    pub(super) end: usize,
    pub(super) mask: u64,
    pub(super) chars: usize,
}

impl Item {
    pub(super) fn new(id: i64, text: &str, start: usize) -> Self {
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
pub(super) type Memo<K> = HashMap<K, i64, BuildHasherDefault<Fnv>>;

/// A memo key made from a window of a text that lives for `'a`.
pub(super) trait MemoKey<'a>:
    std::borrow::Borrow<str> + Eq + std::hash::Hash + From<&'a str>
{
}
impl<'a, K: std::borrow::Borrow<str> + Eq + std::hash::Hash + From<&'a str>> MemoKey<'a> for K {}

#[derive(Default)]
pub(super) struct Fnv(u64);

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
pub(super) struct Query {
    pub(super) text: String,
    pub(super) chars: Vec<char>,
    pub(super) mask: u64,
    /// `max_span[k - 1]`: the widest the first `k` matched characters may be spread.
    pub(super) max_span: Vec<usize>,
    /// For ASCII queries, the index of the rarest character, searched for first.
    pub(super) anchor: usize,
}

impl Query {
    pub(super) fn new(text: String) -> Self {
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
    pub(super) fn score<'a, K: MemoKey<'a>>(
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
pub(super) fn skim_score(window: &str, query: &str) -> i64 {
    let matcher = SkimMatcherV2::default().respect_case();
    // Haystack and query are both folded, so exact comparison keeps skim's idea of a match
    // identical to ours; the window contains the query in order, so 0 is only a fallback.
    matcher.fuzzy_match(window, query).unwrap_or(0)
}

/// A compact occurrence of the query: `start..end` in units of the scanned slice.
#[derive(Debug, Clone, Copy)]
pub(super) struct Window {
    pub(super) start: usize,
    pub(super) end: usize,
    /// Characters from the first to the last matched one, inclusive.
    pub(super) span: usize,
    pub(super) word_start: bool,
}

/// The best compact occurrence of `q` in `h` (smallest span, then at a word start, then
/// earliest), or `None`. `counts` tells which units of `h` start a character (all of them for
/// `char` slices; not UTF-8 continuation bytes for byte slices, where `q` must be ASCII).
/// `find_first(from)` is the next index at or after `from` holding `q[0]` (a fast search).
pub(super) fn best_window<T: Copy + PartialEq + WordChar>(
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
pub(super) fn exact_window(text: &str, query: &Query) -> Option<Window> {
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
pub(super) fn find_exact(text: &str, query: &Query, from: usize) -> Option<usize> {
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
pub(super) fn commonness(b: u8) -> usize {
    const BY_FREQUENCY: &[u8] = b"xqpkysbrvlmedugocatihn ";
    BY_FREQUENCY
        .iter()
        .position(|&c| c == b)
        .map_or(0, |i| i + 1)
}

/// Whether the character just before `start` is a letter or digit (for the word-start
/// preference); false at the beginning.
pub(super) trait WordChar: Sized {
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
