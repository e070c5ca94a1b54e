//! Columns: add, drop, rename, and the steps of an `AlterColumn`.

use autogen_schema::{
    Column, ColumnType, Dialect, Identity, IdentityKind, QualifiedName, SequenceOptions,
    ddl::column_definition, quote_ident, quote_literal,
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
/// the type, then what `to` adds (default, NOT NULL, identity), then the comment. The rows
/// holding NULL get `backfill` (an expression reading the row), else the default, before
/// `SET NOT NULL`.
pub(super) fn alter(
    table: &QualifiedName,
    from: &Column,
    to: &Column,
    backfill: Option<&str>,
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
        if let Some(sequence) = nextval_argument(default)
            && from.default.as_deref().and_then(nextval_argument) != Some(sequence)
        {
            out.push(continue_counter(table, column, sequence));
        }
    }
    // Before ADD IDENTITY, which needs the column NOT NULL.
    if from.nullable && !to.nullable {
        if let Some(sql) = backfill {
            out.push(fill_nulls(table, column, sql));
        } else if autogen_diff::fills_nulls(from, to, None) {
            out.push(fill_nulls(table, column, "DEFAULT"));
        }
        out.push(sea::set_nullable(table, column, false));
    }
    out.extend(identity_steps(table, column, &prefix, from, to));
    if from.identity.is_none() && to.identity.is_some() {
        let sequence = format!(
            "pg_get_serial_sequence({}, {})",
            quote_literal(&table.quoted()),
            quote_literal(column)
        );
        out.push(continue_counter(table, column, &sequence));
    }
    if from.comment != to.comment {
        out.push(comment::on_column(table, column, to.comment.as_deref()));
    }
    Ok(out)
}

/// `UPDATE .. SET col = <value> WHERE col IS NULL`: `DEFAULT` (the column's own, already set)
/// or the backfill expression, computed from each row's other columns.
fn fill_nulls(table: &QualifiedName, column: &str, value: &str) -> String {
    let column = quote_ident(column);
    format!(
        "UPDATE {} SET {column} = {value} WHERE {column} IS NULL",
        table.quoted()
    )
}

/// A column of a table that has rows gets a new counter (an identity, or a default calling
/// another sequence): moved past the highest value already in the column, so that the next
/// insert does not collide with an existing row (the counter of the sequence it replaces is
/// gone or elsewhere). Only for ascending sequences, and only forward of their start; a no-op
/// on an empty table. `sequence` is SQL for the sequence's regclass.
fn continue_counter(table: &QualifiedName, column: &str, sequence: &str) -> String {
    format!(
        "SELECT setval(s.seqrelid::regclass, m.v) \
         FROM pg_catalog.pg_sequence s, (SELECT max({}) AS v FROM {}) m \
         WHERE s.seqrelid = ({sequence})::regclass AND s.seqincrement > 0 AND m.v >= s.seqstart",
        quote_ident(column),
        table.quoted()
    )
}

/// The argument of the `nextval(..)` call in a default as the database prints it
/// (`'t_id_seq'::regclass`), or `None` when the default calls none.
fn nextval_argument(default: &str) -> Option<&str> {
    const CALL: &str = "nextval(";
    let start = default.find(CALL)? + CALL.len();
    let rest = &default[start..];
    let (mut depth, mut quoted) = (0usize, false);
    for (i, c) in rest.char_indices() {
        match c {
            '\'' => quoted = !quoted,
            '(' if !quoted => depth += 1,
            ')' if !quoted => match depth.checked_sub(1) {
                Some(d) => depth = d,
                None => return Some(&rest[..i]),
            },
            _ => {}
        }
    }
    None
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

fn identity_steps(
    table: &QualifiedName,
    column: &str,
    prefix: &str,
    from: &Column,
    to: &Column,
) -> Vec<String> {
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
            let before = options_after_type_change(old, from, to);
            let changes = option_changes(&before, &wanted);
            if !changes.is_empty() {
                let sets: Vec<String> = changes.iter().map(|c| format!("SET {c}")).collect();
                let alter = format!("{prefix} {}", sets.join(" "));
                out.push(match bound_passed_by_the_counter(&before, &wanted) {
                    Some(passed) => restart_if_not_reached(table, column, &alter, &passed),
                    None => alter,
                });
            }
            out
        }
    }
}

/// The identity's sequence options; a bare identity has PostgreSQL's defaults for its type.
/// The condition (on the counter's `last_value`) under which the narrowed bounds leave the
/// counter behind the sequence's direction: an ascending sequence whose MINVALUE rises above
/// the counter, or a descending one whose MAXVALUE falls below it. PostgreSQL then refuses the
/// new bounds unless the sequence restarts; `None` when the bounds do not narrow that way.
fn bound_passed_by_the_counter(from: &SequenceOptions, to: &SequenceOptions) -> Option<String> {
    if to.increment > 0 && to.min_value > from.min_value {
        Some(format!("< {}", to.min_value))
    } else if to.increment < 0 && to.max_value < from.max_value {
        Some(format!("> {}", to.max_value))
    } else {
        None
    }
}

/// `alter`, with `SET .. RESTART` only where the counter has not reached the new bounds yet:
/// no value from its start to the new bound was handed out, so restarting there hands none out
/// twice. A counter already past the new bound gets the plain `alter`, which PostgreSQL refuses,
/// rather than a restart that would hand out values again. A tagged dollar quote: a name may
/// hold `$$`.
fn restart_if_not_reached(
    table: &QualifiedName,
    column: &str,
    alter: &str,
    passed: &str,
) -> String {
    format!(
        "DO $autogen$DECLARE counter bigint; BEGIN EXECUTE format('SELECT last_value FROM %s', \
         pg_get_serial_sequence({}, {})) INTO counter; IF counter {passed} THEN {alter} \
         RESTART; ELSE {alter}; END IF; END$autogen$",
        quote_literal(&table.quoted()),
        quote_literal(column),
    )
}

fn sequence_options(identity: &Identity, ty: &ColumnType) -> SequenceOptions {
    let mut options = identity
        .sequence
        .as_deref()
        .cloned()
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

#[cfg(test)]
mod tests {
    use super::nextval_argument;

    #[test]
    fn the_sequence_a_default_calls() {
        assert_eq!(
            nextval_argument("nextval('t_id_seq'::regclass)"),
            Some("'t_id_seq'::regclass")
        );
        assert_eq!(
            nextval_argument("nextval('app.\"odd)seq\"'::regclass)"),
            Some("'app.\"odd)seq\"'::regclass")
        );
        assert_eq!(
            nextval_argument("nextval(('s'::text)::regclass)"),
            Some("('s'::text)::regclass")
        );
        assert_eq!(nextval_argument("0"), None);
    }
}
