//! Enum types. Raw SQL: CREATE TYPE is autogen-schema's canonical text, and sea-query's type
//! statements read a name ending in `[]` as an array and escape labels as `E'..'`; one
//! spelling for every enum statement is easier to review.

use autogen_diff::{EnumColumnUse, EnumDependent, EnumValuePosition};
use autogen_schema::{
    Dialect, EnumType, QualifiedName, ddl::create_enum, quote_ident, quote_literal,
};

use super::cast::{base, text_type};
use super::{column, comment, sea, table};

pub(super) fn create(name: &QualifiedName, definition: &EnumType) -> Vec<String> {
    let mut out = vec![create_enum(name, definition)];
    if let Some(text) = &definition.comment {
        out.push(comment::on_type(name, Some(text)));
    }
    out
}

pub(super) fn drop(name: &QualifiedName) -> String {
    format!("DROP TYPE {}", name.quoted())
}

pub(super) fn add_value(name: &QualifiedName, value: &str, position: &EnumValuePosition) -> String {
    let position = match position {
        EnumValuePosition::Before(label) => format!(" BEFORE {}", quote_literal(label)),
        EnumValuePosition::After(label) => format!(" AFTER {}", quote_literal(label)),
        EnumValuePosition::End => String::new(),
    };
    format!(
        "ALTER TYPE {} ADD VALUE {}{position}",
        name.quoted(),
        quote_literal(value)
    )
}

pub(super) fn rename_value(name: &QualifiedName, from: &str, to: &str) -> String {
    format!(
        "ALTER TYPE {} RENAME VALUE {} TO {}",
        name.quoted(),
        quote_literal(from),
        quote_literal(to)
    )
}

/// Labels cannot be removed or reordered in place: the old type is renamed away, the new one
/// created under the name, every column using it cast over through `text`, and the old type
/// dropped. A column's default is typed, so it is dropped before the cast and set again after;
/// its text names the type, which by then is the new one. The checks, indexes and foreign keys
/// that name the type or its columns are dropped first and created again once every column is
/// cast (see [`EnumDependent`]): their text, read again, then names the new type too.
pub(crate) fn rebuild(
    name: &QualifiedName,
    from: &EnumType,
    to: &EnumType,
    columns: &[EnumColumnUse],
    dependents: &[EnumDependent],
) -> Vec<String> {
    let old = QualifiedName::new(&name.schema, old_name(&name.name));
    let mut out = detach(dependents);
    out.push(format!(
        "ALTER TYPE {} RENAME TO {}",
        name.quoted(),
        quote_ident(&old.name)
    ));
    out.extend(create(name, to));
    for usage in columns {
        let (table, column) = (&usage.table, &usage.column);
        let prefix = format!(
            "ALTER TABLE {} ALTER COLUMN {}",
            table.quoted(),
            quote_ident(&column.name)
        );
        if column.default.is_some() {
            out.push(format!("{prefix} DROP DEFAULT"));
        }
        let (_, dimensions) = base(&column.ty);
        let ty = column.ty.sql(autogen_schema::Dialect::Postgres);
        out.push(format!(
            "{prefix} TYPE {ty} USING {}::{}::{ty}",
            quote_ident(&column.name),
            text_type(dimensions)
        ));
        if let Some(default) = &column.default
            && !mentions_removed_label(default, from, to)
        {
            out.push(sea::set_default(table, &column.name, default));
        }
    }
    out.extend(attach(dependents));
    out.push(drop(&old));
    out
}

/// Drops the dependents, what is built on a generated column before the column: foreign
/// keys, checks, indexes, unique and primary keys, then generated columns.
fn detach(dependents: &[EnumDependent]) -> Vec<String> {
    let mut sorted: Vec<&EnumDependent> = dependents.iter().collect();
    sorted.sort_by_key(|d| detach_rank(d));
    sorted
        .into_iter()
        .map(|d| match d {
            EnumDependent::ForeignKey {
                table: t,
                constraint,
            } => table::drop_constraint(t, &constraint.name),
            EnumDependent::Check {
                table: t,
                constraint,
            } => table::drop_constraint(t, &constraint.name),
            EnumDependent::Index { table: t, index } => table::drop_index(t, index),
            EnumDependent::Unique {
                table: t,
                constraint,
            } => table::drop_constraint(t, &constraint.name),
            EnumDependent::PrimaryKey { table: t, key } => table::drop_constraint(t, &key.name),
            EnumDependent::GeneratedColumn {
                table: t,
                column: c,
            } => column::drop(t, c),
        })
        .collect()
}

/// Creates the dependents again, in the reverse order.
fn attach(dependents: &[EnumDependent]) -> Vec<String> {
    let mut sorted: Vec<&EnumDependent> = dependents.iter().collect();
    sorted.sort_by_key(|d| std::cmp::Reverse(detach_rank(d)));
    sorted
        .into_iter()
        .flat_map(|d| match d {
            EnumDependent::ForeignKey {
                table: t,
                constraint,
            } => {
                vec![table::add_foreign_key(t, constraint)]
            }
            EnumDependent::Check {
                table: t,
                constraint,
            } => vec![table::add_check(t, constraint)],
            EnumDependent::Index { table: t, index } => vec![autogen_schema::ddl::create_index(
                Dialect::Postgres,
                t,
                index,
            )],
            EnumDependent::Unique {
                table: t,
                constraint,
            } => {
                vec![table::add_unique(t, constraint)]
            }
            EnumDependent::PrimaryKey { table: t, key } => vec![table::add_primary_key(t, key)],
            EnumDependent::GeneratedColumn {
                table: t,
                column: c,
            } => column::add(t, c),
        })
        .collect()
}

fn detach_rank(dependent: &EnumDependent) -> u8 {
    match dependent {
        EnumDependent::ForeignKey { .. } => 0,
        EnumDependent::Check { .. } => 1,
        EnumDependent::Index { .. } => 2,
        EnumDependent::Unique { .. } => 3,
        EnumDependent::PrimaryKey { .. } => 4,
        EnumDependent::GeneratedColumn { .. } => 5,
    }
}

/// A default naming a label the new type lacks cannot be set again; the plan's own change to
/// that column's default sets the one it should have.
fn mentions_removed_label(default: &str, from: &EnumType, to: &EnumType) -> bool {
    from.labels
        .iter()
        .filter(|label| !to.labels.contains(label))
        .any(|label| default.contains(&quote_literal(label)))
}

/// The name the old type is parked under while its replacement takes over, kept within
/// PostgreSQL's 63-byte identifiers so that truncation cannot make it equal the original name.
fn old_name(name: &str) -> String {
    autogen_schema::naming::with_suffix(name, "__autogen_old")
}
