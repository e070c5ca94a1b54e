//! Renames as PostgreSQL does them: references to a table or column (foreign keys, keys,
//! indexes, sequence owners) follow it, since they point at the object and not at its name.

use autogen_schema::{IndexTarget, QualifiedName, Schema};

use super::{ApplyError, fail, namespace, table_mut};
use crate::SequenceRename;
use crate::refs::{default_uses_sequence, uses_enum};

pub(super) fn rename_table(
    schema: &mut Schema,
    from: &QualifiedName,
    to: &QualifiedName,
    sequences: &[SequenceRename],
) -> Result<(), ApplyError> {
    if schema.table(to).is_some() {
        return fail(format!("table {to} exists"));
    }
    namespace(schema, &to.schema)?;
    let Some(mut table) = schema
        .schemas
        .get_mut(&from.schema)
        .and_then(|ns| ns.tables.remove(&from.name))
    else {
        return fail(format!("table {from} does not exist"));
    };
    table.name = to.name.clone();
    if schema.dialect == autogen_schema::Dialect::Sqlite {
        follow_rename(&mut table, &from.name, &to.name);
    }
    namespace(schema, &to.schema)?
        .tables
        .insert(to.name.clone(), table);
    // Foreign keys and sequence owners point at the table itself, not at its name.
    for ns in schema.schemas.values_mut() {
        for t in ns.tables.values_mut() {
            for fk in t.foreign_keys.iter_mut().map(|(_, v)| v) {
                if &fk.referenced_table == from {
                    fk.referenced_table = to.clone();
                }
            }
        }
        for s in ns.sequences.values_mut() {
            if let Some(owner) = s.owned_by.as_mut().filter(|o| &o.table == from) {
                owner.table = to.clone();
            }
        }
    }
    // So do triggers; SQLite also rewrites the name in the text of every view and trigger,
    // which a later rebuild in the same plan creates again as it then is.
    let sqlite = schema.dialect == autogen_schema::Dialect::Sqlite;
    if from.schema == to.schema
        && let Some(ns) = schema.schemas.get_mut(&from.schema)
    {
        let rewrite = |text: &mut String| {
            if sqlite && autogen_schema::naming::sqlite::names(text, &from.name) {
                *text = autogen_schema::naming::sqlite::rename_in(text, &from.name, &to.name);
            }
        };
        for trigger in ns.triggers.values_mut() {
            if trigger.table == from.name {
                trigger.table = to.name.clone();
            }
            rewrite(&mut trigger.definition);
        }
        for view in ns.views.values_mut() {
            rewrite(&mut view.definition);
        }
    }
    for rename in sequences.iter().filter(|r| !r.identity) {
        rename_owned_sequence(schema, to, rename)?;
    }
    Ok(())
}

/// SQLite's constraints left unnamed in the table's text take their names from the table when
/// they are read (`naming::sqlite`): renamed, the table gives them new ones.
fn follow_rename(table: &mut autogen_schema::Table, from: &str, to: &str) {
    let renamed = |name: &str| autogen_schema::naming::sqlite::follow_rename(name, from, to);
    if let Some(pk) = table.primary_key.as_mut()
        && let Some(name) = renamed(&pk.name)
    {
        pk.name = name;
    }
    fn rekey<V>(
        map: &mut autogen_schema::NameMap<V>,
        renamed: &impl Fn(&str) -> Option<String>,
        set: impl Fn(&mut V, String),
    ) {
        let entries: Vec<(String, V)> = std::mem::take(map).into_iter().collect();
        for (name, mut value) in entries {
            let name = match renamed(&name) {
                Some(new) => {
                    set(&mut value, new.clone());
                    new
                }
                None => name,
            };
            map.insert(name, value);
        }
    }
    rekey(&mut table.uniques, &renamed, |u, n| u.name = n);
    rekey(&mut table.checks, &renamed, |c, n| c.name = n);
    rekey(&mut table.foreign_keys, &renamed, |f, n| f.name = n);
}

/// A `serial` column's sequence renamed with its table (`to`, already renamed): the sequence
/// takes its new name, and the column's `nextval` default names it so (PostgreSQL stores the
/// sequence's OID and prints its current name).
fn rename_owned_sequence(
    schema: &mut Schema,
    table: &QualifiedName,
    rename: &SequenceRename,
) -> Result<(), ApplyError> {
    let ns = namespace(schema, &table.schema)?;
    if ns.sequences.contains_key(&rename.to) {
        return fail(format!("sequence {}.{} exists", table.schema, rename.to));
    }
    let Some(mut sequence) = ns.sequences.remove(&rename.from) else {
        return fail(format!(
            "sequence {}.{} does not exist",
            table.schema, rename.from
        ));
    };
    sequence.name = rename.to.clone();
    ns.sequences.insert(rename.to.clone(), sequence);
    let old = QualifiedName::new(&table.schema, &rename.from);
    let new = QualifiedName::new(&table.schema, &rename.to);
    let column = table_mut(schema, table)?
        .columns
        .iter_mut()
        .find(|c| c.name == rename.column);
    if let Some(column) = column
        && column
            .default
            .as_deref()
            .is_some_and(|d| default_uses_sequence(d, &old, &table.schema))
    {
        column.default = Some(nextval(&new));
    }
    Ok(())
}

/// `nextval('<schema>.<name>'::regclass)` as PostgreSQL prints a column default (search_path
/// empty), and as the model reader writes a `serial` column's: a name is quoted unless it is
/// lowercase letters, digits and underscores (SQL keywords, which would be quoted too, do not
/// end in `_seq`).
fn nextval(sequence: &QualifiedName) -> String {
    let ident = |name: &str| {
        let plain = name.starts_with(|c: char| c.is_ascii_lowercase() || c == '_')
            && name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        if plain {
            name.to_owned()
        } else {
            format!("\"{}\"", name.replace('"', "\"\""))
        }
    };
    let name = format!("{}.{}", ident(&sequence.schema), ident(&sequence.name));
    format!("nextval('{}'::regclass)", name.replace('\'', "''"))
}

/// Renames a column and every structured reference to it. Expressions (checks, index
/// expressions, generated columns) are text and keep the old spelling; the differ then sees them
/// differ and replaces them, which is correct if not minimal.
pub(super) fn rename_column(
    schema: &mut Schema,
    table_name: &QualifiedName,
    from: &str,
    to: &str,
) -> Result<(), ApplyError> {
    let table = table_mut(schema, table_name)?;
    if table.column(to).is_some() {
        return fail(format!("column {table_name}.{to} exists"));
    }
    let Some(column) = table.columns.iter_mut().find(|c| c.name == from) else {
        return fail(format!("column {table_name}.{from} does not exist"));
    };
    column.name = to.to_owned();
    let rename = |names: &mut Vec<String>| {
        for n in names.iter_mut() {
            if n == from {
                *n = to.to_owned();
            }
        }
    };
    if let Some(pk) = &mut table.primary_key {
        rename(&mut pk.columns);
    }
    for u in table.uniques.iter_mut().map(|(_, v)| v) {
        rename(&mut u.columns);
    }
    for fk in table.foreign_keys.iter_mut().map(|(_, v)| v) {
        rename(&mut fk.columns);
    }
    for index in table.indexes.iter_mut().map(|(_, v)| v) {
        rename(&mut index.include);
        for key in &mut index.keys {
            match &mut key.target {
                IndexTarget::Column(c) if c == from => *c = to.to_owned(),
                IndexTarget::Column(_) | IndexTarget::Expression(_) => {}
            }
        }
    }
    for ns in schema.schemas.values_mut() {
        for t in ns.tables.values_mut() {
            for fk in t.foreign_keys.iter_mut().map(|(_, v)| v) {
                if &fk.referenced_table == table_name {
                    rename(&mut fk.referenced_columns);
                }
            }
        }
        for s in ns.sequences.values_mut() {
            if let Some(owner) = s
                .owned_by
                .as_mut()
                .filter(|o| &o.table == table_name && o.column == from)
            {
                owner.column = to.to_owned();
            }
        }
    }
    Ok(())
}

/// A default that is one label of the enum (`'old'::status`) names the label by its identity,
/// so PostgreSQL prints the new label after a rename.
pub(super) fn rename_enum_label_in_defaults(
    schema: &mut Schema,
    name: &QualifiedName,
    from: &str,
    to: &str,
) {
    let old = format!("{}::", autogen_schema::quote_literal(from));
    let new = format!("{}::", autogen_schema::quote_literal(to));
    for ns in schema.schemas.values_mut() {
        for t in ns.tables.values_mut() {
            for c in t.columns.iter_mut().filter(|c| uses_enum(c, name)) {
                let renamed = c
                    .default
                    .as_deref()
                    .and_then(|d| d.strip_prefix(&old))
                    .map(|rest| format!("{new}{rest}"));
                if renamed.is_some() {
                    c.default = renamed;
                }
            }
        }
    }
}
