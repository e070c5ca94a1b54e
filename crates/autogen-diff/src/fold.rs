//! SQLite reads table, column and index names case-insensitively: `users` and `Users` are one
//! table, and it refuses to rename one into the other. The desired side takes the current
//! side's spelling of every name that SQLite reads as the same, so the differ finds nothing to
//! drop and create (which would collide).

use std::collections::BTreeMap;

use autogen_schema::{Dialect, IndexTarget, Namespace, QualifiedName, Schema, Table};

/// `desired` with each table, column and index name that SQLite reads as one of `current`'s
/// spelled as `current` spells it. Other dialects' names are exact: `desired` as it is.
pub fn spelled_as_current(current: &Schema, mut desired: Schema) -> Schema {
    if desired.dialect != Dialect::Sqlite || !differs_in_case_only(current, &desired) {
        return desired;
    }
    for (schema, ns) in desired.schemas.iter_mut() {
        if let Some(was) = current.schemas.get(schema) {
            fold_namespace(schema, was, ns);
        }
    }
    desired
}

/// As [`spelled_as_current`], copying `desired` only when a name differs in case.
pub(crate) fn spelled_as_current_borrowed<'a>(
    current: &Schema,
    desired: &'a Schema,
) -> std::borrow::Cow<'a, Schema> {
    if desired.dialect != Dialect::Sqlite || !differs_in_case_only(current, desired) {
        return std::borrow::Cow::Borrowed(desired);
    }
    std::borrow::Cow::Owned(spelled_as_current(current, desired.clone()))
}

/// Whether some name of `desired` is one of `current`'s in another case (the cheap test that
/// spares a copy on every other run).
fn differs_in_case_only(current: &Schema, desired: &Schema) -> bool {
    desired.schemas.iter().any(|(schema, ns)| {
        let Some(was) = current.schemas.get(schema) else {
            return false;
        };
        ns.tables
            .iter()
            .any(|(name, table)| match was.tables.get(name) {
                Some(old) => {
                    table.columns.iter().any(|c| {
                        old.column(&c.name).is_none()
                            && find(old.columns.iter().map(|c| &c.name), &c.name).is_some()
                    }) || table.indexes.keys().any(|i| {
                        !old.indexes.contains_key(i) && find(old.indexes.keys(), i).is_some()
                    })
                }
                None => find(was.tables.keys(), name).is_some(),
            })
    })
}

/// The one name of `names` that equals `name` but for case.
fn find<'a>(names: impl Iterator<Item = &'a String>, name: &str) -> Option<&'a String> {
    let mut found = names.filter(|n| n.eq_ignore_ascii_case(name));
    match (found.next(), found.next()) {
        (Some(one), None) => Some(one),
        (Some(_), Some(_)) | (None, _) => None,
    }
}

fn fold_namespace(schema: &str, was: &Namespace, ns: &mut Namespace) {
    // Tables: the current spelling, unless the desired side has that one too.
    let mut tables: BTreeMap<String, String> = BTreeMap::new();
    for name in ns.tables.keys() {
        if was.tables.contains_key(name) {
            continue;
        }
        if let Some(old) = find(was.tables.keys(), name)
            && !ns.tables.contains_key(old)
        {
            tables.insert(name.clone(), old.clone());
        }
    }
    for (from, to) in &tables {
        if let Some(mut table) = ns.tables.remove(from) {
            table.name = to.clone();
            ns.tables.insert(to.clone(), table);
        }
    }
    let table_of =
        |name: &str| -> String { tables.get(name).cloned().unwrap_or_else(|| name.to_owned()) };
    // Columns and indexes of tables on both sides.
    let mut columns: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    for (name, table) in ns.tables.iter_mut() {
        let Some(old) = was.tables.get(name) else {
            continue;
        };
        let renamed = fold_columns(old, table);
        fold_indexes(old, table);
        columns.insert(name.clone(), renamed);
    }
    // References: foreign keys to renamed tables and columns, triggers' tables.
    for table in ns.tables.values_mut() {
        for fk in table.foreign_keys.iter_mut().map(|(_, v)| v) {
            if fk.referenced_table.schema != schema {
                continue;
            }
            let target = table_of(&fk.referenced_table.name);
            if let Some(renamed) = columns.get(&target) {
                for c in fk.referenced_columns.iter_mut() {
                    if let Some(to) = renamed.get(c) {
                        *c = to.clone();
                    }
                }
            }
            fk.referenced_table = QualifiedName::new(schema, target);
        }
    }
    for trigger in ns.triggers.values_mut() {
        trigger.table = table_of(&trigger.table);
    }
}

/// Renames `table`'s columns to `old`'s spelling; returns what it renamed.
fn fold_columns(old: &Table, table: &mut Table) -> BTreeMap<String, String> {
    let mut renamed = BTreeMap::new();
    for column in &table.columns {
        if old.column(&column.name).is_some() {
            continue;
        }
        if let Some(was) = find(old.columns.iter().map(|c| &c.name), &column.name)
            && table.column(was).is_none()
        {
            renamed.insert(column.name.clone(), was.clone());
        }
    }
    if renamed.is_empty() {
        return renamed;
    }
    let map = |c: &mut String| {
        if let Some(to) = renamed.get(c.as_str()) {
            *c = to.clone();
        }
    };
    for column in table.columns.iter_mut() {
        map(&mut column.name);
    }
    if let Some(pk) = table.primary_key.as_mut() {
        pk.columns.iter_mut().for_each(map);
    }
    for unique in table.uniques.iter_mut().map(|(_, v)| v) {
        unique.columns.iter_mut().for_each(map);
    }
    for fk in table.foreign_keys.iter_mut().map(|(_, v)| v) {
        fk.columns.iter_mut().for_each(map);
    }
    for index in table.indexes.iter_mut().map(|(_, v)| v) {
        index.include.iter_mut().for_each(map);
        for key in index.keys.iter_mut() {
            if let IndexTarget::Column(c) = &mut key.target {
                map(c);
            }
        }
    }
    renamed
}

fn fold_indexes(old: &Table, table: &mut Table) {
    let renames: Vec<(String, String)> = table
        .indexes
        .keys()
        .filter(|name| !old.indexes.contains_key(*name))
        .filter_map(|name| {
            let was = find(old.indexes.keys(), name)?;
            (!table.indexes.contains_key(was)).then(|| (name.clone(), was.clone()))
        })
        .collect();
    for (from, to) in renames {
        if let Some(mut index) = table.indexes.remove(&from) {
            index.name = to.clone();
            table.indexes.insert(to, index);
        }
    }
}
