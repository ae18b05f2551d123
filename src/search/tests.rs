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
