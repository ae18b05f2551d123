//! The status bar's key hints: which actions the hint line offers in each context, in order.
//! What each is called there and whether it writes are the action table's (`Action::hint`,
//! `Action::writes`); the keys always come from the merged [`Keymap`], so a key rebound in the
//! config file shows as its new key.

use super::{Context, Key, Keymap};
use crate::model::Lang;
use crate::tui::action::Action;

use Action as A;

/// The hint line of `context`, in the order shown (as many as fit the width, left first).
pub fn hint_line(context: Context) -> &'static [Action] {
    match context {
        Context::Browse => &[
            A::Help,
            A::Close,
            A::Search,
            A::ToggleOverdue,
            // Shown on the overdue list only (`views/status.rs`), greyed without the right.
            A::Remind,
            A::SetPercent,
            A::SetStatus,
            A::AddNote,
            A::EditTask,
            A::AddTask,
            A::Undo,
            A::CycleSort,
            A::ToggleNav,
            A::Indicators,
            A::Meeting,
        ],
        Context::Indicators => &[A::Help, A::Back, A::RecordMeasurement, A::Meeting],
        // Recording has no default key here; a config file may give it one.
        Context::Meeting => &[A::Help, A::Back, A::RecordMeasurement, A::Meeting],
        Context::Help => &[A::Back, A::MoveDown, A::PageDown, A::Search],
        Context::Search => &[A::Confirm, A::Cancel, A::MoveDown, A::Complete],
        Context::Command => &[A::Complete, A::Confirm, A::Cancel],
        // The one-field prompts (percent, note).
        Context::Popup => &[A::Confirm, A::Cancel],
        Context::Form => &[A::NextField, A::Confirm, A::Cancel],
        Context::StatusPicker => &[A::MoveDown, A::PickStatus1, A::Confirm, A::Cancel],
        Context::Confirm => &[A::Confirm, A::Cancel],
        Context::LongNote => &[A::NewLine, A::Confirm, A::Cancel],
        Context::Notice => &[A::Confirm],
        Context::Global | Context::Text => &[],
    }
}

impl Keymap {
    /// The hint line for `context`: (first key, short label) for each action of
    /// [`hint_line`] that still has a key there; writing actions only when `can_write`.
    pub fn hints(&self, context: Context, can_write: bool, lang: Lang) -> Vec<(Key, &'static str)> {
        hint_line(context)
            .iter()
            .filter(|a| can_write || !a.writes())
            .filter_map(|&a| {
                let key = self.keys_for(a, context).into_iter().next()?;
                Some((key, a.hint(context, lang)?))
            })
            .collect()
    }

    /// Every key that asks for `action` in `context`, as a popup's own line names them
    /// ("y/enter"); `None` when the user left it none.
    pub fn key_list(&self, action: Action, context: Context) -> Option<String> {
        let keys = self.keys_for(action, context);
        (!keys.is_empty()).then(|| {
            keys.iter()
                .map(Key::to_string)
                .collect::<Vec<_>>()
                .join("/")
        })
    }

    /// A popup's own line of keys, as the user bound them, each with its hint label in
    /// `context`: "y/enter: đồng ý · n/esc: huỷ". An action whose keys were all unbound is
    /// left out; two actions with the same label share it ("enter/esc: đóng").
    pub fn key_line(&self, context: Context, actions: &[Action], lang: Lang) -> String {
        self.labelled_key_line(
            context,
            actions
                .iter()
                .filter_map(|&a| Some((a, a.hint(context, lang)?))),
        )
    }

    /// As [`key_line`](Self::key_line), in the popup's own words for each action (the letter's
    /// preview says "gửi thư" for confirm).
    pub fn key_line_as(
        &self,
        context: Context,
        actions: &[(Action, &'static str, &'static str)],
        lang: Lang,
    ) -> String {
        self.labelled_key_line(
            context,
            actions.iter().map(|&(a, vi, en)| {
                (
                    a,
                    match lang {
                        Lang::Vi => vi,
                        Lang::En => en,
                    },
                )
            }),
        )
    }

    fn labelled_key_line<'a>(
        &self,
        context: Context,
        actions: impl Iterator<Item = (Action, &'a str)>,
    ) -> String {
        let mut parts: Vec<(String, &str)> = Vec::new();
        for (action, label) in actions {
            let Some(keys) = self.key_list(action, context) else {
                continue;
            };
            match parts.last_mut() {
                Some((shared, last)) if *last == label => {
                    shared.push('/');
                    shared.push_str(&keys);
                }
                _ => parts.push((keys, label)),
            }
        }
        parts
            .iter()
            .map(|(keys, label)| format!("{keys}: {label}"))
            .collect::<Vec<_>>()
            .join(" · ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Context::{Browse, Confirm, Help, Indicators, LongNote};

    #[test]
    fn read_only_sessions_are_not_offered_writing_actions() {
        let keymap = Keymap::default();
        for context in [Browse, Indicators] {
            let all = keymap.hints(context, true, Lang::Vi);
            let read_only = keymap.hints(context, false, Lang::Vi);
            assert!(read_only.len() < all.len(), "{context:?}");
            for (key, _) in &read_only {
                let action = keymap.resolve_key(*key, context).unwrap();
                assert!(!action.writes(), "{context:?}: {key} offers {action}");
            }
        }
    }

    #[test]
    fn every_action_a_hint_line_offers_has_a_label_there() {
        for context in Context::ALL {
            for &action in hint_line(context) {
                for lang in [Lang::Vi, Lang::En] {
                    assert!(
                        action.hint(context, lang).is_some(),
                        "{context:?}: {action} has no hint label"
                    );
                }
            }
        }
    }

    #[test]
    fn every_popup_help_and_search_hint_has_a_default_key() {
        let keymap = Keymap::default();
        for context in Context::ALL
            .into_iter()
            .filter(|c| !c.is_screen() || *c == Help)
        {
            let shown = keymap.hints(context, true, Lang::Vi);
            assert_eq!(
                shown.len(),
                hint_line(context).len(),
                "{context:?}: {shown:?}"
            );
        }
        assert_eq!(
            keymap.hints(Confirm, true, Lang::En)[0],
            ("y".parse().unwrap(), "yes")
        );
        assert_eq!(
            keymap.hints(LongNote, true, Lang::En)[1],
            ("ctrl-s".parse().unwrap(), "save")
        );
    }

    #[test]
    fn every_task_screen_hint_has_a_default_key_and_its_label() {
        let keymap = Keymap::default();
        let shown = keymap.hints(Browse, true, Lang::En);
        assert_eq!(shown.len(), hint_line(Browse).len(), "{shown:?}");
        assert_eq!(shown[0], ("?".parse().unwrap(), "help"));
        assert!(
            shown.contains(&("s".parse().unwrap(), "status")),
            "{shown:?}"
        );
    }

    #[test]
    fn a_popup_key_line_names_every_key_and_shares_a_label() {
        let keymap = Keymap::default();
        assert_eq!(
            keymap.key_line(Confirm, &[Action::Confirm, Action::Cancel], Lang::Vi),
            "y/enter/Y: đồng ý · n/esc/N: huỷ"
        );
        assert_eq!(
            keymap.key_line(
                Context::Notice,
                &[Action::Confirm, Action::Cancel],
                Lang::En
            ),
            "enter/esc: close"
        );
    }
}
