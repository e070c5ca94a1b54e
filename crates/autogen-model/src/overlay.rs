//! One model source layered over another: a native `#[autogen(..)]` models path that states
//! what a Diesel `schema.rs` cannot (enum labels, defaults, indexes, uniques, checks, foreign
//! key actions, comments).
//!
//! - An enum of the overlay gives its labels (and comment) to the base's enum of the same
//!   name, or is added; the labels are then stated.
//! - A table of the overlay with the base's name adds what it states, kind by kind, and is
//!   authoritative for each kind it states, for that table as a whole: one index stated means
//!   every index of the table is stated. Its columns give defaults, generated expressions and
//!   comments to the base's columns of the same name; types, nullability, keys and columns
//!   stay the base's (a column only the overlay has is ignored). Its foreign keys with the
//!   base's columns and target give their names and actions; others are added. Identity is
//!   never taken from the overlay: the native reader makes every single integer key an
//!   identity by default, which the overlay author did not necessarily mean.
//! - A table only the overlay declares is added whole, with everything stated.

use autogen_schema::{Facts, ForeignKey, QualifiedName, Table};

use crate::ModelOutput;

/// `base` with `extra` layered over it; diagnostics, renames and backfills of both.
pub fn overlay(base: ModelOutput, extra: ModelOutput) -> ModelOutput {
    let mut out = base;
    out.diagnostics.extend(extra.diagnostics);
    out.renames.extend(extra.renames);
    // The overlay's backfill of a column replaces the base's.
    out.backfills.retain(|b| {
        !extra
            .backfills
            .iter()
            .any(|e| e.table == b.table && e.column == b.column)
    });
    out.backfills.extend(extra.backfills);

    for (name, en) in extra.schema.enums() {
        let target = out.schema.namespace_mut(&name.schema);
        match target.enums.get_mut(&name.name) {
            Some(existing) => {
                existing.labels = en.labels.clone();
                if en.comment.is_some() {
                    existing.comment = en.comment.clone();
                }
            }
            None => {
                target.enums.insert(name.name.clone(), en.clone());
            }
        }
        out.authority.enum_labels.insert(name);
    }
    for (name, table) in extra.schema.tables() {
        let stated = match out.schema.table(&name).cloned() {
            Some(mut base) => {
                let stated = merge_table(&mut base, table);
                out.schema
                    .namespace_mut(&name.schema)
                    .tables
                    .insert(name.name.clone(), base);
                stated
            }
            None => {
                out.schema
                    .namespace_mut(&name.schema)
                    .tables
                    .insert(name.name.clone(), table.clone());
                Facts::ALL
            }
        };
        widen(&mut out, name, stated);
    }
    out
}

fn widen(out: &mut ModelOutput, name: QualifiedName, stated: Facts) {
    let entry = out.authority.tables.entry(name).or_insert(Facts::NONE);
    *entry = entry.union(stated);
}

/// Adds to `base` what `extra` states; returns the kinds it states.
fn merge_table(base: &mut Table, extra: &Table) -> Facts {
    let mut stated = Facts::NONE;
    for column in &extra.columns {
        let Some(target) = base.columns.iter_mut().find(|c| c.name == column.name) else {
            continue;
        };
        if column.default.is_some() || column.generated.is_some() {
            stated.defaults = true;
            target.default = column.default.clone();
            target.generated = column.generated.clone();
        }
        if column.comment.is_some() {
            stated.comments = true;
            target.comment = column.comment.clone();
        }
        if column.collation.is_some() {
            stated.collations = true;
            target.collation = column.collation.clone();
        }
    }
    if !extra.indexes.is_empty() {
        stated.indexes = true;
        base.indexes = extra.indexes.clone();
    }
    if !extra.uniques.is_empty() {
        stated.uniques = true;
        base.uniques = extra.uniques.clone();
    }
    if !extra.checks.is_empty() {
        stated.checks = true;
        base.checks = extra.checks.clone();
    }
    if extra.comment.is_some() {
        stated.comments = true;
        base.comment = extra.comment.clone();
    }
    if !extra.foreign_keys.is_empty() {
        stated.foreign_key_actions = true;
        stated.constraint_names = true;
        for fk in extra.foreign_keys.values() {
            let same = |b: &ForeignKey| {
                b.columns == fk.columns
                    && b.referenced_table == fk.referenced_table
                    && b.referenced_columns == fk.referenced_columns
            };
            base.foreign_keys.retain(|_, b| !same(b));
            base.foreign_keys.insert(fk.name.clone(), fk.clone());
        }
    }
    stated
}
