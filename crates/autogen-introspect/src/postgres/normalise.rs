//! PostgreSQL as the normaliser of what the cheap comparison could not settle, leaving nothing
//! behind: on the caller's connection, inside a transaction that is always rolled back (a
//! client killed mid-run has its open transaction rolled back by the server), the tables go
//! into a throwaway schema created in that transaction, under positional names (`t1`, `i1`) so
//! that tables of several real schemas cannot collide; new schemas, enum types and sequences
//! are created where the models put them, so that qualified names print as they will. The
//! introspector's own catalog queries read the result back (empty search_path), the names are
//! mapped back, and everything is rolled back. No database is created and no privilege beyond
//! CREATE on the role's own database is needed.
//!
//! Every statement that carries model text is one prepared statement (extended protocol), where
//! PostgreSQL refuses a second command, and each expression has been checked to be one balanced
//! expression before ([`crate::normalise::check_expressions`]).

use std::collections::{BTreeMap, BTreeSet};
use std::time::{SystemTime, UNIX_EPOCH};

use autogen_schema::{
    Column, ColumnType, Dialect, Index, IndexTarget, QualifiedName, Schema, Table,
    create_table_ddl,
    ddl::{create_enum, create_index, create_sequence},
    quote_ident,
};
use sqlx::{Connection, PgConnection, Row};

use super::read_catalog;
use crate::normalise::{Slot, check_expressions};
use crate::{IntrospectError, IntrospectOptions, Introspection, MissingSchema};

/// Lock-table entries one transaction may use. Every table and index created takes one, a
/// table's TOAST table and index two more; PostgreSQL's shared lock table holds
/// `max_locks_per_transaction` (64) x `max_connections` (100) by default, shared by everyone.
const LOCK_BUDGET: usize = 1500;

/// `schema` (the pending tables, with the enum types and sequences they may use) as
/// PostgreSQL spells it, read back from a rolled-back transaction on `conn`. `statements`
/// counts every statement sent.
pub async fn normalise_postgres(
    conn: &mut PgConnection,
    schema: &Schema,
) -> Result<Introspection, IntrospectError> {
    check_expressions(schema)?;
    let tables: Vec<(QualifiedName, &Table)> = schema.tables().collect();
    let mut out = Schema::new(Dialect::Postgres);
    let mut statements = 0;
    let mut start = 0;
    while start < tables.len() {
        let mut end = start;
        let mut locks = 0;
        while end < tables.len() && (end == start || locks + cost(tables[end].1) <= LOCK_BUDGET) {
            locks += cost(tables[end].1);
            end += 1;
        }
        statements += normalise_chunk(conn, schema, &tables[start..end], &mut out).await?;
        start = end;
    }
    Ok(Introspection {
        schema: out,
        statements,
    })
}

fn cost(table: &Table) -> usize {
    3 + table.indexes.len()
}

/// What exists already in the database, for the namespaces the schema names.
#[derive(Debug, Default)]
struct Existing {
    schemas: BTreeSet<String>,
    /// Labels and the name as PostgreSQL prints it (`public.status`, `"Odd"."Type"`).
    enums: BTreeMap<QualifiedName, (Vec<String>, String)>,
    sequences: BTreeSet<QualifiedName>,
}

/// One statement of a chunk, and the object it is about, for messages.
#[derive(Debug)]
struct Step {
    sql: String,
    /// The position of the table it creates or indexes in the chunk; `None` for what the
    /// tables need (schemas, types, sequences).
    table: Option<usize>,
}

/// A chunk's statements and how to map the read-back names to the real ones.
#[derive(Debug)]
struct Shadow {
    throwaway: String,
    steps: Vec<Step>,
    /// `t1` -> the real table.
    tables: BTreeMap<String, QualifiedName>,
    /// Per shadow table, `i1` -> the real index name.
    indexes: BTreeMap<String, BTreeMap<String, String>>,
    /// A mirror of an enum type whose labels the models change, as printed, and the real
    /// type's printed name.
    mirrors: Vec<(String, String)>,
}

async fn normalise_chunk(
    conn: &mut PgConnection,
    schema: &Schema,
    chunk: &[(QualifiedName, &Table)],
    out: &mut Schema,
) -> Result<usize, IntrospectError> {
    let mut statements = 0;
    let mut tx = conn.begin().await.map_err(failed("BEGIN"))?;
    statements += 1;
    let namespaces: Vec<String> = schema.schemas.keys().cloned().collect();
    let existing = existing(&mut tx, &namespaces).await?;
    statements += 1;
    let shadow = shadow(schema, chunk, &existing);
    for step in &shadow.steps {
        statements += 1;
        if let Err(e) = execute(&mut tx, &step.sql).await {
            let _ = tx.rollback().await;
            let reason = server_message(&e);
            return Err(match step.table {
                Some(position) => locate(conn, &shadow, chunk, position, reason).await,
                None if step.sql == shadow.steps[0].sql => IntrospectError::Normalise {
                    object: format!(
                        "a throwaway schema `{}` (created in a transaction that is rolled back)",
                        shadow.throwaway
                    ),
                    reason: format!(
                        "{reason}; grant CREATE on the database to the role, or name an empty \
                         database of the same kind with --dev-url"
                    ),
                    site: None,
                },
                None => IntrospectError::Normalise {
                    object: "the types and sequences the pending tables use".to_owned(),
                    reason: format!("{reason} (in `{}`)", step.sql),
                    site: None,
                },
            });
        }
    }
    // JIT off as in `read_postgres_catalog`: the catalog queries gain nothing from it.
    execute(
        &mut tx,
        "SELECT set_config('search_path', '', true), set_config('jit', 'off', true)",
    )
    .await
    .map_err(failed("SET LOCAL search_path"))?;
    statements += 1;
    let options = IntrospectOptions {
        schemas: vec![shadow.throwaway.clone()],
        missing_schema: MissingSchema::Absent,
        uncompared: false,
    };
    let read = read_catalog(&mut tx, &options).await;
    // Whatever happened, nothing of this transaction stays.
    let rolled_back = tx.rollback().await;
    let read = read?;
    statements += read.statements + 1;
    rolled_back.map_err(failed("ROLLBACK"))?;
    map_back(&shadow, read.schema, out);
    Ok(statements)
}

/// One prepared statement, not kept in the connection's statement cache.
async fn execute(conn: &mut PgConnection, sql: &str) -> Result<(), sqlx::Error> {
    sqlx::query(sqlx::AssertSqlSafe(sql.to_owned()))
        .persistent(false)
        .execute(conn)
        .await
        .map(|_| ())
}

fn failed(what: &'static str) -> impl FnOnce(sqlx::Error) -> IntrospectError {
    move |e| IntrospectError::Query {
        what,
        reason: server_message(&e),
    }
}

#[allow(
    clippy::wildcard_enum_match_arm,
    reason = "matches over sqlx's, dotenvy's and std's sqlx::Error, not ours: a wildcard is the intent"
)]
fn server_message(error: &sqlx::Error) -> String {
    match error {
        sqlx::Error::Database(db) => db.message().to_owned(),
        other => other.to_string(),
    }
}

const EXISTING: &str = "SELECT 's', n.nspname::text, NULL::text, NULL::text[], NULL::text
     FROM pg_namespace n WHERE n.nspname = ANY($1)
     UNION ALL
     SELECT 'e', n.nspname::text, t.typname::text,
        ARRAY(SELECT e.enumlabel::text FROM pg_enum e WHERE e.enumtypid = t.oid ORDER BY e.enumsortorder),
        format('%I.%I', n.nspname, t.typname)
     FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
     WHERE t.typtype = 'e' AND n.nspname = ANY($1)
     UNION ALL
     SELECT 'q', n.nspname::text, c.relname::text, NULL, NULL
     FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE c.relkind = 'S' AND n.nspname = ANY($1)";

async fn existing(
    conn: &mut PgConnection,
    namespaces: &[String],
) -> Result<Existing, IntrospectError> {
    let rows = sqlx::query(EXISTING)
        .bind(namespaces)
        .fetch_all(conn)
        .await
        .map_err(failed("the existing schemas, types and sequences"))?;
    let mut out = Existing::default();
    for row in rows {
        let get = |i: usize| -> Result<Option<String>, IntrospectError> {
            row.try_get(i).map_err(|e| IntrospectError::Catalog {
                object: "the existing schemas, types and sequences".to_owned(),
                reason: e.to_string(),
            })
        };
        let kind = get(0)?.unwrap_or_default();
        let namespace = get(1)?.unwrap_or_default();
        let name = get(2)?.unwrap_or_default();
        match kind.as_str() {
            "s" => {
                out.schemas.insert(namespace);
            }
            "e" => {
                let labels: Option<Vec<String>> =
                    row.try_get(3).map_err(|e| IntrospectError::Catalog {
                        object: format!("enum {namespace}.{name}"),
                        reason: e.to_string(),
                    })?;
                let printed = get(4)?.unwrap_or_default();
                out.enums.insert(
                    QualifiedName::new(namespace, name),
                    (labels.unwrap_or_default(), printed),
                );
            }
            _ => {
                out.sequences.insert(QualifiedName::new(namespace, name));
            }
        }
    }
    Ok(out)
}

fn throwaway_name() -> String {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    format!(
        "autogen_normalise_{}_{}",
        std::process::id(),
        nanos % 1_000_000_000
    )
}

/// The statements of one chunk: the throwaway schema, what the tables need, the tables.
fn shadow(schema: &Schema, chunk: &[(QualifiedName, &Table)], existing: &Existing) -> Shadow {
    let throwaway = throwaway_name();
    let mut steps = vec![Step {
        sql: format!("CREATE SCHEMA {}", quote_ident(&throwaway)),
        table: None,
    }];
    let mut created_schemas = BTreeSet::new();
    let mut need_schema = |steps: &mut Vec<Step>, name: &str| {
        if !existing.schemas.contains(name) && created_schemas.insert(name.to_owned()) {
            steps.push(Step {
                sql: format!("CREATE SCHEMA {}", quote_ident(name)),
                table: None,
            });
        }
    };

    // Enum types: a new one where the models put it; one whose labels the models change as a
    // mirror in the throwaway schema (a label added in this transaction could not be used).
    let used = used_enums(chunk);
    let mut mirrors: BTreeMap<QualifiedName, QualifiedName> = BTreeMap::new();
    let mut printed = Vec::new();
    for (name, definition) in schema.enums() {
        match existing.enums.get(&name) {
            None => {
                need_schema(&mut steps, &name.schema);
                steps.push(Step {
                    sql: create_enum(&name, definition),
                    table: None,
                });
            }
            Some((labels, real)) if labels != &definition.labels && used.contains(&name) => {
                let mirror = QualifiedName::new(&throwaway, format!("e{}", mirrors.len() + 1));
                steps.push(Step {
                    sql: create_enum(&mirror, definition),
                    table: None,
                });
                printed.push((format!("{}.{}", mirror.schema, mirror.name), real.clone()));
                mirrors.insert(name, mirror);
            }
            Some(_) => {}
        }
    }
    // Sequences the defaults name and the database lacks.
    let defaults: Vec<&str> = chunk
        .iter()
        .flat_map(|(_, t)| t.columns.iter().filter_map(|c| c.default.as_deref()))
        .collect();
    for (name, sequence) in schema.sequences() {
        if !existing.sequences.contains(&name) && defaults.iter().any(|d| d.contains(&name.name)) {
            need_schema(&mut steps, &name.schema);
            steps.push(Step {
                sql: create_sequence(&name, sequence),
                table: None,
            });
        }
    }

    // The expressions name the real type (`'doing'::public.status`): they must name the mirror.
    let renames: Vec<(String, String)> = mirrors
        .iter()
        .flat_map(|(real, mirror)| {
            let to = format!("{}.{}", mirror.schema, mirror.name);
            let printed = existing
                .enums
                .get(real)
                .map(|(_, p)| p.clone())
                .unwrap_or_default();
            [(real.quoted(), to.clone()), (printed, to)]
        })
        .filter(|(from, _)| !from.is_empty())
        .collect();

    let mut tables = BTreeMap::new();
    let mut indexes = BTreeMap::new();
    let mut index_number = 0;
    for (position, (name, table)) in chunk.iter().enumerate() {
        let shadow_name = format!("t{}", position + 1);
        let qualified = QualifiedName::new(&throwaway, &shadow_name);
        let (shadow_table, shadow_indexes) = shadow_table(table, &mirrors, &renames);
        steps.push(Step {
            sql: create_table_ddl(Dialect::Postgres, &qualified, &shadow_table),
            table: Some(position),
        });
        let mut names = BTreeMap::new();
        for mut index in shadow_indexes {
            index_number += 1;
            let shadow_index = format!("i{index_number}");
            names.insert(shadow_index.clone(), index.name.clone());
            index.name = shadow_index;
            steps.push(Step {
                sql: create_index(Dialect::Postgres, &qualified, &index),
                table: Some(position),
            });
        }
        indexes.insert(shadow_name.clone(), names);
        tables.insert(shadow_name, name.clone());
    }
    Shadow {
        throwaway,
        steps,
        tables,
        indexes,
        mirrors: printed,
    }
}

fn used_enums(chunk: &[(QualifiedName, &Table)]) -> BTreeSet<QualifiedName> {
    let mut out = BTreeSet::new();
    for (_, table) in chunk {
        for column in &table.columns {
            out.extend(column.ty.enum_name().cloned());
        }
    }
    out
}

#[allow(
    clippy::wildcard_enum_match_arm,
    reason = "only the types named differ here; every other type is handled alike"
)]
fn remap(ty: &ColumnType, mirrors: &BTreeMap<QualifiedName, QualifiedName>) -> ColumnType {
    match ty {
        ColumnType::Enum { name } => ColumnType::Enum {
            name: mirrors.get(name).cloned().unwrap_or_else(|| name.clone()),
        },
        ColumnType::Array {
            element,
            dimensions,
        } => ColumnType::Array {
            element: Box::new(remap(element, mirrors)),
            dimensions: *dimensions,
        },
        other => other.clone(),
    }
}

/// The table with only what carries or frames an expression: columns (types, collations,
/// defaults, generated expressions) and checks; no keys, identities or comments. Its indexes
/// that hold an expression come separately.
fn shadow_table(
    table: &Table,
    mirrors: &BTreeMap<QualifiedName, QualifiedName>,
    renames: &[(String, String)],
) -> (Table, Vec<Index>) {
    let mut shadow = Table::new(table.name.clone());
    shadow.columns = table
        .columns
        .iter()
        .map(|c| Column {
            name: c.name.clone(),
            ty: remap(&c.ty, mirrors),
            nullable: true,
            default: c.default.clone(),
            identity: None,
            generated: c.generated.clone(),
            collation: c.collation.clone(),
            comment: None,
        })
        .collect();
    shadow.checks = table.checks.clone();
    let indexes = table
        .indexes
        .values()
        .filter(|i| {
            i.predicate.is_some()
                || i.keys
                    .iter()
                    .any(|k| matches!(k.target, IndexTarget::Expression(_)))
        })
        .cloned()
        .collect::<Vec<Index>>();
    if renames.is_empty() {
        return (shadow, indexes);
    }
    let mut whole = shadow;
    whole.indexes = indexes.into_iter().map(|i| (i.name.clone(), i)).collect();
    for slot in Slot::all(&whole) {
        if let Some(text) = slot.text(&whole) {
            let mut text = text.to_owned();
            for (from, to) in renames {
                text = replace_name(&text, from, to);
            }
            slot.set(&mut whole, text);
        }
    }
    let indexes = std::mem::take(&mut whole.indexes)
        .into_iter()
        .map(|(_, v)| v)
        .collect();
    (whole, indexes)
}

/// The read-back tables under their real names, mirrors of enum types under the real type's.
fn map_back(shadow: &Shadow, read: Schema, out: &mut Schema) {
    let Some(namespace) = read.schemas.get(&shadow.throwaway) else {
        return;
    };
    for (shadow_name, table) in &namespace.tables {
        let Some(real) = shadow.tables.get(shadow_name) else {
            continue;
        };
        let mut table = table.clone();
        table.name = real.name.clone();
        let names = shadow.indexes.get(shadow_name);
        table.indexes = std::mem::take(&mut table.indexes)
            .into_iter()
            .map(|(_, index)| index)
            .filter_map(|mut index| {
                let name = names?.get(&index.name)?.clone();
                index.name = name.clone();
                Some((name, index))
            })
            .collect();
        if !shadow.mirrors.is_empty() {
            for slot in Slot::all(&table) {
                if let Some(text) = slot.text(&table) {
                    let mut text = text.to_owned();
                    for (mirror, real) in &shadow.mirrors {
                        text = replace_name(&text, mirror, real);
                    }
                    slot.set(&mut table, text);
                }
            }
        }
        out.namespace_mut(&real.schema)
            .tables
            .insert(real.name.clone(), table);
    }
}

/// `text` with every occurrence of the name `from` that is a whole name (not the start or end
/// of a longer one: `public.status` in `public.status_2`) replaced by `to`.
fn replace_name(text: &str, from: &str, to: &str) -> String {
    let part_of_name = |c: char| c.is_alphanumeric() || c == '_' || c == '$' || c == '"';
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(from) {
        let before = rest[..at].chars().last().or_else(|| out.chars().last());
        let after = rest[at + from.len()..].chars().next();
        out.push_str(&rest[..at]);
        if before.is_some_and(|c| part_of_name(c) || c == '.') || after.is_some_and(part_of_name) {
            out.push_str(from);
        } else {
            out.push_str(to);
        }
        rest = &rest[at + from.len()..];
    }
    out.push_str(rest);
    out
}

/// Which expression of the table at `position` the server refused: the table is built again
/// piece by piece, each piece in a transaction of its own that is rolled back.
async fn locate(
    conn: &mut PgConnection,
    shadow: &Shadow,
    chunk: &[(QualifiedName, &Table)],
    position: usize,
    reason: String,
) -> IntrospectError {
    let (name, table) = &chunk[position];
    let prerequisites: Vec<&str> = shadow
        .steps
        .iter()
        .filter(|s| s.table.is_none())
        .map(|s| s.sql.as_str())
        .collect();
    let qualified = QualifiedName::new(&shadow.throwaway, format!("t{}", position + 1));
    let mut bare = Table::new(qualified.name.clone());
    bare.columns = table
        .columns
        .iter()
        .filter(|c| c.generated.is_none())
        .map(|c| {
            let mut c = c.clone();
            c.default = None;
            c.identity = None;
            c.nullable = true;
            c.comment = None;
            c
        })
        .collect();
    let bare_sql = create_table_ddl(Dialect::Postgres, &qualified, &bare);
    for slot in Slot::all(table) {
        let Some(piece) = piece_sql(&qualified, table, &slot) else {
            continue;
        };
        let mut script: Vec<String> = prerequisites.iter().map(|s| (*s).to_owned()).collect();
        script.push(bare_sql.clone());
        script.push(piece);
        if let Err(Some(message)) = try_rolled_back(conn, &script).await {
            return IntrospectError::Normalise {
                object: slot.describe(&name.to_string()),
                reason: message,
                site: Some(Box::new((name.clone(), slot.clone()))),
            };
        }
    }
    IntrospectError::Normalise {
        object: format!("table `{name}`"),
        reason,
        site: None,
    }
}

/// The statement that adds one slot to the bare table.
fn piece_sql(qualified: &QualifiedName, table: &Table, slot: &Slot) -> Option<String> {
    let text = slot.text(table)?;
    let target = qualified.quoted();
    Some(match slot {
        Slot::Default(column) => format!(
            "ALTER TABLE {target} ALTER COLUMN {} SET DEFAULT {text}",
            quote_ident(column)
        ),
        Slot::Generated(column) => {
            let column = table.column(column)?;
            let mut only = column.clone();
            only.default = None;
            only.identity = None;
            only.nullable = true;
            only.comment = None;
            format!(
                "ALTER TABLE {target} ADD COLUMN {}",
                autogen_schema::ddl::column_definition(Dialect::Postgres, &only)
            )
        }
        Slot::Check(name) => format!(
            "ALTER TABLE {target} ADD {}",
            autogen_schema::ddl::check_clause(table.checks.get(name)?)
        ),
        Slot::IndexKey(name, _) | Slot::Predicate(name) => {
            let mut index = table.indexes.get(name)?.clone();
            index.name = "autogen_locate".to_owned();
            create_index(Dialect::Postgres, qualified, &index)
        }
    })
}

/// Runs `script` in a transaction that is rolled back; the server's message if a statement
/// fails (`Err(None)` when the connection itself fails).
async fn try_rolled_back(conn: &mut PgConnection, script: &[String]) -> Result<(), Option<String>> {
    let mut tx = conn.begin().await.map_err(|_| None)?;
    for sql in script {
        if let Err(e) = execute(&mut tx, sql).await {
            let _ = tx.rollback().await;
            return Err(Some(server_message(&e)));
        }
    }
    let _ = tx.rollback().await;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::replace_name;

    #[test]
    fn only_whole_names_are_replaced() {
        assert_eq!(
            replace_name(
                "'a'::public.status = 'b'::public.status_2",
                "public.status",
                "x.e1"
            ),
            "'a'::x.e1 = 'b'::public.status_2"
        );
        assert_eq!(replace_name("'a'::s.e10", "s.e1", "public.t"), "'a'::s.e10");
        assert_eq!(
            replace_name("'a'::myschema.e1", "schema.e1", "p.t"),
            "'a'::myschema.e1"
        );
        assert_eq!(replace_name("('a'::s.e1)", "s.e1", "p.t"), "('a'::p.t)");
    }
}
