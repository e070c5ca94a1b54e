use std::collections::BTreeSet;

use autogen_schema::{CheckConstraint, Column, ForeignKey, NameMap, QualifiedName, Table};

use crate::Change;
use crate::diff::enums::default_dropped_around_rebuild;
use crate::diff::table_facts::must_recreate;
use crate::diff::{Sides, union_keys, union_names};
use crate::refs::{index_columns, index_key, index_texts, key_of, mentions, table_keys};

/// What the first pass learns that foreign keys depend on.
#[derive(Default)]
struct Retouched {
    /// Columns whose type changes: a foreign key over them is dropped and added again, since
    /// both ends must agree on the type (MySQL refuses the change outright).
    retyped: BTreeSet<(QualifiedName, String)>,
    /// Keys (primary, unique, unique index) dropped from tables that stay: a foreign key that
    /// pointed at one depends on it and is dropped first, then added again.
    dropped_keys: BTreeSet<(QualifiedName, Vec<String>)>,
    /// Generated columns dropped and added again (see `recreated_columns`): a foreign key over
    /// one, at either end, goes with it and comes back.
    recreated: BTreeSet<(QualifiedName, String)>,
    /// Tables dropped and created again (a partition key changes): their foreign keys go and
    /// come back.
    recreated_tables: BTreeSet<QualifiedName>,
}

/// Tables, columns, constraints and indexes. Tables are created and dropped without their
/// foreign keys, which are always steps of their own (so reference cycles need nothing special).
/// Drops of indexes and constraints carry the current-side definition and table name (they run
/// before any rename); everything else carries the desired-side names.
pub(crate) fn diff(sides: &Sides<'_>, out: &mut Vec<Change>) {
    let pairs = pairs(sides);
    let mut retouched = Retouched::default();
    for (name, was, want) in &pairs {
        if let (Some(from), Some(to)) = (was, want)
            && must_recreate(sides.renamed, sides.desired, name, from, to)
        {
            // Dropped and created again: every foreign key to it goes and comes back.
            for key in table_keys(from) {
                retouched.dropped_keys.insert((name.clone(), key));
            }
            retouched.recreated_tables.insert(name.clone());
            let owned = kept_owned_sequences(sides, name);
            for (sequence, definition) in &owned {
                out.push(Change::AlterSequence {
                    name: sequence.clone(),
                    from: definition.clone(),
                    to: disowned(definition),
                });
            }
            out.push(Change::DropTable {
                name: sides.original_name(name),
                definition: without_foreign_keys(&attached_as_own(
                    sides.original_table(name).unwrap_or(from),
                    sides.current,
                )),
            });
            out.push(Change::CreateTable {
                name: name.clone(),
                definition: without_foreign_keys(&attached_as_own(to, sides.desired)),
            });
            for (sequence, definition) in owned {
                out.push(Change::AlterSequence {
                    name: sequence,
                    from: disowned(&definition),
                    to: definition,
                });
            }
            continue;
        }
        match (was, want) {
            (None, Some(table)) => out.push(Change::CreateTable {
                name: name.clone(),
                definition: without_foreign_keys(&attached_as_own(table, sides.desired)),
            }),
            (Some(table), None) => out.push(Change::DropTable {
                name: name.clone(),
                definition: without_foreign_keys(&attached_as_own(table, sides.renamed)),
            }),
            (Some(from), Some(to)) => alter(sides, name, from, to, &mut retouched, out),
            (None, None) => {}
        }
    }
    for (name, was, want) in &pairs {
        foreign_keys(sides, name, *was, *want, &retouched, out);
    }
}

/// The sequences a recreated table's columns own that stay as they are: disowned before the
/// table goes (PostgreSQL would drop them with it) and owned again once it is back.
fn kept_owned_sequences(
    sides: &Sides<'_>,
    table: &QualifiedName,
) -> Vec<(QualifiedName, autogen_schema::Sequence)> {
    sides
        .renamed
        .sequences()
        .filter(|(name, s)| {
            s.owned_by.as_ref().is_some_and(|o| &o.table == table)
                && sides
                    .desired
                    .schemas
                    .get(&name.schema)
                    .and_then(|ns| ns.sequences.get(&name.name))
                    == Some(*s)
        })
        .map(|(name, s)| (name, s.clone()))
        .collect()
}

fn disowned(sequence: &autogen_schema::Sequence) -> autogen_schema::Sequence {
    autogen_schema::Sequence {
        owned_by: None,
        ..sequence.clone()
    }
}

/// A partition as it is created (and so as its drop is undone): its indexes attached to its
/// parent's are built first under their own names, then adopted when it is attached, instead of
/// the parent's building them under names of PostgreSQL's choosing.
fn attached_as_own(table: &Table, schema: &autogen_schema::Schema) -> Table {
    match table
        .postgres
        .partition_of
        .as_ref()
        .and_then(|p| schema.table(&p.parent))
    {
        Some(parent) => autogen_schema::with_attached_as_own(table, parent),
        None => table.clone(),
    }
}

type Pair<'a> = (QualifiedName, Option<&'a Table>, Option<&'a Table>);

fn pairs<'a>(sides: &Sides<'a>) -> Vec<Pair<'a>> {
    let (was_all, want_all) = (&sides.renamed.schemas, &sides.desired.schemas);
    let mut out = Vec::new();
    for schema in union_keys(Some(was_all), Some(want_all)) {
        let was = was_all.get(schema).map(|ns| &ns.tables);
        let want = want_all.get(schema).map(|ns| &ns.tables);
        for name in union_keys(was, want) {
            out.push((
                QualifiedName::new(schema, name),
                was.and_then(|m| m.get(name)),
                want.and_then(|m| m.get(name)),
            ));
        }
    }
    out
}

/// The table as `CreateTable`/`DropTable` carry it: its foreign keys, and their comments,
/// are steps of their own.
fn without_foreign_keys(table: &Table) -> Table {
    let mut out = Table {
        foreign_keys: NameMap::new(),
        ..table.clone()
    };
    for name in table.foreign_keys.keys() {
        out.postgres.constraint_comments.remove(name);
    }
    out
}

/// One table that both sides have, as it is altered: its name on each side, its definitions,
/// and the columns dropped and added back (see `recreated_columns`), which take every key,
/// check and index over them along.
struct Altered<'t> {
    name: &'t QualifiedName,
    /// Its current-side name: drops run before any rename and name the table so.
    original_name: QualifiedName,
    /// Its current-side definition, which the drops carry.
    original: &'t Table,
    from: &'t Table,
    to: &'t Table,
    recreated: BTreeSet<String>,
}

impl Altered<'_> {
    fn names_recreated(&self, columns: &[String]) -> bool {
        columns.iter().any(|c| self.recreated.contains(c))
    }

    fn mentions_recreated(&self, text: &str) -> bool {
        self.recreated.iter().any(|c| mentions(text, c))
    }
}

/// The changes from `from` to `to`, part by part: columns, primary key, uniques, checks,
/// indexes, comment. Foreign keys are the second pass's (`foreign_keys`).
fn alter(
    sides: &Sides<'_>,
    name: &QualifiedName,
    from: &Table,
    to: &Table,
    retouched: &mut Retouched,
    out: &mut Vec<Change>,
) {
    // A partition detached keeps the indexes and keys attached to its parent's as its own; one
    // attached has its own adopted by the parent's. Compared so, nothing is built twice or
    // dropped that the parent's own change takes along.
    let (was_parent, want_parent) = (&from.postgres.partition_of, &to.postgres.partition_of);
    let moved = was_parent.as_ref().map(|p| &p.parent) != want_parent.as_ref().map(|p| &p.parent);
    let original = sides.original_table(name).unwrap_or(from);
    let own = moved.then(|| {
        (
            attached_as_own(from, sides.renamed),
            attached_as_own(to, sides.desired),
            attached_as_own(original, sides.current),
        )
    });
    let (from, to, original) = match &own {
        Some((from, to, original)) => (from, to, original),
        None => (from, to, original),
    };
    let table = Altered {
        name,
        original_name: sides.original_name(name),
        original,
        from,
        to,
        recreated: recreated_columns(from, to),
    };
    for column in &table.recreated {
        retouched.recreated.insert((name.clone(), column.clone()));
    }
    // A partition's columns are its parent's: they change with the parent's. One detached or
    // attached again is a table of its own in between.
    let partition = from.postgres.partition_of.is_some()
        && from.postgres.partition_of == to.postgres.partition_of;
    if partition {
        alter_partition_columns(sides, &table, out);
    } else {
        alter_columns(sides, &table, retouched, out);
    }
    alter_primary_key(&table, retouched, out);
    alter_uniques(&table, retouched, out);
    alter_checks(&table, out);
    alter_indexes(&table, retouched, out);
    if from.comment != to.comment {
        out.push(Change::SetTableComment {
            table: name.clone(),
            from: from.comment.clone(),
            to: to.comment.clone(),
        });
    }
}

/// A partition's own column changes: a `NOT NULL` (a primary key of its own sets one), a
/// default or a comment where its parent's column stays as it is. Everything else reaches it
/// from the parent.
fn alter_partition_columns(sides: &Sides<'_>, table: &Altered<'_>, out: &mut Vec<Change>) {
    let Some(parent) = table.from.postgres.partition_of.as_ref().map(|p| &p.parent) else {
        return;
    };
    let parent_column = |schema: &autogen_schema::Schema, column: &str| {
        schema.table(parent).and_then(|t| t.column(column)).cloned()
    };
    for column in &table.from.columns {
        let Some(target) = table.to.column(&column.name) else {
            continue;
        };
        let (was, want) = (
            parent_column(sides.renamed, &column.name),
            parent_column(sides.desired, &column.name),
        );
        if was == want {
            let own = column.ty == target.ty
                && column.identity == target.identity
                && column.generated == target.generated
                && column.collation == target.collation;
            if column != target && own {
                out.push(Change::AlterColumn {
                    table: table.name.clone(),
                    from: column.clone(),
                    to: target.clone(),
                    backfill: None,
                });
            }
            continue;
        }
        // The parent's column changes, and the partition's with it: its type, and a NOT NULL
        // the parent sets or drops reaches it. What is left of its own is its NOT NULL, set or
        // dropped once the parent's change has run.
        let after_parent = match (&was, &want) {
            (_, Some(w)) if !w.nullable => continue,
            (Some(w), Some(_)) if !w.nullable => true,
            (Some(_) | None, Some(_)) => column.nullable,
            (_, None) => continue,
        };
        if after_parent != target.nullable {
            out.push(Change::AlterColumn {
                table: table.name.clone(),
                from: autogen_schema::Column {
                    nullable: after_parent,
                    ..target.clone()
                },
                to: target.clone(),
                backfill: None,
            });
        }
    }
}

/// Columns are matched by name; position is never a difference and new ones are appended.
fn alter_columns(
    sides: &Sides<'_>,
    table: &Altered<'_>,
    retouched: &mut Retouched,
    out: &mut Vec<Change>,
) {
    let name = table.name;
    for column in &table.to.columns {
        if table.from.column(&column.name).is_none() {
            out.push(Change::AddColumn {
                table: name.clone(),
                column: column.clone(),
            });
        }
    }
    for column in &table.from.columns {
        match table.to.column(&column.name) {
            // It goes and comes back (see `recreated_columns`): two steps, so that whatever
            // must happen between them (a column it reads changes type, an enum it reads is
            // rebuilt) can.
            Some(target) if table.recreated.contains(&column.name) => {
                out.push(Change::DropColumn {
                    table: name.clone(),
                    column: column.clone(),
                });
                out.push(Change::AddColumn {
                    table: name.clone(),
                    column: target.clone(),
                });
            }
            Some(target) if target != column => {
                if target.ty != column.ty {
                    retouched
                        .retyped
                        .insert((name.clone(), column.name.clone()));
                }
                alter_column(sides, name, column, target, out);
            }
            Some(_) => {}
            None => out.push(Change::DropColumn {
                table: name.clone(),
                column: column.clone(),
            }),
        }
    }
}

/// One column's alteration, in up to three steps: its default dropped around an enum rebuild,
/// an identity handed over to a sequence default (or back), then the rest.
fn alter_column(
    sides: &Sides<'_>,
    table: &QualifiedName,
    column: &Column,
    target: &Column,
    out: &mut Vec<Change>,
) {
    let mut from = column.clone();
    if default_dropped_around_rebuild(sides, column, target) {
        let bare = Column {
            default: None,
            ..column.clone()
        };
        out.push(Change::AlterColumn {
            table: table.clone(),
            from,
            to: bare.clone(),
            backfill: None,
        });
        from = bare;
    }
    if let Some(step) = identity_handover(&from, target) {
        out.push(Change::AlterColumn {
            table: table.clone(),
            from,
            to: step.clone(),
            backfill: None,
        });
        from = step;
    }
    out.push(Change::AlterColumn {
        table: table.clone(),
        from,
        to: target.clone(),
        backfill: None,
    });
}

fn alter_primary_key(table: &Altered<'_>, retouched: &mut Retouched, out: &mut Vec<Change>) {
    let (from, to) = (&table.from.primary_key, &table.to.primary_key);
    let recreated = from
        .as_ref()
        .is_some_and(|k| table.names_recreated(&k.columns));
    if from == to && !recreated {
        return;
    }
    if let Some(key) = from {
        retouched
            .dropped_keys
            .insert((table.name.clone(), key_of(&key.columns)));
        out.push(Change::DropPrimaryKey {
            table: table.original_name.clone(),
            key: table
                .original
                .primary_key
                .clone()
                .unwrap_or_else(|| key.clone()),
        });
    }
    if let Some(key) = to {
        out.push(Change::AddPrimaryKey {
            table: table.name.clone(),
            key: key.clone(),
        });
    }
}

fn alter_uniques(table: &Altered<'_>, retouched: &mut Retouched, out: &mut Vec<Change>) {
    for_each_difference(
        &table.from.uniques,
        &table.to.uniques,
        &table.original.uniques,
        |u| table.names_recreated(&u.columns),
        |was, want| {
            if let Some((was, original)) = was {
                retouched
                    .dropped_keys
                    .insert((table.name.clone(), key_of(&was.columns)));
                out.push(Change::DropUnique {
                    table: table.original_name.clone(),
                    constraint: original.clone(),
                });
            }
            if let Some(want) = want {
                out.push(Change::AddUnique {
                    table: table.name.clone(),
                    constraint: want.clone(),
                });
            }
        },
    );
}

fn alter_checks(table: &Altered<'_>, out: &mut Vec<Change>) {
    for_each_difference(
        &table.from.checks,
        &table.to.checks,
        &table.original.checks,
        |c: &CheckConstraint| table.mentions_recreated(&c.expression),
        |was, want| {
            if let Some((_, original)) = was {
                out.push(Change::DropCheck {
                    table: table.original_name.clone(),
                    constraint: original.clone(),
                });
            }
            if let Some(want) = want {
                out.push(Change::AddCheck {
                    table: table.name.clone(),
                    constraint: want.clone(),
                });
            }
        },
    );
}

/// Keys, expressions, order, uniqueness, predicate, method, include, nulls: an index that
/// differs in anything is dropped and created again.
fn alter_indexes(table: &Altered<'_>, retouched: &mut Retouched, out: &mut Vec<Change>) {
    for_each_difference(
        &table.from.indexes,
        &table.to.indexes,
        &table.original.indexes,
        |i| {
            table.names_recreated(&index_columns(i))
                || index_texts(i)
                    .into_iter()
                    .any(|text| table.mentions_recreated(text))
        },
        |was, want| {
            if let Some((was, original)) = was {
                if let Some(key) = index_key(was) {
                    retouched.dropped_keys.insert((table.name.clone(), key));
                }
                out.push(Change::DropIndex {
                    table: table.original_name.clone(),
                    index: original.clone(),
                });
            }
            if let Some(want) = want {
                out.push(Change::CreateIndex {
                    table: table.name.clone(),
                    index: want.clone(),
                });
            }
        },
    );
}

/// A column that trades an identity for a sequence default (or back) does it in two steps, the
/// old counter removed first: the identity's own sequence and a `serial` one take the same
/// name (`<table>_<column>_seq`), so the sequence that comes is created, or the identity added,
/// only once the one that goes is gone. The first step, when one is needed.
fn identity_handover(from: &Column, to: &Column) -> Option<Column> {
    match (&from.identity, &to.identity) {
        (Some(_), None) if to.default.is_some() => Some(Column {
            identity: None,
            ..from.clone()
        }),
        (None, Some(_)) if from.default.is_some() => Some(Column {
            default: None,
            ..from.clone()
        }),
        (Some(_), None) | (None, Some(_)) | (Some(_), Some(_)) | (None, None) => None,
    }
}

/// Columns that are dropped and added again. PostgreSQL 15 can neither add or change a
/// generation expression in place nor change the type of a column that one reads, so a column
/// that becomes generated, or whose expression changes, or that reads a column whose type
/// changes, goes and comes back with its values computed; the indexes and constraints over it
/// go before and come back after.
fn recreated_columns(from: &Table, to: &Table) -> BTreeSet<String> {
    let retyped: Vec<&str> = from
        .columns
        .iter()
        .filter(|c| to.column(&c.name).is_some_and(|t| t.ty != c.ty))
        .map(|c| c.name.as_str())
        .collect();
    to.columns
        .iter()
        .filter_map(|target| {
            let generated = target.generated.as_ref()?;
            let column = from.column(&target.name)?;
            let changes = column.generated.as_ref() != Some(generated);
            let reads_retyped = retyped
                .iter()
                .any(|r| *r != target.name && mentions(&generated.expression, r));
            (changes || reads_retyped).then(|| target.name.clone())
        })
        .collect()
}

/// Calls `f(dropped, added)` for every name whose definition differs, or that `forced` says
/// must be dropped and added again anyway: `dropped` is the renamed current definition with its
/// original, `added` the desired one. Other equal definitions are skipped.
fn for_each_difference<'a, T: PartialEq>(
    was: &'a NameMap<T>,
    want: &'a NameMap<T>,
    original: &'a NameMap<T>,
    forced: impl Fn(&T) -> bool,
    mut f: impl FnMut(Option<(&'a T, &'a T)>, Option<&'a T>),
) {
    for name in union_names(was, want) {
        let (a, b) = (was.get(name), want.get(name));
        if a == b && !a.is_some_and(&forced) {
            continue;
        }
        let dropped = a.map(|a| (a, original.get(name).unwrap_or(a)));
        f(dropped, b);
    }
}

fn foreign_keys(
    sides: &Sides<'_>,
    name: &QualifiedName,
    was: Option<&Table>,
    want: Option<&Table>,
    retouched: &Retouched,
    out: &mut Vec<Change>,
) {
    let empty = NameMap::new();
    let from = was.map_or(&empty, |t| &t.foreign_keys);
    let to = want.map_or(&empty, |t| &t.foreign_keys);
    let original = sides.original_table(name).map_or(from, |t| &t.foreign_keys);
    let original_name = sides.original_name(name);
    for key in union_names(from, to) {
        let (a, b) = (from.get(key), to.get(key));
        let rebuild = match (a, b) {
            (Some(a), Some(b)) => {
                a != b
                    || retouched.recreated_tables.contains(name)
                    || depends_on_retouched(name, b, retouched)
            }
            (Some(_), None) | (None, Some(_)) => true,
            (None, None) => false,
        };
        if !rebuild {
            continue;
        }
        if let Some(a) = a {
            out.push(Change::DropForeignKey {
                table: original_name.clone(),
                constraint: original.get(key).unwrap_or(a).clone(),
            });
        }
        if let Some(b) = b {
            out.push(Change::AddForeignKey {
                table: name.clone(),
                constraint: b.clone(),
            });
        }
    }
}

fn depends_on_retouched(table: &QualifiedName, fk: &ForeignKey, retouched: &Retouched) -> bool {
    let retyped = |t: &QualifiedName, c: &String| {
        let key = (t.clone(), c.clone());
        retouched.retyped.contains(&key) || retouched.recreated.contains(&key)
    };
    fk.columns.iter().any(|c| retyped(table, c))
        || fk
            .referenced_columns
            .iter()
            .any(|c| retyped(&fk.referenced_table, c))
        || retouched
            .dropped_keys
            .contains(&(fk.referenced_table.clone(), key_of(&fk.referenced_columns)))
}
