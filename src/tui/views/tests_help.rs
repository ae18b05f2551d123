//! The help screen at 80×24: every key of every context on some page, none cut: the screens',
//! and since issue 11 the popups', the search box's, the command line's and the text fields'.

use crate::model::Lang;

use super::super::action::Action;
use super::super::keymap::Keymap;
use super::super::testkit::{Fixture, Setup, draw_text, fixture};

/// Every page of the help, scrolling down a page at a time until nothing is left below.
fn pages(f: &mut Fixture) -> Vec<String> {
    f.app.update(Action::Help);
    let mut pages = vec![draw_text(f)];
    for _ in 0..50 {
        if !pages.last().unwrap().contains('↓') {
            break;
        }
        f.app.update(Action::PageDown);
        pages.push(draw_text(f));
    }
    pages
}

#[test]
fn every_binding_appears_uncut_on_some_page_at_80x24() {
    for lang in [Lang::Vi, Lang::En] {
        let mut f = fixture(Setup {
            width: 80,
            height: 24,
            lang,
            ..Default::default()
        });
        let pages = pages(&mut f);
        assert!(pages.len() > 1, "the help scrolls at 80×24");
        assert!(
            !pages.last().unwrap().contains('↓'),
            "the last page is reached"
        );
        let all = pages.join("\n");
        for section in Keymap::default().help(lang) {
            assert!(all.contains(section.title), "{}", section.title);
            for entry in &section.entries {
                // The whole key list, on one line, uncut.
                let label = format!("  {}", entry.keys_label());
                assert!(
                    all.lines().any(|l| l.contains(&label)),
                    "{:?} ({}) missing in {lang:?}:\n{all}",
                    entry.keys_label(),
                    entry.action
                );
                // The description's first words too.
                let start: String = entry.description.chars().take(12).collect();
                assert!(all.contains(&start), "{start:?} missing:\n{all}");
            }
        }
        assert!(!all.contains("backspac…"), "{all}");
        // Once fixed in the code, now rows of the keymap that the loop above covers too; the
        // status picker's digits are one row each ("1".."4") since issue 11.
        for fixed in [
            "ctrl-s, alt-enter",
            "y, enter",
            "n, esc",
            "ctrl-u",
            "backspace",
        ] {
            assert!(all.contains(fixed), "{fixed} missing:\n{all}");
        }
        if lang == Lang::Vi {
            println!("{}", pages[0]);
        }
    }
}
