//! The desired schema restricted to what its source is authoritative for
//! ([`autogen_schema::Authority`]): every fact the source does not state is copied from the
//! current side, so the rest of the differ finds nothing to add, drop or alter there. Being
//! a change of the desired side, it holds for the up plan and for its inverse alike.

use autogen_schema::{
    Authority, Column, Dialect, Facts, ForeignKey, Index, IndexTarget, QualifiedName, Schema, Table,
};

/// `current` is the current side with the rename hints applied (desired-side names). Callers
/// skip it when the source [`states_everything`] (nothing would change, and no copy is made).
pub(crate) fn scope(current: &Schema, mut out: Schema, authority: &Authority) -> Schema {
    let dialect = out.dialect;
    let desired_tables: std::collections::BTreeSet<QualifiedName> =
        out.tables().map(|(name, _)| name).collect();
    for (schema, namespace) in out.schemas.iter_mut() {
        let Some(was) = current.schemas.get(schema) else {
            continue;
        };
        for (name, en) in namespace.enums.iter_mut() {
            let qualified = QualifiedName::new(schema, name);
            let Some(old) = was.enums.get(name) else {
                continue;
            };
            if !authority.states_labels_of(&qualified) {
                en.labels = old.labels.clone();
            }
            if !authority.facts.comments {
                en.comment = old.comment.clone();
            }
        }
        if !authority.facts.identity {
            // Serial columns own their sequences; a source that cannot say "serial" cannot
            // say "no sequence" either. Sequences of dropped columns go with them.
            for (name, sequence) in &was.sequences {
                let owner_stays = sequence.owned_by.as_ref().is_none_or(|owner| {
                    namespace_has_column(&namespace.tables, schema, &owner.table, &owner.column)
                });
                if owner_stays {
                    namespace
                        .sequences
                        .entry(name.clone())
                        .or_insert_with(|| sequence.clone());
                }
            }
        }
        for (name, table) in namespace.tables.iter_mut() {
            let Some(old) = was.tables.get(name) else {
                continue;
            };
            let facts = authority.for_table(&QualifiedName::new(schema, name));
            scope_table(old, table, facts, dialect, &|t| desired_tables.contains(t));
        }
    }
    out
}

fn namespace_has_column(
    tables: &std::collections::BTreeMap<String, Table>,
    schema: &str,
    table: &QualifiedName,
    column: &str,
) -> bool {
    table.schema == schema
        && tables
            .get(&table.name)
            .is_some_and(|t| t.column(column).is_some())
}

/// Whether the source states every fact, so that scoping changes nothing.
pub(crate) fn states_everything(authority: &Authority) -> bool {
    authority.is_full() && authority.enum_labels.is_empty()
}

fn scope_table(
    old: &Table,
    table: &mut Table,
    facts: Facts,
    dialect: Dialect,
    table_stays: &dyn Fn(&QualifiedName) -> bool,
) {
    for column in table.columns.iter_mut() {
        if let Some(was) = old.column(&column.name) {
            scope_column(was, column, facts, dialect);
        }
    }
    let has = |name: &str| table.columns.iter().any(|c| c.name == name);
    if !facts.indexes {
        table.indexes = old
            .indexes
            .iter()
            .filter(|(_, index)| index_columns_stay(index, &has))
            .map(|(name, index)| (name.clone(), index.clone()))
            .collect();
    }
    if !facts.uniques {
        table.uniques = old
            .uniques
            .iter()
            .filter(|(_, u)| u.columns.iter().all(|c| has(c)))
            .map(|(name, u)| (name.clone(), u.clone()))
            .collect();
    }
    if !facts.checks {
        table.checks = old.checks.clone();
    }
    if !facts.comments {
        table.comment = old.comment.clone();
    }
    if !facts.constraint_names
        && let (Some(pk), Some(was)) = (table.primary_key.as_mut(), old.primary_key.as_ref())
        && pk.columns == was.columns
    {
        pk.name = was.name.clone();
    }
    scope_foreign_keys(old, table, facts, table_stays);
}

fn scope_column(was: &Column, column: &mut Column, facts: Facts, dialect: Dialect) {
    if facts.types.agrees(&was.ty, &column.ty, dialect) {
        column.ty = was.ty.clone();
    }
    if !facts.defaults {
        column.default = was.default.clone();
        column.generated = was.generated.clone();
    }
    if !facts.identity {
        column.identity = was.identity.clone();
    }
    if !facts.comments {
        column.comment = was.comment.clone();
    }
    if !facts.collations {
        column.collation = was.collation.clone();
    }
}

fn index_columns_stay(index: &Index, has: &impl Fn(&str) -> bool) -> bool {
    index.keys.iter().all(|key| match &key.target {
        IndexTarget::Column(name) => has(name),
        IndexTarget::Expression(_) => true,
    }) && index.include.iter().all(|c| has(c))
}

/// A listed foreign key takes the current one's name and actions when it has the same columns
/// and target; an unlisted current one stays unless the source lists every foreign key.
fn scope_foreign_keys(
    old: &Table,
    table: &mut Table,
    facts: Facts,
    table_stays: &dyn Fn(&QualifiedName) -> bool,
) {
    let same = |a: &ForeignKey, b: &ForeignKey| {
        a.columns == b.columns
            && a.referenced_table == b.referenced_table
            && a.referenced_columns == b.referenced_columns
    };
    let listed: Vec<ForeignKey> = table.foreign_keys.values().cloned().collect();
    let mut scoped = autogen_schema::NameMap::new();
    for mut fk in listed {
        if let Some(was) = old.foreign_keys.values().find(|was| same(was, &fk)) {
            if !facts.constraint_names {
                fk.name = was.name.clone();
            }
            if !facts.foreign_key_actions {
                fk.on_delete = was.on_delete;
                fk.on_update = was.on_update;
                fk.deferrable = was.deferrable;
                fk.match_type = was.match_type;
            }
        }
        scoped.insert(fk.name.clone(), fk);
    }
    if !facts.unlisted_foreign_keys {
        let has = |name: &str| table.columns.iter().any(|c| c.name == name);
        for was in old.foreign_keys.values() {
            let listed = scoped.values().any(|fk| same(fk, was));
            if !listed && was.columns.iter().all(|c| has(c)) && table_stays(&was.referenced_table) {
                scoped
                    .entry(was.name.clone())
                    .or_insert_with(|| was.clone());
            }
        }
    }
    table.foreign_keys = scoped;
}
