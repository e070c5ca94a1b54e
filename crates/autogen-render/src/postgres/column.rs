//! Columns: add, drop, rename, and the steps of an `AlterColumn`.

use autogen_schema::{
    Column, ColumnType, Dialect, Identity, IdentityKind, QualifiedName, SequenceOptions,
    ddl::column_definition, quote_ident,
};

use super::cast::{needs_using_cast, using_expression};
use super::sequence::option_changes;
use super::{Refusal, comment, sea};

pub(super) fn add(table: &QualifiedName, column: &Column) -> Vec<String> {
    // Raw: the definition is autogen-schema's canonical one, with identity, generated
    // expression and collation, which sea-query's ColumnDef cannot express.
    let mut out = vec![format!(
        "ALTER TABLE {} ADD COLUMN {}",
        table.quoted(),
        column_definition(Dialect::Postgres, column)
    )];
    if let Some(text) = &column.comment {
        out.push(comment::on_column(table, &column.name, Some(text)));
    }
    out
}

pub(super) fn drop(table: &QualifiedName, column: &Column) -> String {
    sea::drop_column(table, &column.name)
}

pub(super) fn rename(table: &QualifiedName, from: &str, to: &str) -> String {
    sea::rename_column(table, from, to)
}

/// One statement per aspect that differs, in an order where each step is valid after the ones
/// before it: what `to` no longer has goes first (expression, identity, default, NOT NULL), then
/// the type, then what `to` adds (default, NOT NULL, identity), then the comment.
pub(super) fn alter(
    table: &QualifiedName,
    from: &Column,
    to: &Column,
) -> Result<Vec<String>, Refusal> {
    if from.name != to.name {
        return Err("an altered column keeps its name; renaming is a change of its own".into());
    }
    for identity in [&from.identity, &to.identity].into_iter().flatten() {
        if identity.kind == IdentityKind::AutoIncrement {
            return Err(
                "PostgreSQL has no AUTO_INCREMENT; an identity is ALWAYS or BY DEFAULT".into(),
            );
        }
    }
    // PostgreSQL 15 can neither add a generation expression to an existing column nor change
    // one: the column is dropped and added again, which recomputes it.
    if to.generated.is_some() && from.generated != to.generated {
        let mut out = vec![drop(table, from)];
        out.extend(add(table, to));
        return Ok(out);
    }

    let column = &to.name;
    let prefix = format!(
        "ALTER TABLE {} ALTER COLUMN {}",
        table.quoted(),
        quote_ident(column)
    );
    let mut out = Vec::new();

    // Raw below: sea-query has no DROP EXPRESSION, identity, DROP DEFAULT, COLLATE or comments.
    if from.generated.is_some() && to.generated.is_none() {
        // Keeps the computed values as plain data.
        out.push(format!("{prefix} DROP EXPRESSION"));
    }
    if from.identity.is_some() && to.identity.is_none() {
        out.push(format!("{prefix} DROP IDENTITY"));
    }

    let type_changes = from.ty != to.ty || from.collation != to.collation;
    let cast = needs_using_cast(&from.ty, &to.ty);
    let default_changes = from.default != to.default;
    // A default has the column's type: when the type changes through a cast, the old default
    // may not convert, so it is dropped first and the new one set after the type change.
    let default_dropped = from.default.is_some() && (default_changes || (type_changes && cast));
    if default_dropped {
        out.push(format!("{prefix} DROP DEFAULT"));
    }
    // After DROP IDENTITY: an identity column cannot drop its NOT NULL.
    if !from.nullable && to.nullable {
        out.push(sea::set_nullable(table, column, true));
    }
    if type_changes {
        out.push(alter_type(&prefix, from, to));
    }
    if let Some(default) = &to.default
        && (default_changes || default_dropped)
    {
        out.push(sea::set_default(table, column, default));
    }
    // Before ADD IDENTITY, which needs the column NOT NULL.
    if from.nullable && !to.nullable {
        out.push(sea::set_nullable(table, column, false));
    }
    out.extend(identity_steps(&prefix, from, to));
    if from.comment != to.comment {
        out.push(comment::on_column(table, column, to.comment.as_deref()));
    }
    Ok(out)
}

/// `TYPE new [COLLATE c] [USING "col"::new]`. The collation rides on the type change because
/// that is where PostgreSQL takes it; without `COLLATE` the new type's default applies.
fn alter_type(prefix: &str, from: &Column, to: &Column) -> String {
    let mut sql = format!("{prefix} TYPE {}", to.ty.sql(Dialect::Postgres));
    if let Some(collation) = &to.collation {
        sql.push_str(&format!(" COLLATE {}", quote_ident(collation)));
    }
    if needs_using_cast(&from.ty, &to.ty) {
        sql.push_str(&format!(
            " USING {}",
            using_expression(&to.name, &from.ty, &to.ty)
        ));
    }
    sql
}

fn identity_steps(prefix: &str, from: &Column, to: &Column) -> Vec<String> {
    let Some(new) = &to.identity else {
        return Vec::new();
    };
    let wanted = sequence_options(new, &to.ty);
    match &from.identity {
        None => {
            let defaults = SequenceOptions::postgres_default(to.ty.clone());
            let options = option_changes(&defaults, &wanted);
            let options = if options.is_empty() {
                String::new()
            } else {
                format!(" ({})", options.join(" "))
            };
            vec![format!(
                "{prefix} ADD GENERATED {} AS IDENTITY{options}",
                kind_sql(new.kind)
            )]
        }
        Some(old) => {
            let mut out = Vec::new();
            if old.kind != new.kind {
                out.push(format!("{prefix} SET GENERATED {}", kind_sql(new.kind)));
            }
            let changes = option_changes(&options_after_type_change(old, from, to), &wanted);
            if !changes.is_empty() {
                let sets: Vec<String> = changes.iter().map(|c| format!("SET {c}")).collect();
                out.push(format!("{prefix} {}", sets.join(" ")));
            }
            out
        }
    }
}

/// The identity's sequence options; a bare identity has PostgreSQL's defaults for its type.
fn sequence_options(identity: &Identity, ty: &ColumnType) -> SequenceOptions {
    let mut options = identity
        .sequence
        .clone()
        .unwrap_or_else(|| SequenceOptions::postgres_default(ty.clone()));
    // An identity's sequence always has the column's type; `ALTER COLUMN .. SET` cannot change it.
    options.data_type = ty.clone();
    options
}

/// What the identity's sequence is after `ALTER COLUMN .. TYPE`, which moves it to the new type
/// and, as `ALTER SEQUENCE .. AS` does, turns bounds that were the old type's into the new one's.
fn options_after_type_change(old: &Identity, from: &Column, to: &Column) -> SequenceOptions {
    let mut options = sequence_options(old, &from.ty);
    let old_bounds = SequenceOptions::postgres_default(from.ty.clone());
    let new_bounds = SequenceOptions::postgres_default(to.ty.clone());
    if options.max_value == old_bounds.max_value {
        options.max_value = new_bounds.max_value;
    }
    if options.min_value == old_bounds.min_value {
        options.min_value = new_bounds.min_value;
    }
    options.data_type = to.ty.clone();
    options
}

fn kind_sql(kind: IdentityKind) -> &'static str {
    match kind {
        IdentityKind::Always => "ALWAYS",
        // AutoIncrement is refused before this is reached; BY DEFAULT is its nearest meaning.
        IdentityKind::ByDefault | IdentityKind::AutoIncrement => "BY DEFAULT",
    }
}
