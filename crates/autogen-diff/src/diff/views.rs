//! Views and triggers, compared by their definitions' text (`same_definition`). A source that
//! does not state them (models cannot declare either, `Authority::views_and_triggers`) leaves
//! them as they are, except the triggers of a table or view that goes: they go with it, as
//! steps of their own so that the down plan creates them again.

use std::borrow::Cow;
use std::collections::BTreeMap;

use autogen_schema::{Namespace, QualifiedName, Schema, Trigger, View, same_definition};

use crate::Change;
use crate::diff::{Sides, union_keys};

pub(crate) fn diff(sides: &Sides<'_>, stated: bool, out: &mut Vec<Change>) {
    let (was_all, want_all) = (&sides.renamed.schemas, &sides.desired.schemas);
    for schema in union_keys(Some(was_all), Some(want_all)) {
        let was = was_all.get(schema);
        let want = want_all.get(schema);
        let (views, triggers) = desired_side(was, want, stated);
        let current_views = was.map(|ns| &ns.views);
        for name in union_keys(current_views, Some(views.as_ref())) {
            let q = QualifiedName::new(schema, name);
            match (current_views.and_then(|v| v.get(name)), views.get(name)) {
                (None, Some(view)) => out.push(Change::CreateView {
                    name: q,
                    definition: view.clone(),
                }),
                (Some(view), None) => out.push(Change::DropView {
                    name: q,
                    definition: view.clone(),
                }),
                (Some(from), Some(to)) if !same_definition(&from.definition, &to.definition) => out
                    .push(Change::ReplaceView {
                        name: q,
                        from: from.clone(),
                        to: to.clone(),
                    }),
                (Some(_), Some(_)) | (None, None) => {}
            }
        }
        let current_triggers = was.map(|ns| &ns.triggers);
        for name in union_keys(current_triggers, Some(triggers.as_ref())) {
            let q = QualifiedName::new(schema, name);
            match (
                current_triggers.and_then(|t| t.get(name)),
                triggers.get(name),
            ) {
                (None, Some(trigger)) => out.push(Change::CreateTrigger {
                    name: q,
                    definition: trigger.clone(),
                }),
                (Some(trigger), None) => out.push(Change::DropTrigger {
                    name: q,
                    definition: trigger.clone(),
                }),
                (Some(from), Some(to))
                    if from.table != to.table
                        || !same_definition(&from.definition, &to.definition) =>
                {
                    out.push(Change::ReplaceTrigger {
                        name: q,
                        from: from.clone(),
                        to: to.clone(),
                    })
                }
                (Some(_), Some(_)) | (None, None) => {}
            }
        }
    }
}

type Wanted<'a> = (
    Cow<'a, BTreeMap<String, View>>,
    Cow<'a, BTreeMap<String, Trigger>>,
);

/// The views and triggers one namespace should have: the desired side's when its source
/// states them; otherwise the current ones (`was`, renames applied), less the triggers whose
/// table or view the desired side does not have.
fn desired_side<'a>(
    was: Option<&'a Namespace>,
    want: Option<&'a Namespace>,
    stated: bool,
) -> Wanted<'a> {
    static EMPTY_VIEWS: BTreeMap<String, View> = BTreeMap::new();
    static EMPTY_TRIGGERS: BTreeMap<String, Trigger> = BTreeMap::new();
    if stated {
        return match want {
            Some(ns) => (Cow::Borrowed(&ns.views), Cow::Borrowed(&ns.triggers)),
            None => (Cow::Borrowed(&EMPTY_VIEWS), Cow::Borrowed(&EMPTY_TRIGGERS)),
        };
    }
    let Some(was) = was else {
        return (Cow::Borrowed(&EMPTY_VIEWS), Cow::Borrowed(&EMPTY_TRIGGERS));
    };
    let stays =
        |on: &str| want.is_some_and(|w| w.tables.contains_key(on)) || was.views.contains_key(on);
    let triggers = if was.triggers.values().all(|t| stays(&t.table)) {
        Cow::Borrowed(&was.triggers)
    } else {
        Cow::Owned(
            was.triggers
                .iter()
                .filter(|(_, t)| stays(&t.table))
                .map(|(n, t)| (n.clone(), t.clone()))
                .collect(),
        )
    };
    (Cow::Borrowed(&was.views), triggers)
}

/// `desired` with the views and triggers the differ compares it with, when its source does not
/// state them (see [`diff`]): what a caller reports as the desired side.
pub(crate) fn fill_unstated(renamed: &Schema, desired: &mut Schema) {
    for (schema, want) in desired.schemas.iter_mut() {
        let (views, triggers) = desired_side(renamed.schemas.get(schema), Some(want), false);
        let (views, triggers) = (views.into_owned(), triggers.into_owned());
        want.views = views;
        want.triggers = triggers;
    }
}
