//! [`SearchIndex`]: every item's normalised text in one arena, searched at every keystroke.

use std::collections::HashMap;

use super::phrase::Item;
use super::terms::Terms;
use super::{Hit, PARALLEL_MIN_ITEMS, normalize};

/// Normalised texts of the items (tasks), searchable at every keystroke.
#[derive(Debug, Clone, Default)]
pub struct SearchIndex {
    /// Every normalised text, back to back in input order: a search reads memory in order
    /// instead of chasing one allocation per item (about three times faster on 100,000 tasks).
    pub(super) arena: String,
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
    /// prefix-closed, so this equals a fresh search — when [`narrows`](super::narrows) says so). Unknown
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
