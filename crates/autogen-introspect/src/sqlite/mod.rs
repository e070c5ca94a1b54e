//! SQLite: the whole schema in four queries over `sqlite_schema` and the pragma table-valued
//! functions (`pragma_table_xinfo`, `pragma_index_list`, `pragma_index_xinfo`,
//! `pragma_foreign_key_list`), inside one read transaction. What the pragmas leave out
//! (constraint names, CHECKs, index expressions and predicates) is read from the stored SQL with
//! a parser. Everything lives in the one namespace `main` ([`Dialect::default_schema`]).

#![allow(
    clippy::wildcard_enum_match_arm,
    reason = "matches over sqlx's, dotenvy's and std's enums, not ours: they grow with each release and a wildcard is the intent"
)]

mod parse;
mod queries;

use std::collections::BTreeMap;
use std::str::FromStr;

use autogen_schema::naming::first_free;
use autogen_schema::naming::sqlite as sqlite_names;
use autogen_schema::{
    CheckConstraint, Column, ColumnType, Dialect, ForeignKey, Identity, IdentityKind, Index,
    PrimaryKey, QualifiedName, ReferentialAction, Schema, Table, TableOptions, Trigger,
    UniqueConstraint, View, canonical_ddl_text,
};
use sqlx::sqlite::{SqliteConnectOptions, SqliteRow};
use sqlx::{ConnectOptions, Connection, Executor, Row, SqliteConnection};

use crate::{IntrospectError, IntrospectOptions, Introspection};

/// Opens a connection from a `sqlite:` URL (`sqlite://todo.db?mode=rwc` creates the file).
pub async fn connect_sqlite(url: &str) -> Result<SqliteConnection, IntrospectError> {
    // `sqlite://user:pw@/path` is read as a file name holding the password: the one redaction
    // ([`autogen_schema::Secrets`]) covers the name and SQLite's words.
    let secrets = autogen_schema::Secrets::of([url]);
    let options = SqliteConnectOptions::from_str(url).map_err(|e| IntrospectError::InvalidUrl {
        reason: secrets.scrub(&e.to_string()),
    })?;
    let file = secrets.scrub(&options.get_filename().display().to_string());
    // sqlx's statement logging stays on: `-v` shows each statement with its timing.
    let since = std::time::Instant::now();
    let conn = options
        .connect()
        .await
        .map_err(|e| IntrospectError::Connect {
            server: file.clone(),
            reason: secrets.scrub(&open_reason(&e)),
        })?;
    crate::trace::connected("sqlite", &file, "", "", since);
    Ok(conn)
}

/// SQLite's own words; for a file it cannot open (SQLITE_CANTOPEN, most often one that does
/// not exist), how to have it created.
fn open_reason(error: &sqlx::Error) -> String {
    match error {
        sqlx::Error::Database(db) if db.code().as_deref() == Some("14") => format!(
            "{} (to create a new database file, add ?mode=rwc to the url)",
            db.message()
        ),
        other => other.to_string(),
    }
}

/// Reads every table of the database's one namespace, `main`.
pub async fn introspect_sqlite(
    conn: &mut SqliteConnection,
    _options: &IntrospectOptions,
) -> Result<Introspection, IntrospectError> {
    let mut tx = conn.begin().await.map_err(query_error("a transaction"))?;
    let tables = fetch(&mut tx, "tables", queries::TABLES).await?;
    let columns = fetch(&mut tx, "columns", queries::COLUMNS).await?;
    let indexes = fetch(&mut tx, "indexes", queries::INDEXES).await?;
    let foreign_keys = fetch(&mut tx, "foreign keys", queries::FOREIGN_KEYS).await?;
    let others = fetch(&mut tx, "views and triggers", queries::VIEWS_AND_TRIGGERS).await?;
    tx.commit().await.map_err(query_error("a transaction"))?;
    let mut schema = build(&tables, &columns, &indexes, &foreign_keys)?;
    views_and_triggers(&mut schema, &others)?;
    Ok(Introspection {
        schema,
        statements: 7,
    })
}

/// `schema` as SQLite spells it: its canonical DDL loaded into an in-memory database and read
/// back (DESIGN §6: the database is the normaliser). `url` only picks the dialect.
pub async fn normalise_sqlite(
    schema: &Schema,
    options: &IntrospectOptions,
) -> Result<Introspection, IntrospectError> {
    // The DDL goes as one script: each expression must be one expression first.
    crate::normalise::check_expressions(schema)?;
    let mut conn = connect_sqlite("sqlite::memory:").await?;
    // SQLite takes an unknown function in a default when the table is created and fails only
    // when a row needs it (`now()`: at `upgrade`, in the middle of a rebuild). Each expression
    // default is evaluated here first, so the model attribute is named before anything runs.
    if let Err(error) = evaluate_defaults(&mut conn, schema).await {
        let _ = conn.close().await;
        return Err(error);
    }
    // Views and triggers are carried verbatim, not spelled by SQLite: they stay out of the
    // in-memory database (a trigger may name a table the models rename) and go back into the
    // result as they came.
    let mut tables_only = schema.clone();
    for ns in tables_only.schemas.values_mut() {
        ns.views.clear();
        ns.triggers.clear();
    }
    let ddl = canonical_ddl_text(&tables_only);
    // The DDL is autogen's own rendering of the schema; identifiers in it are quoted.
    conn.execute(sqlx::raw_sql(sqlx::AssertSqlSafe(ddl)))
        .await
        .map_err(|e| IntrospectError::Normalise {
            object: "the models' schema (loaded into an in-memory SQLite database)".to_owned(),
            reason: e.to_string(),
            site: None,
        })?;
    let introspection = introspect_sqlite(&mut conn, options).await;
    let _ = conn.close().await;
    introspection.map(|mut read| {
        for (name, ns) in &schema.schemas {
            let into = read.schema.namespace_mut(name);
            into.views = ns.views.clone();
            into.triggers = ns.triggers.clone();
        }
        read
    })
}

/// `SELECT (<default>)` for every default that is not a literal (a default cannot name a
/// column, so each one evaluates on its own); the first refused names its slot.
async fn evaluate_defaults(
    conn: &mut SqliteConnection,
    schema: &Schema,
) -> Result<(), IntrospectError> {
    for (name, table) in schema.tables() {
        for column in &table.columns {
            let Some(default) = column
                .default
                .as_deref()
                .filter(|d| !autogen_schema::ddl::sqlite_plain_default(d))
            else {
                continue;
            };
            // One expression (`check_expressions` above), run in memory only.
            let select = format!("SELECT ({default})");
            if let Err(e) = conn
                .execute(sqlx::raw_sql(sqlx::AssertSqlSafe(select)))
                .await
            {
                let slot = crate::Slot::Default(column.name.clone());
                return Err(IntrospectError::Normalise {
                    object: slot.describe(&name.to_string()),
                    reason: e.to_string(),
                    site: Some(Box::new((name.clone(), slot))),
                });
            }
        }
    }
    Ok(())
}

async fn fetch(
    conn: &mut SqliteConnection,
    what: &'static str,
    sql: &'static str,
) -> Result<Vec<SqliteRow>, IntrospectError> {
    conn.fetch_all(sql).await.map_err(query_error(what))
}

fn query_error(what: &'static str) -> impl FnOnce(sqlx::Error) -> IntrospectError {
    move |e| IntrospectError::Query {
        what,
        reason: e.to_string(),
    }
}

fn get<'r, T>(row: &'r SqliteRow, i: usize) -> Result<T, IntrospectError>
where
    T: sqlx::Decode<'r, sqlx::Sqlite> + sqlx::Type<sqlx::Sqlite>,
{
    row.try_get(i).map_err(|e| IntrospectError::Catalog {
        object: "the SQLite catalog".to_owned(),
        reason: e.to_string(),
    })
}

fn catalog(object: &str, reason: String) -> IntrospectError {
    IntrospectError::Catalog {
        object: object.to_owned(),
        reason,
    }
}

/// A name not taken yet: `base`, else `base1`, `base2`, ... (PostgreSQL's way).
fn action(text: &str) -> ReferentialAction {
    match text.to_ascii_uppercase().as_str() {
        "RESTRICT" => ReferentialAction::Restrict,
        "CASCADE" => ReferentialAction::Cascade,
        "SET NULL" => ReferentialAction::SetNull,
        "SET DEFAULT" => ReferentialAction::SetDefault,
        _ => ReferentialAction::NoAction,
    }
}

/// Views and triggers, carried verbatim (`sql` as SQLite keeps it).
fn views_and_triggers(schema: &mut Schema, rows: &[SqliteRow]) -> Result<(), IntrospectError> {
    let ns = schema.namespace_mut(Dialect::Sqlite.default_schema());
    for row in rows {
        let kind: String = get(row, 0)?;
        let name: String = get(row, 1)?;
        let table: String = get(row, 2)?;
        let definition: Option<String> = get(row, 3)?;
        let definition = definition.unwrap_or_default();
        if kind == "view" {
            ns.views.insert(name.clone(), View { name, definition });
        } else {
            ns.triggers.insert(
                name.clone(),
                Trigger {
                    name,
                    table,
                    definition,
                },
            );
        }
    }
    Ok(())
}

fn build(
    tables: &[SqliteRow],
    columns: &[SqliteRow],
    indexes: &[SqliteRow],
    foreign_keys: &[SqliteRow],
) -> Result<Schema, IntrospectError> {
    let mut schema = Schema::new(Dialect::Sqlite);
    let namespace = Dialect::Sqlite.default_schema();
    let mut parsed = BTreeMap::new();
    let mut out: BTreeMap<String, Table> = BTreeMap::new();
    for row in tables {
        let name: String = get(row, 0)?;
        let sql: Option<String> = get(row, 1)?;
        let without_rowid: i64 = get(row, 2)?;
        let strict: i64 = get(row, 3)?;
        let table = parse::create_table(sql.as_deref().unwrap_or_default())
            .map_err(|reason| catalog(&format!("table `{name}`"), reason))?;
        parsed.insert(name.clone(), table);
        let mut table = Table::new(name.clone());
        table.options = TableOptions {
            strict: strict != 0,
            without_rowid: without_rowid != 0,
        };
        out.insert(name, table);
    }

    // Columns and the primary key.
    let mut key_columns: BTreeMap<String, Vec<(i64, String, String)>> = BTreeMap::new();
    for row in columns {
        let table: String = get(row, 0)?;
        let name: String = get(row, 2)?;
        let declared: Option<String> = get(row, 3)?;
        let not_null: i64 = get(row, 4)?;
        let default: Option<String> = get(row, 5)?;
        let pk: i64 = get(row, 6)?;
        let hidden: i64 = get(row, 7)?;
        let declared = declared.unwrap_or_default();
        let mut column = Column::new(name.clone(), ColumnType::parse_sqlite(&declared));
        column.nullable = not_null == 0;
        column.default = default;
        if hidden == 2 || hidden == 3 {
            column.generated = parsed
                .get(&table)
                .and_then(|p| p.generated.iter().find(|(c, _)| *c == name))
                .map(|(_, g)| g.clone());
        }
        if pk > 0 {
            key_columns
                .entry(table.clone())
                .or_default()
                .push((pk, name, declared));
        }
        if let Some(t) = out.get_mut(&table) {
            t.columns.push(column);
        }
    }
    for (table_name, mut keys) in key_columns {
        keys.sort();
        let Some(table) = out.get_mut(&table_name) else {
            continue;
        };
        // A single `INTEGER` key column is the rowid alias: SQLite's identity (a table
        // without rowid has none).
        if let [(_, column, declared)] = keys.as_slice()
            && declared.trim().eq_ignore_ascii_case("integer")
            && !table.options.without_rowid
            && let Some(c) = table.columns.iter_mut().find(|c| c.name == *column)
        {
            c.identity = Some(Identity {
                kind: IdentityKind::AutoIncrement,
                sequence: None,
            });
            // The rowid is never NULL, whatever the declaration says.
            c.nullable = false;
        }
        let name = parsed
            .get(&table_name)
            .and_then(|p| p.primary_key_name.clone())
            .unwrap_or_else(|| sqlite_names::primary_key(&table_name));
        table.primary_key = Some(PrimaryKey {
            name,
            columns: keys.into_iter().map(|(_, c, _)| c).collect(),
        });
    }

    // Checks.
    for (table_name, p) in &parsed {
        let Some(table) = out.get_mut(table_name) else {
            continue;
        };
        for (given, column, expression) in &p.checks {
            let name = match given {
                Some(name) => name.clone(),
                None => {
                    let base = sqlite_names::check(table_name, column.as_deref());
                    let checks = &table.checks;
                    first_free(base, |n: &str| checks.contains_key(n))
                }
            };
            table.checks.insert(
                name.clone(),
                CheckConstraint {
                    not_valid: false,
                    name,
                    expression: expression.clone(),
                    no_inherit: false,
                },
            );
        }
    }

    // Unique constraints and indexes.
    for row in indexes {
        let table_name: String = get(row, 0)?;
        let index_name: String = get(row, 1)?;
        let unique: i64 = get(row, 2)?;
        let origin: String = get(row, 3)?;
        let key_names: Option<String> = get(row, 4)?;
        let sql: Option<String> = get(row, 5)?;
        let Some(table) = out.get_mut(&table_name) else {
            continue;
        };
        match origin.as_str() {
            "pk" => {}
            "u" => {
                let columns: Vec<String> = key_names
                    .unwrap_or_default()
                    .split('\u{1f}')
                    .map(str::to_owned)
                    .collect();
                let name = parsed
                    .get(&table_name)
                    .and_then(|p| p.uniques.iter().find(|(_, c)| *c == columns))
                    .map(|(n, _)| n.clone())
                    .unwrap_or_else(|| {
                        let uniques = &table.uniques;
                        first_free(sqlite_names::unique(&table_name, &columns), |n| {
                            uniques.contains_key(n)
                        })
                    });
                table.uniques.insert(
                    name.clone(),
                    UniqueConstraint {
                        name,
                        columns,
                        nulls_not_distinct: false,
                        deferrable: Default::default(),
                    },
                );
            }
            _ => {
                let sql = sql.ok_or_else(|| {
                    catalog(&format!("index `{index_name}`"), "no SQL".to_owned())
                })?;
                let p = parse::create_index(&sql)
                    .map_err(|reason| catalog(&format!("index `{index_name}`"), reason))?;
                table.indexes.insert(
                    index_name.clone(),
                    Index {
                        invalid: false,
                        name: index_name,
                        unique: unique != 0,
                        keys: p.keys,
                        method: "btree".to_owned(),
                        predicate: p.predicate,
                        include: Vec::new(),
                        nulls_not_distinct: false,
                    },
                );
            }
        }
    }

    // Foreign keys: rows per column, grouped by id.
    let mut groups: BTreeMap<(String, i64), Vec<&SqliteRow>> = BTreeMap::new();
    for row in foreign_keys {
        let table: String = get(row, 0)?;
        let id: i64 = get(row, 1)?;
        groups.entry((table, id)).or_default().push(row);
    }
    let mut fks = Vec::new();
    for ((table_name, _), rows) in groups {
        let mut columns = Vec::new();
        let mut referenced_columns = Vec::new();
        let first = rows[0];
        let referenced: String = get(first, 3)?;
        for row in &rows {
            columns.push(get::<String>(row, 4)?);
            referenced_columns.push(get::<Option<String>>(row, 5)?);
        }
        let on_update: String = get(first, 6)?;
        let on_delete: String = get(first, 7)?;
        // `REFERENCES t` without columns means t's primary key.
        let referenced_columns: Vec<String> = if referenced_columns.iter().all(Option::is_some) {
            referenced_columns.into_iter().flatten().collect()
        } else {
            out.get(&referenced)
                .and_then(|t| t.primary_key.as_ref())
                .map(|pk| pk.columns.clone())
                .unwrap_or_default()
        };
        fks.push((
            table_name,
            columns,
            referenced,
            referenced_columns,
            on_update,
            on_delete,
        ));
    }
    for (table_name, columns, referenced, referenced_columns, on_update, on_delete) in fks {
        let Some(table) = out.get_mut(&table_name) else {
            continue;
        };
        let name = parsed
            .get(&table_name)
            .and_then(|p| p.foreign_keys.iter().find(|(_, c)| *c == columns))
            .map(|(n, _)| n.clone())
            .unwrap_or_else(|| {
                let taken = &table.foreign_keys;
                first_free(sqlite_names::foreign_key(&table_name, &columns), |n| {
                    taken.contains_key(n)
                })
            });
        table.foreign_keys.insert(
            name.clone(),
            ForeignKey {
                not_valid: false,
                name,
                columns,
                referenced_table: QualifiedName::new(namespace, referenced),
                referenced_columns,
                on_delete: action(&on_delete),
                on_update: action(&on_update),
                deferrable: Default::default(),
                match_type: Default::default(),
            },
        );
    }

    let ns = schema.namespace_mut(namespace);
    ns.tables = out;
    Ok(schema)
}
