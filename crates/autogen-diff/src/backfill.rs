//! The migration playbook's backfill: existing rows of a column that becomes NOT NULL get a
//! value the developer chose (`backfill` / `backfill_sql` in the models), which need not be the
//! column's default and leaves no default behind unless the models set one.
//!
//! Expressed with the changes the differ already has, so ordering, inverses and hazards need
//! nothing new. A constant backfill travels as a temporary default:
//! - a NOT NULL column added to an existing table: `ADD COLUMN .. DEFAULT <backfill> NOT NULL`
//!   (PostgreSQL fills every existing row with it, in the same statement), then the default is
//!   set to the model's (or dropped);
//! - a column that becomes NOT NULL: `SET DEFAULT <backfill>`, then NULLs are filled with the
//!   default and `SET NOT NULL` (the renderer's fill step), then the model's default.
//!
//! A backfill that reads the row (`split_part(email, '@', 1)`: [`Backfill::reads_row`]) cannot
//! be a default, so it is the playbook's three steps: the column added nullable (without the
//! model's default, which would fill the rows first), then one `AlterColumn` to NOT NULL that
//! carries the expression (`backfill`: the renderer's `UPDATE .. SET col = <expr> WHERE col IS
//! NULL` before `SET NOT NULL`), then the model's default.

use autogen_schema::{Backfill, Column, QualifiedName};

use crate::{Change, Plan};

/// Whether a column that becomes NOT NULL as `to` gets its default in the rows that hold NULL
/// first, so that NOT NULL cannot fail on them: the migration playbook's backfill, as for a NOT
/// NULL column added with a default. The one rule every dialect's SQL follows (PostgreSQL's
/// `UPDATE .. SET col = DEFAULT`, SQLite's `coalesce` in the rebuild's copy) and the hazards
/// read (the inverse leaves the filled rows so). An identity or generated column has no
/// default to put there.
pub fn fills_nulls_with_default(to: &Column) -> bool {
    to.default.is_some() && to.identity.is_none() && to.generated.is_none()
}

/// Whether a column change from `from` to `to` fills the rows holding NULL before the column
/// becomes NOT NULL: with the change's `backfill` expression when it carries one, else with
/// the default (every dialect's SQL does, and the hazards say so).
pub fn fills_nulls(from: &Column, to: &Column, backfill: Option<&str>) -> bool {
    from.nullable && !to.nullable && (backfill.is_some() || fills_nulls_with_default(to))
}

/// `plan` with each change that makes a backfilled column NOT NULL replaced by its steps.
/// Changes on tables the plan creates have no existing rows and are left alone.
pub fn apply_backfills(plan: Plan, backfills: &[Backfill]) -> Plan {
    let find = |table: &QualifiedName, column: &str| {
        backfills
            .iter()
            .find(|b| b.table == *table && b.column == column)
    };
    let mut changes = Vec::with_capacity(plan.changes.len());
    for change in plan.changes {
        // Only two kinds of change make a column NOT NULL; every other passes through as is.
        if let Change::AddColumn { table, column } = &change
            && !column.nullable
            && column.generated.is_none()
            && let Some(backfill) = find(table, &column.name)
        {
            changes.extend(add_with_backfill(table.clone(), column.clone(), backfill));
        } else if let Change::AlterColumn {
            table,
            from,
            to,
            backfill: None,
        } = &change
            && from.nullable
            && !to.nullable
            && let Some(backfill) = find(table, &to.name)
        {
            changes.extend(alter_with_backfill(
                table.clone(),
                from.clone(),
                to.clone(),
                backfill,
            ));
        } else {
            changes.push(change);
        }
    }
    Plan { changes, ..plan }
}

fn with_default(column: &Column, default: Option<String>) -> Column {
    Column {
        default,
        ..column.clone()
    }
}

fn alter(table: &QualifiedName, from: Column, to: Column, backfill: Option<String>) -> Change {
    Change::AlterColumn {
        table: table.clone(),
        from,
        to,
        backfill,
    }
}

fn add_with_backfill(table: QualifiedName, column: Column, backfill: &Backfill) -> Vec<Change> {
    let mut out = Vec::new();
    let filled = if backfill.reads_row {
        let bare = Column {
            nullable: true,
            ..with_default(&column, None)
        };
        let filled = Column {
            nullable: false,
            ..bare.clone()
        };
        out.push(Change::AddColumn {
            table: table.clone(),
            column: bare.clone(),
        });
        out.push(alter(
            &table,
            bare,
            filled.clone(),
            Some(backfill.sql.clone()),
        ));
        filled
    } else {
        let filled = with_default(&column, Some(backfill.sql.clone()));
        out.push(Change::AddColumn {
            table: table.clone(),
            column: filled.clone(),
        });
        filled
    };
    if filled != column {
        out.push(alter(&table, filled, column, None));
    }
    out
}

fn alter_with_backfill(
    table: QualifiedName,
    from: Column,
    to: Column,
    backfill: &Backfill,
) -> Vec<Change> {
    let mut out = Vec::new();
    let filled = if backfill.reads_row {
        let filled = Column {
            nullable: false,
            ..from.clone()
        };
        out.push(alter(
            &table,
            from,
            filled.clone(),
            Some(backfill.sql.clone()),
        ));
        filled
    } else {
        let defaulted = with_default(&from, Some(backfill.sql.clone()));
        let filled = Column {
            nullable: false,
            ..defaulted.clone()
        };
        if defaulted != from {
            out.push(alter(&table, from, defaulted.clone(), None));
        }
        out.push(alter(&table, defaulted, filled.clone(), None));
        filled
    };
    if filled != to {
        out.push(alter(&table, filled, to, None));
    }
    out
}

#[cfg(test)]
mod tests {
    use autogen_schema::{ColumnType, Dialect, Schema, Table};

    use super::*;
    use crate::{DiffOptions, apply_all, diff};

    fn schema(columns: Vec<Column>) -> Schema {
        let mut schema = Schema::new(Dialect::Postgres);
        let mut table = Table::new("t");
        table.columns = columns;
        schema
            .namespace_mut("public")
            .tables
            .insert("t".to_owned(), table);
        schema
    }

    fn column(name: &str, nullable: bool, default: Option<&str>) -> Column {
        let mut column = Column::new(name, ColumnType::Integer);
        column.nullable = nullable;
        column.default = default.map(str::to_owned);
        column
    }

    /// The expanded plan still leads from one schema to the other, and its inverse back.
    fn check(before: &Schema, after: &Schema, expect: &[&str]) {
        check_with(before, after, "7", false, expect);
    }

    fn check_with(before: &Schema, after: &Schema, sql: &str, reads_row: bool, expect: &[&str]) {
        let backfill = Backfill {
            table: QualifiedName::new("public", "t"),
            column: "c".to_owned(),
            sql: sql.to_owned(),
            reads_row,
        };
        let plan = apply_backfills(diff(before, after, &DiffOptions::new()), &[backfill]);
        let shown: Vec<String> = plan
            .changes
            .iter()
            .map(|c| {
                if let Change::AddColumn { column, .. } = c {
                    let (name, nullable, default) =
                        (&column.name, column.nullable, &column.default);
                    format!("add {name} null={nullable} default={default:?}")
                } else if let Change::AlterColumn {
                    from, to, backfill, ..
                } = c
                {
                    let (a, b) = (from.nullable, to.nullable);
                    let fill = backfill
                        .as_ref()
                        .map(|sql| format!(" fill={sql}"))
                        .unwrap_or_default();
                    format!(
                        "alter null={a}->{b} default={:?}->{:?}{fill}",
                        from.default, to.default
                    )
                } else {
                    format!("{c:?}")
                }
            })
            .collect();
        assert_eq!(shown, expect);
        let mut forward = before.clone();
        apply_all(&mut forward, &plan.changes).expect("up applies");
        assert_eq!(forward.with_columns_by_name(), after.with_columns_by_name());
        apply_all(&mut forward, &plan.inverse().expect("inverse").changes).expect("down applies");
        assert_eq!(
            forward.with_columns_by_name(),
            before.with_columns_by_name()
        );
    }

    #[test]
    fn an_added_not_null_column_is_filled_then_left_with_the_models_default() {
        let before = schema(vec![column("id", false, None)]);
        check(
            &before,
            &schema(vec![column("id", false, None), column("c", false, None)]),
            &[
                "add c null=false default=Some(\"7\")",
                "alter null=false->false default=Some(\"7\")->None",
            ],
        );
        check(
            &before,
            &schema(vec![
                column("id", false, None),
                column("c", false, Some("1")),
            ]),
            &[
                "add c null=false default=Some(\"7\")",
                "alter null=false->false default=Some(\"7\")->Some(\"1\")",
            ],
        );
    }

    #[test]
    fn a_column_becoming_not_null_gets_the_backfill_for_its_nulls_only() {
        check(
            &schema(vec![column("c", true, None)]),
            &schema(vec![column("c", false, None)]),
            &[
                "alter null=true->true default=None->Some(\"7\")",
                "alter null=true->false default=Some(\"7\")->Some(\"7\")",
                "alter null=false->false default=Some(\"7\")->None",
            ],
        );
    }

    #[test]
    fn a_backfill_reading_the_row_is_added_nullable_filled_then_not_null() {
        let before = schema(vec![column("id", false, None)]);
        check_with(
            &before,
            &schema(vec![column("id", false, None), column("c", false, None)]),
            "id * 2",
            true,
            &[
                "add c null=true default=None",
                "alter null=true->false default=None->None fill=id * 2",
            ],
        );
        // The model's default comes last: added with it, the rows would take it instead.
        check_with(
            &before,
            &schema(vec![
                column("id", false, None),
                column("c", false, Some("1")),
            ]),
            "id * 2",
            true,
            &[
                "add c null=true default=None",
                "alter null=true->false default=None->None fill=id * 2",
                "alter null=false->false default=None->Some(\"1\")",
            ],
        );
    }

    #[test]
    fn a_column_becoming_not_null_with_a_backfill_reading_the_row_sets_no_default() {
        check_with(
            &schema(vec![column("id", false, None), column("c", true, None)]),
            &schema(vec![column("id", false, None), column("c", false, None)]),
            "id * 2",
            true,
            &["alter null=true->false default=None->None fill=id * 2"],
        );
        check_with(
            &schema(vec![column("c", true, Some("3"))]),
            &schema(vec![column("c", false, Some("4"))]),
            "id * 2",
            true,
            &[
                "alter null=true->false default=Some(\"3\")->Some(\"3\") fill=id * 2",
                "alter null=false->false default=Some(\"3\")->Some(\"4\")",
            ],
        );
    }
}
