//! SQLite: what `ALTER TABLE` can do in place (add, rename and drop a column, rename a table)
//! and indexes are done in place; everything else rebuilds the table the documented way
//! (<https://www.sqlite.org/lang_altertable.html#otheralter>): create the new table, copy the
//! rows, drop the old one, rename the new one, create its indexes again.
//!
//! A rebuild needs the whole table, so the renderer follows the plan on a copy of the schema it
//! starts from ([`Plan::before`]), applying each change with the differ's simulator. Consecutive
//! changes to one table share one rebuild.
//!
//! A migration that rebuilds or drops a table runs with foreign keys off: otherwise dropping the
//! old table would fire the `ON DELETE` actions of the rows that point at it (deleting or
//! nulling them) or fail. `PRAGMA foreign_keys` is a no-op inside a transaction, and sqlx runs
//! each migration in one, so such a file is `-- no-transaction`: `PRAGMA foreign_keys = OFF`,
//! then its own `BEGIN`, the statements, a foreign-key check that fails the transaction on any
//! violation (what `PRAGMA foreign_key_check` reports), `COMMIT`, and `PRAGMA foreign_keys = ON`.
//!
//! SQLite has no schemas, enum types (an enum column is `text`), sequences or comments: those
//! changes render to nothing, or are refused where that would lose something.

use std::collections::{BTreeMap, BTreeSet};

use autogen_diff::{Change, Plan};
use autogen_schema::{
    Column, Dialect, QualifiedName, Schema, Table, Trigger, View, create_table_ddl,
    ddl::create_index, ddl::ident_list, quote_ident,
};

use crate::lower::{Draft, Mode};
use crate::{Boundary, RenderError, Statement, Transaction, describe};

/// The name a table is rebuilt under before it takes the old one's place.
const NEW_PREFIX: &str = "_autogen_new_";

/// Why a change cannot be rendered; [`lower`] names the change around it.
type Refusal = String;

/// A rebuild waiting for the changes after it that rebuild the same table.
struct Rebuild {
    table: QualifiedName,
    old: Table,
    /// Per new column, what fills it from the old row when that is more than the same column.
    fill: BTreeMap<String, String>,
    /// The plan's changes this rebuild realises.
    changes: Vec<usize>,
    /// Those among them whose column takes its default where it held NULL.
    fills_nulls: BTreeSet<usize>,
    /// Those among them whose new column takes its type's zero value in every row.
    fills_placeholder: BTreeSet<usize>,
}

/// Follows the plan on the simulator from `Plan::before`, one draft per change, except that
/// consecutive changes rebuilding one table share one draft. Rebuilds and drops need foreign
/// keys off, so their drafts ask for a transaction of their own.
pub(crate) fn lower(plan: &Plan, mode: Mode) -> Result<Vec<Draft>, RenderError> {
    let changes = &plan.changes;
    // Without the schema the plan starts from nothing can be followed: in-place changes still
    // render, and a rebuild is refused for want of its table's definition.
    let mut state = plan.before.clone();
    let mut drafts = Vec::new();
    let mut pending: Option<Rebuild> = None;
    for (i, change) in changes.iter().enumerate() {
        let refuse = |reason: String| RenderError::Unrepresentable {
            change: describe::change(change, Dialect::Sqlite),
            dialect: Dialect::Sqlite,
            reason,
        };
        let before = state
            .clone()
            .unwrap_or_else(|| Schema::new(Dialect::Sqlite));
        if let Some(state) = &mut state {
            autogen_diff::apply(state, change).map_err(|e| RenderError::DoesNotApply {
                reason: format!("{}: {e}", describe::change(change, Dialect::Sqlite)),
            })?;
        }
        match need(change, &changes[..i], &changes[i + 1..], &before, mode).map_err(refuse)? {
            Need::InPlace(sql) => {
                flush(&mut pending, &before, &mut drafts).map_err(refuse)?;
                drafts.push(Draft::one(i, sql));
            }
            Need::Drop(sql) => {
                flush(&mut pending, &before, &mut drafts).map_err(refuse)?;
                drafts.push(Draft {
                    transaction: Transaction::Own,
                    ..Draft::one(i, sql)
                });
            }
            Need::Rebuild { table, fill } => {
                if pending.as_ref().is_some_and(|p| p.table != table) {
                    flush(&mut pending, &before, &mut drafts).map_err(refuse)?;
                }
                let mut fills_nulls = BTreeSet::new();
                if let Change::AlterColumn { to, .. } = change
                    && fill.contains_key(&to.name)
                {
                    fills_nulls.insert(i);
                }
                let mut fills_placeholder = BTreeSet::new();
                if let Change::AddColumn { column, .. } = change
                    && fill.contains_key(&column.name)
                {
                    fills_placeholder.insert(i);
                }
                match &mut pending {
                    Some(rebuild) => {
                        rebuild.fill.extend(fill);
                        rebuild.changes.push(i);
                        rebuild.fills_nulls.extend(fills_nulls);
                        rebuild.fills_placeholder.extend(fills_placeholder);
                    }
                    None => {
                        let old = before.table(&table).cloned().ok_or_else(|| {
                            refuse(format!(
                                "rebuilding `{}` needs its definition, which the plan does not carry",
                                table.name
                            ))
                        })?;
                        pending = Some(Rebuild {
                            table,
                            old,
                            fill,
                            changes: vec![i],
                            fills_nulls,
                            fills_placeholder,
                        });
                    }
                }
            }
        }
    }
    if let Some(change) = changes.last() {
        let after = state.unwrap_or_else(|| Schema::new(Dialect::Sqlite));
        flush(&mut pending, &after, &mut drafts).map_err(|reason| {
            RenderError::Unrepresentable {
                change: describe::change(change, Dialect::Sqlite),
                dialect: Dialect::Sqlite,
                reason,
            }
        })?;
    }
    Ok(drafts)
}

/// What one change needs.
enum Need {
    /// Statements that run as they are.
    InPlace(Vec<String>),
    /// A `DROP TABLE`: the migration must run with foreign keys off.
    Drop(Vec<String>),
    /// The table must be rebuilt; `fill` as in [`Rebuild::fill`].
    Rebuild {
        table: QualifiedName,
        fill: BTreeMap<String, String>,
    },
}

fn rebuild(table: &QualifiedName) -> Need {
    Need::Rebuild {
        table: table.clone(),
        fill: BTreeMap::new(),
    }
}

/// `earlier` and `later` are the plan's other changes; `state` the schema before this change.
fn need(
    change: &Change,
    earlier: &[Change],
    later: &[Change],
    state: &Schema,
    mode: Mode,
) -> Result<Need, Refusal> {
    let main = Dialect::Sqlite.default_schema();
    Ok(match change {
        Change::CreateSchema { name } | Change::DropSchema { name } => {
            if name == main {
                Need::InPlace(Vec::new())
            } else {
                return Err(format!("SQLite has one namespace, `{main}`"));
            }
        }
        // No enum types: an enum column is `text` (docs/models.md), so the type itself is nothing.
        Change::CreateEnum { .. }
        | Change::DropEnum { .. }
        | Change::AddEnumValue { .. }
        | Change::RenameEnumValue { .. }
        | Change::RebuildEnum { .. }
        | Change::SetEnumComment { .. }
        | Change::SetTableComment { .. } => Need::InPlace(Vec::new()),
        Change::CreateSequence { .. }
        | Change::DropSequence { .. }
        | Change::AlterSequence { .. } => {
            return Err("SQLite has no sequences".to_owned());
        }

        Change::CreateTable { name, definition } => {
            // Foreign keys are separate steps of the plan, but SQLite cannot add them later:
            // those the plan adds to a table it creates go into the CREATE TABLE.
            let mut definition = definition.clone();
            for later_change in later {
                if let Change::AddForeignKey { table, constraint } = later_change
                    && table == name
                {
                    definition
                        .foreign_keys
                        .insert(constraint.name.clone(), constraint.clone());
                }
            }
            let mut sql = vec![create_table_ddl(Dialect::Sqlite, name, &definition)];
            sql.extend(
                definition
                    .indexes
                    .values()
                    .map(|index| create_index(Dialect::Sqlite, name, index)),
            );
            Need::InPlace(sql)
        }
        Change::DropTable {
            name,
            definition: _,
        } => Need::Drop(vec![format!("DROP TABLE {}", quote_ident(&name.name))]),
        // SQLite has no sequences: there are none to rename.
        Change::RenameTable {
            from,
            to,
            sequences: _,
        } => Need::InPlace(vec![format!(
            "ALTER TABLE {} RENAME TO {}",
            quote_ident(&from.name),
            quote_ident(&to.name)
        )]),

        Change::AddColumn { table, column } => {
            if let Some(value) = restored_value(column, mode) {
                // The rows the up left have no value for it: the placeholder, which the up's
                // hazard names. The rebuild copies it in and leaves no default behind: the
                // table is as it was.
                let mut fill = BTreeMap::new();
                fill.insert(column.name.clone(), value);
                Need::Rebuild {
                    table: table.clone(),
                    fill,
                }
            } else if adds_in_place(column) {
                Need::InPlace(vec![format!(
                    "ALTER TABLE {} ADD COLUMN {}",
                    quote_ident(&table.name),
                    autogen_schema::ddl::column_definition(Dialect::Sqlite, column)
                )])
            } else {
                rebuild(table)
            }
        }
        Change::DropColumn { table, column } => {
            let free = state
                .table(table)
                .is_some_and(|t| !is_used(t, &column.name));
            if free && column.generated.is_none() {
                Need::InPlace(vec![format!(
                    "ALTER TABLE {} DROP COLUMN {}",
                    quote_ident(&table.name),
                    quote_ident(&column.name)
                )])
            } else {
                rebuild(table)
            }
        }
        Change::RenameColumn { table, from, to } => Need::InPlace(vec![format!(
            "ALTER TABLE {} RENAME COLUMN {} TO {}",
            quote_ident(&table.name),
            quote_ident(from),
            quote_ident(to)
        )]),
        Change::AlterColumn {
            table,
            from,
            to,
            backfill,
        } => {
            let mut fill = BTreeMap::new();
            // A column that becomes NOT NULL takes the backfill (an expression reading the
            // row, computed in the copy from the old table's columns) or its default where it
            // was NULL, by the differ's one rule, as on PostgreSQL.
            let value = match backfill {
                Some(sql) => Some(sql),
                None => to.default.as_ref(),
            };
            if autogen_diff::fills_nulls(from, to, backfill.as_deref())
                && let Some(value) = value
            {
                fill.insert(
                    to.name.clone(),
                    format!("coalesce({}, {value})", quote_ident(&from.name)),
                );
            }
            Need::Rebuild {
                table: table.clone(),
                fill,
            }
        }

        Change::AddPrimaryKey { table, key: _ }
        | Change::DropPrimaryKey { table, key: _ }
        | Change::AddUnique {
            table,
            constraint: _,
        }
        | Change::DropUnique {
            table,
            constraint: _,
        }
        | Change::AddCheck {
            table,
            constraint: _,
        }
        | Change::DropCheck {
            table,
            constraint: _,
        } => rebuild(table),
        Change::AddForeignKey {
            table,
            constraint: _,
        } => {
            let created_here = earlier
                .iter()
                .any(|c| matches!(c, Change::CreateTable { name, .. } if name == table));
            if created_here {
                Need::InPlace(Vec::new())
            } else {
                rebuild(table)
            }
        }
        Change::DropForeignKey {
            table,
            constraint: _,
        } => {
            let dropped_later = later
                .iter()
                .any(|c| matches!(c, Change::DropTable { name, .. } if name == table));
            if dropped_later {
                Need::InPlace(Vec::new())
            } else {
                rebuild(table)
            }
        }
        Change::CreateIndex { table, index } => {
            Need::InPlace(vec![create_index(Dialect::Sqlite, table, index)])
        }
        Change::DropIndex { table: _, index } => {
            Need::InPlace(vec![format!("DROP INDEX {}", quote_ident(&index.name))])
        }
        // Carried verbatim: SQLite's own text of the statement that made them.
        Change::CreateView {
            name: _,
            definition,
        } => Need::InPlace(vec![definition.definition.clone()]),
        Change::DropView {
            name,
            definition: _,
        } => Need::InPlace(vec![drop_view(&name.name)]),
        Change::ReplaceView { name, from: _, to } => {
            Need::InPlace(vec![drop_view(&name.name), to.definition.clone()])
        }
        Change::CreateTrigger {
            name: _,
            definition,
        } => Need::InPlace(vec![definition.definition.clone()]),
        Change::DropTrigger {
            name,
            definition: _,
        } => Need::InPlace(vec![drop_trigger(&name.name)]),
        Change::ReplaceTrigger { name, from: _, to } => {
            Need::InPlace(vec![drop_trigger(&name.name), to.definition.clone()])
        }
        Change::CreateObject { object, .. }
        | Change::DropObject { object, .. }
        | Change::AlterObject { to: object, .. } => {
            return Err(format!(
                "a PostgreSQL {} has no SQLite form",
                object.kind.word()
            ));
        }
        // Never read from SQLite: PostgreSQL's table facts.
        Change::AlterTableOptions { .. }
        | Change::AddExclusion { .. }
        | Change::DropExclusion { .. }
        | Change::AttachPartition { .. }
        | Change::DetachPartition { .. }
        | Change::SetComment { .. }
        | Change::SetIndexStorage { .. }
        | Change::RenameAttachedIndex { .. } => {
            return Err(
                "PostgreSQL's table options, exclusion constraints, partitions and \
                        comments on indexes and constraints have no SQLite form"
                    .to_owned(),
            );
        }
    })
}

fn drop_view(name: &str) -> String {
    format!("DROP VIEW {}", quote_ident(name))
}

fn drop_trigger(name: &str) -> String {
    format!("DROP TRIGGER {}", quote_ident(name))
}

/// The views and triggers a rebuild of `table` must drop first and create again after, as
/// SQLite's procedure says: renaming the new table into place re-reads every view and trigger,
/// and one that names the old table, gone by then, fails it (`error in view v: no such table`);
/// the table's own triggers go with the old table. A view or trigger depends on `table` when its
/// text names it, or names a view that does (an identifier of the text, bare or quoted, in any
/// case: `naming::sqlite::names`). In the order to create them: views, each after
/// those it names, then triggers.
fn dependents<'s>(state: &'s Schema, table: &QualifiedName) -> (Vec<&'s View>, Vec<&'s Trigger>) {
    let Some(ns) = state.schemas.get(&table.schema) else {
        return (Vec::new(), Vec::new());
    };
    let mut names = vec![table.name.as_str()];
    let mut views: Vec<&View> = Vec::new();
    loop {
        let more: Vec<&View> = ns
            .views
            .values()
            .filter(|v| !views.iter().any(|w| w.name == v.name))
            .filter(|v| {
                names
                    .iter()
                    .any(|n| autogen_schema::naming::sqlite::names(&v.definition, n))
            })
            .collect();
        if more.is_empty() {
            break;
        }
        names.extend(more.iter().map(|v| v.name.as_str()));
        views.extend(more);
    }
    let triggers = ns
        .triggers
        .values()
        .filter(|t| {
            names.iter().any(|n| {
                t.table.eq_ignore_ascii_case(n)
                    || autogen_schema::naming::sqlite::names(&t.definition, n)
            })
        })
        .collect();
    (views, triggers)
}

/// What a down plan's rebuild fills a column it adds back with (`Mode::restores`): the
/// placeholder of a NOT NULL column without a default (`autogen_schema::placeholder_value`).
fn restored_value(column: &Column, mode: Mode) -> Option<String> {
    if !mode.restores || !autogen_schema::needs_placeholder(column) {
        return None;
    }
    autogen_schema::placeholder_value(&column.ty, Dialect::Sqlite)
}

/// `ALTER TABLE .. ADD COLUMN` takes a column that is no key, has no non-constant default and,
/// when NOT NULL, has a default that is not NULL; others need a rebuild.
fn adds_in_place(column: &Column) -> bool {
    // SQLite reads an expression default back without its parentheses: anything but a
    // literal is an expression, and so are the `CURRENT_*` keywords here.
    let constant_default = column.default.as_deref().is_none_or(|d| {
        autogen_schema::ddl::sqlite_plain_default(d)
            && !matches!(
                d.trim().to_ascii_uppercase().as_str(),
                "CURRENT_TIME" | "CURRENT_DATE" | "CURRENT_TIMESTAMP"
            )
    });
    let null_default = column
        .default
        .as_deref()
        .is_none_or(|d| d.trim().eq_ignore_ascii_case("null"));
    let stored = column.generated.as_ref().is_some_and(|g| g.stored);
    column.identity.is_none() && constant_default && (column.nullable || !null_default) && !stored
}

/// Whether anything of the table besides the column itself names it: then SQLite refuses
/// `DROP COLUMN`. Expressions are searched for the name as text, which errs on the side of a
/// rebuild.
fn is_used(table: &Table, column: &str) -> bool {
    let named = |columns: &[String]| columns.iter().any(|c| c == column);
    let mentions = |expr: &str| expr.contains(column);
    table
        .primary_key
        .as_ref()
        .is_some_and(|pk| named(&pk.columns))
        || table.uniques.values().any(|u| named(&u.columns))
        || table.foreign_keys.values().any(|f| named(&f.columns))
        || table.checks.values().any(|c| mentions(&c.expression))
        || table.columns.iter().any(|c| {
            c.generated
                .as_ref()
                .is_some_and(|g| mentions(&g.expression))
        })
        || table.indexes.values().any(|i| {
            i.predicate.as_deref().is_some_and(mentions)
                || i.keys.iter().any(|k| match &k.target {
                    autogen_schema::IndexTarget::Column(c) => c == column,
                    autogen_schema::IndexTarget::Expression(e) => mentions(e),
                })
        })
}

/// Writes the pending rebuild, if any. `state` is the schema after the changes rebuilt so far
/// (the table's new shape).
fn flush(
    pending: &mut Option<Rebuild>,
    state: &Schema,
    drafts: &mut Vec<Draft>,
) -> Result<(), Refusal> {
    let Some(Rebuild {
        table,
        old,
        fill,
        changes,
        fills_nulls,
        fills_placeholder,
    }) = pending.take()
    else {
        return Ok(());
    };
    let new = state.table(&table).ok_or_else(|| {
        format!(
            "rebuilding `{}` needs its definition, which the plan does not carry",
            table.name
        )
    })?;
    let (views, triggers) = dependents(state, &table);
    let mut sql: Vec<String> = triggers.iter().map(|t| drop_trigger(&t.name)).collect();
    sql.extend(views.iter().rev().map(|v| drop_view(&v.name)));
    sql.extend(rebuild_sql(&table, &old, new, &fill));
    sql.extend(views.iter().map(|v| v.definition.clone()));
    sql.extend(triggers.iter().map(|t| t.definition.clone()));
    drafts.push(Draft {
        changes,
        sql,
        transaction: Transaction::Own,
        fills_nulls,
        fills_placeholder,
        rebuilds: Some(table),
        ..Draft::default()
    });
    Ok(())
}

/// The 12-step rebuild's statements (steps 4 to 8 of the documented procedure; the
/// transaction and foreign-key steps are [`own_transaction`]'s).
pub(crate) fn rebuild_sql(
    name: &QualifiedName,
    old: &Table,
    new: &Table,
    fill: &BTreeMap<String, String>,
) -> Vec<String> {
    let temp = QualifiedName::new(&name.schema, format!("{NEW_PREFIX}{}", name.name));
    let mut out = vec![create_table_ddl(Dialect::Sqlite, &temp, new)];
    let copied: Vec<(&Column, String)> = new
        .columns
        .iter()
        .filter(|c| c.generated.is_none())
        .filter_map(|c| {
            // A new column is filled only when `fill` says with what.
            let expr = match (old.column(&c.name), fill.get(&c.name)) {
                (_, Some(expr)) => expr.clone(),
                (Some(source), None) if source.generated.is_none() => quote_ident(&source.name),
                (Some(_) | None, None) => return None,
            };
            Some((c, expr))
        })
        .collect();
    if !copied.is_empty() {
        let names: Vec<String> = copied.iter().map(|(c, _)| c.name.clone()).collect();
        let exprs: Vec<String> = copied.into_iter().map(|(_, e)| e).collect();
        out.push(format!(
            "INSERT INTO {} ({}) SELECT {} FROM {}",
            quote_ident(&temp.name),
            ident_list(&names),
            exprs.join(", "),
            quote_ident(&name.name)
        ));
    }
    out.push(format!("DROP TABLE {}", quote_ident(&name.name)));
    out.push(format!(
        "ALTER TABLE {} RENAME TO {}",
        quote_ident(&temp.name),
        quote_ident(&name.name)
    ));
    out.extend(
        new.indexes
            .values()
            .map(|index| create_index(Dialect::Sqlite, name, index)),
    );
    out
}

/// Fails the transaction when a foreign key does not hold, as `PRAGMA foreign_key_check` would
/// list it: a check constraint on a temp table counts the violations.
const FOREIGN_KEY_CHECK: [&str; 3] = [
    "CREATE TEMP TABLE \"_autogen_foreign_key_check\" (\"violations\" integer CHECK (\"violations\" = 0))",
    "INSERT INTO \"_autogen_foreign_key_check\" SELECT count(*) FROM pragma_foreign_key_check",
    "DROP TABLE temp.\"_autogen_foreign_key_check\"",
];

/// The statements of a migration with a step that needs its own transaction: foreign keys
/// off, then every statement in one transaction that checks the foreign keys before it
/// commits, then foreign keys on again.
pub(crate) fn own_transaction(body: Vec<Statement>) -> Vec<Statement> {
    let outside = |sql: &str| Statement {
        sql: sql.to_owned(),
        boundary: Boundary::OutsideTransaction,
    };
    let mut out = vec![
        outside("PRAGMA foreign_keys = OFF"),
        Statement::new("BEGIN"),
    ];
    out.extend(body);
    out.extend(FOREIGN_KEY_CHECK.iter().map(|sql| Statement::new(*sql)));
    out.push(Statement::new("COMMIT"));
    out.push(outside("PRAGMA foreign_keys = ON"));
    out
}
