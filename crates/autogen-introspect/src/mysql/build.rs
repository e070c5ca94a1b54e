//! Rows of the catalog queries into the IR.

use std::collections::BTreeMap;

use autogen_schema::{
    CheckConstraint, Column, ColumnType, ForeignKey, Generated, Identity, IdentityKind, Index,
    IndexKey, PrimaryKey, QualifiedName, ReferentialAction, Schema, Table, UniqueConstraint,
    quote_literal,
};
use sqlx::mysql::MySqlRow;
use sqlx::{Row as _, ValueRef};

use super::Flavor;
use crate::IntrospectError;

/// One catalog row, every value as text (`None` for NULL): the introspector reads them from
/// `information_schema`, the normaliser makes the same rows from what the server says about its
/// temporary tables, so both sides go through the same code below.
pub(crate) type Row = Vec<Option<String>>;

/// The rows of every catalog query, and what they are about.
pub(crate) struct Input<'a> {
    pub flavor: Flavor,
    pub database: &'a str,
    pub namespace: &'a str,
    pub tables: &'a [Row],
    pub columns: &'a [Row],
    pub checks: &'a [Row],
    pub indexes: &'a [Row],
    pub foreign_keys: &'a [Row],
}

/// A server row as text; the text protocol sends every value as text.
pub(crate) fn text_row(row: &MySqlRow) -> Result<Row, IntrospectError> {
    (0..row.len()).map(|index| cell(row, index)).collect()
}

fn cell(row: &MySqlRow, index: usize) -> Result<Option<String>, IntrospectError> {
    let catalog = |e: sqlx::Error| IntrospectError::Catalog {
        object: format!("column {index} of a catalog row"),
        reason: e.to_string(),
    };
    let value = row.try_get_raw(index).map_err(catalog)?;
    if value.is_null() {
        return Ok(None);
    }
    let bytes: Vec<u8> = row.try_get_unchecked(index).map_err(catalog)?;
    Ok(Some(String::from_utf8_lossy(&bytes).into_owned()))
}

/// A value of a row (`None` for NULL or a missing column).
pub(crate) fn text(row: &Row, index: usize) -> Result<Option<String>, IntrospectError> {
    Ok(row.get(index).cloned().flatten())
}

fn required(row: &Row, index: usize, what: &str) -> Result<String, IntrospectError> {
    text(row, index)?.ok_or_else(|| IntrospectError::Catalog {
        object: what.to_owned(),
        reason: "unexpected NULL".to_owned(),
    })
}

pub(crate) fn schema(schema: &mut Schema, input: &Input<'_>) -> Result<(), IntrospectError> {
    let mut tables: BTreeMap<String, Table> = BTreeMap::new();
    let mut table_collations: BTreeMap<String, Option<String>> = BTreeMap::new();
    for row in input.tables {
        let name = required(row, 0, "a table name")?;
        let mut table = Table::new(&name);
        table.comment = text(row, 1)?.filter(|c| !c.is_empty());
        table_collations.insert(name.clone(), text(row, 2)?);
        tables.insert(name, table);
    }

    // Checks first: MariaDB's JSON is LONGTEXT plus a `json_valid` check on the column.
    let mut json_columns: Vec<(String, String)> = Vec::new();
    let mut checks: Vec<(String, CheckConstraint)> = Vec::new();
    for row in input.checks {
        let table = required(row, 0, "a check's table")?;
        let name = required(row, 1, "a check's name")?;
        let clause = required(row, 2, "a check's clause")?;
        let level = text(row, 3)?.unwrap_or_default();
        if level.eq_ignore_ascii_case("column")
            && clause == format!("json_valid({})", backquoted(&name))
        {
            json_columns.push((table, name));
            continue;
        }
        checks.push((
            table,
            CheckConstraint {
                not_valid: false,
                name,
                expression: clause,
                no_inherit: false,
            },
        ));
    }

    for row in input.columns {
        let table_name = required(row, 0, "a column's table")?;
        let Some(table) = tables.get_mut(&table_name) else {
            continue; // a view's column
        };
        let name = required(row, 1, "a column name")?;
        let type_text = required(row, 2, "a column type")?;
        let object = format!("{table_name}.{name}");
        let mut ty = ColumnType::parse_mysql(&type_text).map_err(|e| IntrospectError::Catalog {
            object: object.clone(),
            reason: e.to_string(),
        })?;
        if json_columns.contains(&(table_name.clone(), name.clone())) {
            ty = ColumnType::Json;
        }
        let nullable = text(row, 3)?.as_deref() == Some("YES");
        let extra = text(row, 5)?.unwrap_or_default().to_ascii_lowercase();
        let mut column = Column::new(&name, ty);
        column.nullable = nullable;
        if extra.contains("auto_increment") {
            column.identity = Some(Identity {
                kind: IdentityKind::AutoIncrement,
                sequence: None,
            });
        }
        if extra.contains("virtual generated") || extra.contains("stored generated") {
            column.generated = Some(Generated {
                expression: text(row, 6)?.unwrap_or_default(),
                stored: extra.contains("stored generated"),
            });
        } else {
            column.default = default(input.flavor, &column.ty, text(row, 4)?, &extra);
        }
        let collation = text(row, 7)?;
        let table_collation = table_collations.get(&table_name).cloned().flatten();
        // MariaDB's JSON is LONGTEXT with a binary collation of its own: part of the type.
        if collation.is_some() && collation != table_collation && column.ty != ColumnType::Json {
            column.collation = collation;
        }
        column.comment = text(row, 8)?.filter(|c| !c.is_empty());
        table.columns.push(column);
    }

    for (table, check) in checks {
        if let Some(table) = tables.get_mut(&table) {
            table.checks.insert(check.name.clone(), check);
        }
    }

    indexes(&mut tables, input.indexes)?;
    foreign_keys(&mut tables, input)?;

    let namespace = schema.namespace_mut(input.namespace);
    namespace.tables = tables;
    Ok(())
}

fn backquoted(name: &str) -> String {
    format!("`{}`", name.replace('`', "``"))
}

/// The default as DDL would write it. MariaDB prints literals quoted and `NULL` for none; MySQL
/// prints literals bare and marks expressions `DEFAULT_GENERATED`.
fn default(flavor: Flavor, ty: &ColumnType, value: Option<String>, extra: &str) -> Option<String> {
    let value = value?;
    match flavor {
        Flavor::MariaDb => (value != "NULL").then_some(value),
        Flavor::MySql => {
            if extra.contains("default_generated") {
                let upper = value.to_ascii_uppercase();
                if upper.starts_with("CURRENT_TIMESTAMP") || upper.starts_with("NOW(") {
                    Some(value)
                } else {
                    Some(format!("({value})"))
                }
            } else if is_numeric(ty) && value.parse::<f64>().is_ok() {
                Some(value)
            } else {
                Some(quote_literal(&value))
            }
        }
    }
}

fn is_numeric(ty: &ColumnType) -> bool {
    match ty {
        ColumnType::SmallInt
        | ColumnType::Integer
        | ColumnType::BigInt
        | ColumnType::Real
        | ColumnType::Double
        | ColumnType::Numeric { .. }
        | ColumnType::Boolean => true,
        ColumnType::Other { name } => name.contains("int"),
        ColumnType::Text
        | ColumnType::Varchar { .. }
        | ColumnType::Char { .. }
        | ColumnType::Bytes
        | ColumnType::Date
        | ColumnType::Time { .. }
        | ColumnType::Timestamp { .. }
        | ColumnType::Interval { .. }
        | ColumnType::Uuid
        | ColumnType::Json
        | ColumnType::Jsonb
        | ColumnType::Enum { .. }
        | ColumnType::Array { .. } => false,
    }
}

/// One index as STATISTICS lists it, a row per key column.
struct RawIndex {
    unique: bool,
    method: String,
    keys: Vec<IndexKey>,
}

fn indexes(tables: &mut BTreeMap<String, Table>, rows: &[Row]) -> Result<(), IntrospectError> {
    let mut raw: BTreeMap<(String, String), RawIndex> = BTreeMap::new();
    for row in rows {
        let table = required(row, 0, "an index's table")?;
        let name = required(row, 1, "an index name")?;
        let unique = text(row, 2)?.as_deref() == Some("0");
        let column = text(row, 4)?.unwrap_or_default();
        let length = text(row, 5)?.and_then(|l| l.parse().ok());
        let descending = text(row, 6)?.as_deref() == Some("D");
        let method = text(row, 7)?.unwrap_or_default().to_ascii_lowercase();
        // MariaDB reports a spatial key's internal length (32) as a prefix; it is not one.
        let length = if method == "spatial" { None } else { length };
        let entry = raw.entry((table, name)).or_insert_with(|| RawIndex {
            unique,
            method,
            keys: Vec::new(),
        });
        entry.keys.push(IndexKey {
            descending,
            length,
            ..IndexKey::column(column)
        });
    }
    for ((table_name, name), index) in raw {
        let Some(table) = tables.get_mut(&table_name) else {
            continue;
        };
        let plain = index.method == "btree"
            && index
                .keys
                .iter()
                .all(|k| !k.descending && k.length.is_none());
        let columns = || {
            index
                .keys
                .iter()
                .map(|k| match &k.target {
                    autogen_schema::IndexTarget::Column(c)
                    | autogen_schema::IndexTarget::Expression(c) => c.clone(),
                })
                .collect::<Vec<_>>()
        };
        if name == "PRIMARY" {
            table.primary_key = Some(PrimaryKey {
                name,
                columns: columns(),
            });
        } else if index.unique && plain {
            table.uniques.insert(
                name.clone(),
                UniqueConstraint {
                    name,
                    columns: columns(),
                    nulls_not_distinct: false,
                    deferrable: Default::default(),
                },
            );
        } else {
            table.indexes.insert(
                name.clone(),
                Index {
                    invalid: false,
                    name,
                    unique: index.unique,
                    keys: index.keys,
                    method: index.method,
                    predicate: None,
                    include: Vec::new(),
                    nulls_not_distinct: false,
                },
            );
        }
    }
    Ok(())
}

fn action(rule: Option<String>) -> ReferentialAction {
    match rule.as_deref() {
        Some("CASCADE") => ReferentialAction::Cascade,
        Some("SET NULL") => ReferentialAction::SetNull,
        Some("SET DEFAULT") => ReferentialAction::SetDefault,
        Some("RESTRICT") => ReferentialAction::Restrict,
        Some(_) | None => ReferentialAction::NoAction,
    }
}

fn foreign_keys(
    tables: &mut BTreeMap<String, Table>,
    input: &Input<'_>,
) -> Result<(), IntrospectError> {
    for row in input.foreign_keys {
        let table_name = required(row, 0, "a foreign key's table")?;
        let name = required(row, 1, "a foreign key's name")?;
        let column = required(row, 2, "a foreign key's column")?;
        let referenced_schema = required(row, 3, "a foreign key's referenced schema")?;
        let referenced_table = required(row, 4, "a foreign key's referenced table")?;
        let referenced_column = required(row, 5, "a foreign key's referenced column")?;
        let namespace = if referenced_schema == input.database {
            input.namespace.to_owned()
        } else {
            referenced_schema
        };
        let Some(table) = tables.get_mut(&table_name) else {
            continue;
        };
        let fk = table
            .foreign_keys
            .entry(name.clone())
            .or_insert_with(|| ForeignKey {
                not_valid: false,
                name,
                columns: Vec::new(),
                referenced_table: QualifiedName::new(namespace, referenced_table),
                referenced_columns: Vec::new(),
                on_delete: ReferentialAction::NoAction,
                on_update: ReferentialAction::NoAction,
                deferrable: Default::default(),
                match_type: Default::default(),
            });
        fk.columns.push(column);
        fk.referenced_columns.push(referenced_column);
        fk.on_update = action(text(row, 6)?);
        fk.on_delete = action(text(row, 7)?);
    }
    Ok(())
}
