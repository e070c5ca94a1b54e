//! A renamed table keeps its keys, checks, foreign keys and indexes. The differ compares the
//! renamed table with the desired one, so a constraint or index named after the table (the
//! default names: `orders_pkey` becomes `purchases_pkey`) comes out as a drop before the
//! rename and an add after it, and a foreign key pointing at the renamed table as a drop and
//! an add naming the new table. PostgreSQL keeps them all through `ALTER TABLE .. RENAME` (they
//! hang on the table's OID), so such a pair is lowered here as a rename of the object (the
//! add's step) and nothing (the drop's step): no index is rebuilt, no row is checked.
//!
//! This is done in the PostgreSQL lowering rather than in the differ: the plan still says what
//! changes (an object under another name), SQLite and MySQL keep their own SQL for it, and the
//! down plan pairs the same way, so the down file renames back.

use std::collections::{BTreeMap, BTreeSet};

use autogen_diff::Change;
use autogen_schema::{ForeignKey, Index, QualifiedName, quote_ident};

/// For every change that is half of such a pair, the SQL of its step (empty for the drop, a
/// rename or nothing for the add).
pub(crate) fn kept_objects(changes: &[Change]) -> BTreeMap<usize, Vec<String>> {
    let renames: BTreeMap<&QualifiedName, (&QualifiedName, usize)> = changes
        .iter()
        .enumerate()
        .filter_map(|(i, c)| {
            if let Change::RenameTable { from, to, .. } = c {
                Some((from, (to, i)))
            } else {
                None
            }
        })
        .collect();
    let mut out = BTreeMap::new();
    if renames.is_empty() {
        return out;
    }
    let renamed = |t: &QualifiedName| renames.get(t).map_or(t, |(to, _)| *to).clone();
    let mut used = BTreeSet::new();
    for (d, drop) in changes.iter().enumerate() {
        let Some((old_table, old)) = dropped(drop) else {
            continue;
        };
        let new_table = renamed(old_table);
        let touched = new_table != *old_table || old.references_renamed(&renamed);
        if !touched {
            continue;
        }
        let pair = (d + 1..changes.len()).find(|a| {
            !used.contains(a)
                && added(&changes[*a])
                    .is_some_and(|(table, new)| *table == new_table && old.same_as(&new, &renamed))
                && renames
                    .get(old_table)
                    .is_none_or(|(_, r)| d < *r && *r < *a)
        });
        let Some(a) = pair else { continue };
        used.insert(a);
        let Some((_, new)) = added(&changes[a]) else {
            continue;
        };
        out.insert(d, Vec::new());
        out.insert(a, old.rename_to(&new_table, new.name()));
    }
    out
}

/// A key, check, foreign key or index, enough to compare two of them.
enum Object<'a> {
    PrimaryKey(&'a autogen_schema::PrimaryKey),
    Unique(&'a autogen_schema::UniqueConstraint),
    Check(&'a autogen_schema::CheckConstraint),
    ForeignKey(&'a ForeignKey),
    Index(&'a Index),
}

fn dropped(change: &Change) -> Option<(&QualifiedName, Object<'_>)> {
    if let Change::DropPrimaryKey { table, key } = change {
        return Some((table, Object::PrimaryKey(key)));
    }
    if let Change::DropUnique { table, constraint } = change {
        return Some((table, Object::Unique(constraint)));
    }
    if let Change::DropCheck { table, constraint } = change {
        return Some((table, Object::Check(constraint)));
    }
    if let Change::DropForeignKey { table, constraint } = change {
        return Some((table, Object::ForeignKey(constraint)));
    }
    if let Change::DropIndex { table, index } = change {
        return Some((table, Object::Index(index)));
    }
    None
}

fn added(change: &Change) -> Option<(&QualifiedName, Object<'_>)> {
    if let Change::AddPrimaryKey { table, key } = change {
        return Some((table, Object::PrimaryKey(key)));
    }
    if let Change::AddUnique { table, constraint } = change {
        return Some((table, Object::Unique(constraint)));
    }
    if let Change::AddCheck { table, constraint } = change {
        return Some((table, Object::Check(constraint)));
    }
    if let Change::AddForeignKey { table, constraint } = change {
        return Some((table, Object::ForeignKey(constraint)));
    }
    if let Change::CreateIndex { table, index } = change {
        return Some((table, Object::Index(index)));
    }
    None
}

impl Object<'_> {
    fn name(&self) -> &str {
        match self {
            Object::PrimaryKey(k) => &k.name,
            Object::Unique(u) => &u.name,
            Object::Check(c) => &c.name,
            Object::ForeignKey(f) => &f.name,
            Object::Index(i) => &i.name,
        }
    }

    fn references_renamed(&self, renamed: &impl Fn(&QualifiedName) -> QualifiedName) -> bool {
        match self {
            Object::ForeignKey(f) => renamed(&f.referenced_table) != f.referenced_table,
            Object::PrimaryKey(_) | Object::Unique(_) | Object::Check(_) | Object::Index(_) => {
                false
            }
        }
    }

    /// Equal but for the name, a foreign key's referenced table compared after the renames.
    fn same_as(
        &self,
        other: &Object<'_>,
        renamed: &impl Fn(&QualifiedName) -> QualifiedName,
    ) -> bool {
        match (self, other) {
            (Object::PrimaryKey(a), Object::PrimaryKey(b)) => a.columns == b.columns,
            (Object::Unique(a), Object::Unique(b)) => {
                a.columns == b.columns
                    && a.nulls_not_distinct == b.nulls_not_distinct
                    && a.deferrable == b.deferrable
            }
            (Object::Check(a), Object::Check(b)) => {
                a.expression == b.expression
                    && a.no_inherit == b.no_inherit
                    && a.not_valid == b.not_valid
            }
            (Object::ForeignKey(a), Object::ForeignKey(b)) => {
                renamed(&a.referenced_table) == b.referenced_table
                    && ForeignKey {
                        name: String::new(),
                        referenced_table: b.referenced_table.clone(),
                        ..(*a).clone()
                    } == ForeignKey {
                        name: String::new(),
                        ..(*b).clone()
                    }
            }
            (Object::Index(a), Object::Index(b)) => {
                Index {
                    name: String::new(),
                    ..(*a).clone()
                } == Index {
                    name: String::new(),
                    ..(*b).clone()
                }
            }
            (
                Object::PrimaryKey(_)
                | Object::Unique(_)
                | Object::Check(_)
                | Object::ForeignKey(_)
                | Object::Index(_),
                _,
            ) => false,
        }
    }

    /// The statement that gives the object, now on `table`, the name `to` (none when it keeps
    /// its name). Renaming a key renames its index too.
    fn rename_to(&self, table: &QualifiedName, to: &str) -> Vec<String> {
        let from = self.name();
        if from == to {
            return Vec::new();
        }
        match self {
            Object::Index(_) => vec![format!(
                "ALTER INDEX {} RENAME TO {}",
                QualifiedName::new(&table.schema, from).quoted(),
                quote_ident(to)
            )],
            Object::PrimaryKey(_)
            | Object::Unique(_)
            | Object::Check(_)
            | Object::ForeignKey(_) => vec![format!(
                "ALTER TABLE {} RENAME CONSTRAINT {} TO {}",
                table.quoted(),
                quote_ident(from),
                quote_ident(to)
            )],
        }
    }
}
