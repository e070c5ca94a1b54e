//! Catalog rows into the IR. Column positions follow the SELECT lists in `queries.rs`.

use super::fixed_point::array_casts_distributed;
use autogen_schema::{
    CheckConstraint, Column, ColumnType, Deferrable, EnumType, Exclusion, ForeignKey, Generated,
    Identity, IdentityKind, Index, IndexKey, IndexTarget, MatchType, PartitionOf, PrimaryKey,
    QualifiedName, ReferentialAction, ReplicaIdentity, Schema, Sequence, SequenceOptions,
    SequenceOwner, Table, Uncompared, UniqueConstraint,
};
use sqlx::Row;
use sqlx::postgres::PgRow;

use crate::IntrospectError;

type Result<T> = std::result::Result<T, IntrospectError>;

/// Column `index` of a catalog row. Unchecked: every column of the catalog queries is cast to
/// the type read here, so sqlx's type-compatibility check would only repeat what the text says,
/// once per value (tens of thousands of rows); a value that does not decode is still an error.
pub(super) fn get<'r, T: sqlx::Decode<'r, sqlx::Postgres> + sqlx::Type<sqlx::Postgres>>(
    row: &'r PgRow,
    index: usize,
) -> Result<T> {
    row.try_get_unchecked(index)
        .map_err(|e| IntrospectError::Catalog {
            object: format!("column {index} of a catalog row"),
            reason: e.to_string(),
        })
}

fn table_mut<'s>(schema: &'s mut Schema, row: &PgRow) -> Result<&'s mut Table> {
    // Borrowed from the row: one lookup per row, no allocation.
    let namespace: &str = get(row, 0)?;
    let table: &str = get(row, 1)?;
    schema
        .schemas
        .get_mut(namespace)
        .and_then(|ns| ns.tables.get_mut(table))
        .ok_or_else(|| IntrospectError::Catalog {
            object: format!("{namespace}.{table}"),
            reason: "a table appeared after the table list was read".to_owned(),
        })
}

fn catalog_error(object: impl Into<String>, reason: impl Into<String>) -> IntrospectError {
    IntrospectError::Catalog {
        object: object.into(),
        reason: reason.into(),
    }
}

pub(super) fn table(schema: &mut Schema, row: &PgRow) -> Result<()> {
    let namespace: String = get(row, 0)?;
    let name: String = get(row, 1)?;
    let mut table = Table::new(name.clone());
    table.comment = get(row, 2)?;
    let facts = &mut table.postgres;
    facts.options.unlogged = get::<&str>(row, 3)? == "u";
    facts.options.row_security = get(row, 4)?;
    facts.options.force_row_security = get(row, 5)?;
    facts.options.storage = get::<Option<Vec<String>>>(row, 6)?.unwrap_or_default();
    facts.options.replica_identity = match get::<&str>(row, 7)? {
        "f" => ReplicaIdentity::Full,
        "n" => ReplicaIdentity::Nothing,
        // An index since dropped falls back to the default, as the server does.
        "i" => {
            get::<Option<String>>(row, 8)?.map_or(ReplicaIdentity::Default, ReplicaIdentity::Index)
        }
        _ => ReplicaIdentity::Default,
    };
    facts.partition_by = get(row, 9)?;
    let parent_schema: Option<String> = get(row, 10)?;
    let parent: Option<String> = get(row, 11)?;
    let bound: Option<String> = get(row, 12)?;
    if let (Some(s), Some(p), Some(bound)) = (parent_schema, parent, bound) {
        facts.partition_of = Some(PartitionOf {
            parent: QualifiedName::new(s, p),
            bound,
        });
    }
    let parent_indexes: Vec<String> = get::<Option<Vec<String>>>(row, 13)?.unwrap_or_default();
    let own_indexes: Vec<String> = get::<Option<Vec<String>>>(row, 14)?.unwrap_or_default();
    facts.attached_indexes = parent_indexes.into_iter().zip(own_indexes).collect();
    schema.namespace_mut(&namespace).tables.insert(name, table);
    Ok(())
}

pub(super) fn column(schema: &mut Schema, row: &PgRow) -> Result<()> {
    let name: String = get(row, 2)?;
    let ty = column_type(row).map_err(|reason| catalog_error(format!("column {name}"), reason))?;
    let mut column = Column::new(name, ty);
    column.nullable = !get::<bool>(row, 13)?;
    let default: Option<String> = get(row, 14)?;
    let identity: &str = get(row, 15)?;
    let generated: &str = get(row, 16)?;
    if generated == "s" {
        column.generated = default.map(|expression| Generated {
            expression,
            stored: true,
        });
    } else {
        column.default = default;
    }
    column.identity = identity_of(row, identity, &column.ty)?;
    column.collation = get(row, 17)?;
    column.comment = get(row, 18)?;
    table_mut(schema, row)?.columns.push(column);
    Ok(())
}

fn column_type(row: &PgRow) -> std::result::Result<ColumnType, String> {
    let text: &str = get(row, 3).map_err(|e| e.to_string())?;
    let typtype: &str = get(row, 4).map_err(|e| e.to_string())?;
    let is_array: bool = get(row, 7).map_err(|e| e.to_string())?;
    if typtype == "e" {
        let schema: String = get(row, 5).map_err(|e| e.to_string())?;
        let name: String = get(row, 6).map_err(|e| e.to_string())?;
        return Ok(ColumnType::Enum {
            name: QualifiedName::new(schema, name),
        });
    }
    if !is_array {
        return ColumnType::parse_postgres(text).map_err(|e| e.to_string());
    }
    let element_typtype: Option<&str> = get(row, 9).map_err(|e| e.to_string())?;
    let element = if element_typtype == Some("e") {
        let schema: String = get(row, 10).map_err(|e| e.to_string())?;
        let name: String = get(row, 11).map_err(|e| e.to_string())?;
        ColumnType::Enum {
            name: QualifiedName::new(schema, name),
        }
    } else {
        let element_text: &str = get(row, 8).map_err(|e| e.to_string())?;
        ColumnType::parse_postgres(element_text).map_err(|e| e.to_string())?
    };
    // format_type prints one `[]` whatever the declared dimensions; attndims keeps them.
    let dimensions: i32 = get(row, 12).map_err(|e| e.to_string())?;
    Ok(ColumnType::Array {
        element: Box::new(element),
        dimensions: dimensions.max(1) as u32,
    })
}

fn identity_of(row: &PgRow, attidentity: &str, ty: &ColumnType) -> Result<Option<Identity>> {
    let kind = match attidentity {
        "a" => IdentityKind::Always,
        "d" => IdentityKind::ByDefault,
        _ => return Ok(None),
    };
    let data_type: Option<&str> = get(row, 19)?;
    let sequence = match data_type {
        Some(data_type) => Some(SequenceOptions {
            data_type: ColumnType::parse_postgres(data_type).unwrap_or_else(|_| ty.clone()),
            start: get(row, 20)?,
            increment: get(row, 21)?,
            min_value: get(row, 22)?,
            max_value: get(row, 23)?,
            cache: get(row, 24)?,
            cycle: get(row, 25)?,
        }),
        None => None,
    };
    Ok(Some(Identity {
        kind,
        sequence: sequence.map(Box::new),
    }))
}

pub(super) fn constraint(schema: &mut Schema, row: &PgRow) -> Result<()> {
    let name: String = get(row, 2)?;
    let kind: &str = get(row, 3)?;
    let columns: Vec<String> = get(row, 4)?;
    let deferrable = deferrable(get(row, 11)?, get(row, 12)?);
    let comment: Option<String> = get(row, 17)?;
    let index_comment: Option<String> = get(row, 19)?;
    let index_storage: Option<Vec<String>> = get(row, 20)?;
    let table = table_mut(schema, row)?;
    if let Some(comment) = comment {
        table
            .postgres
            .constraint_comments
            .insert(name.clone(), comment);
    }
    if let Some(comment) = index_comment {
        table.postgres.index_comments.insert(name.clone(), comment);
    }
    if let Some(storage) = index_storage.filter(|s| !s.is_empty()) {
        table.postgres.index_storage.insert(name.clone(), storage);
    }
    match kind {
        "p" => table.primary_key = Some(PrimaryKey { name, columns }),
        "u" => {
            let nulls_not_distinct = get(row, 15)?;
            table.uniques.insert(
                name.clone(),
                UniqueConstraint {
                    name,
                    columns,
                    nulls_not_distinct,
                    deferrable,
                },
            );
        }
        "c" => {
            let expression: Option<String> = get(row, 13)?;
            let expression = expression
                .map(|e| array_casts_distributed(&e))
                .ok_or_else(|| catalog_error(format!("check {name}"), "no expression"))?;
            let no_inherit = get(row, 14)?;
            table.checks.insert(
                name.clone(),
                CheckConstraint {
                    not_valid: !get::<bool>(row, 16)?,
                    name,
                    expression,
                    no_inherit,
                },
            );
        }
        "f" => {
            let fk = ForeignKey {
                not_valid: !get::<bool>(row, 16)?,
                name: name.clone(),
                columns,
                referenced_table: QualifiedName::new(
                    get::<String>(row, 5)?,
                    get::<String>(row, 6)?,
                ),
                referenced_columns: get(row, 7)?,
                on_update: action(&get::<String>(row, 8)?, &name)?,
                on_delete: action(&get::<String>(row, 9)?, &name)?,
                match_type: match get::<String>(row, 10)?.as_str() {
                    "f" => MatchType::Full,
                    "p" => MatchType::Partial,
                    _ => MatchType::Simple,
                },
                deferrable,
            };
            table.foreign_keys.insert(name, fk);
        }
        "x" => {
            let definition: Option<String> = get(row, 18)?;
            let definition = definition
                .ok_or_else(|| catalog_error(format!("exclusion {name}"), "no definition"))?;
            table
                .postgres
                .exclusions
                .insert(name.clone(), Exclusion { name, definition });
        }
        other => {
            return Err(catalog_error(
                format!("constraint {name}"),
                format!("unexpected kind `{other}`"),
            ));
        }
    }
    Ok(())
}

fn deferrable(is_deferrable: bool, initially_deferred: bool) -> Deferrable {
    match (is_deferrable, initially_deferred) {
        (false, _) => Deferrable::NotDeferrable,
        (true, false) => Deferrable::InitiallyImmediate,
        (true, true) => Deferrable::InitiallyDeferred,
    }
}

fn action(code: &str, constraint: &str) -> Result<ReferentialAction> {
    Ok(match code {
        "a" => ReferentialAction::NoAction,
        "r" => ReferentialAction::Restrict,
        "c" => ReferentialAction::Cascade,
        "n" => ReferentialAction::SetNull,
        "d" => ReferentialAction::SetDefault,
        other => {
            return Err(catalog_error(
                format!("foreign key {constraint}"),
                format!("unknown action `{other}`"),
            ));
        }
    })
}

const INDOPTION_DESC: i32 = 1;
const INDOPTION_NULLS_FIRST: i32 = 2;

pub(super) fn index(schema: &mut Schema, row: &PgRow) -> Result<()> {
    let name: String = get(row, 2)?;
    let key_count = get::<i32>(row, 5)?.max(0) as usize;
    let columns: Vec<Option<String>> = get(row, 6)?;
    let expressions: Option<Vec<String>> = get(row, 7)?;
    let options: Vec<i32> = get(row, 8)?;
    let opclasses: Vec<Option<String>> = get(row, 9)?;
    let collations: Vec<Option<String>> = get(row, 10)?;
    let mut keys = Vec::with_capacity(key_count);
    for position in 0..key_count {
        let target = match columns.get(position).cloned().flatten() {
            Some(column) => IndexTarget::Column(column),
            None => {
                let expression = expressions
                    .as_ref()
                    .and_then(|e| e.get(position))
                    .map(|e| array_casts_distributed(e));
                IndexTarget::Expression(expression.ok_or_else(|| {
                    catalog_error(
                        format!("index {name}"),
                        "an expression key without its text",
                    )
                })?)
            }
        };
        let option = options.get(position).copied().unwrap_or(0);
        let descending = option & INDOPTION_DESC != 0;
        let nulls_first = option & INDOPTION_NULLS_FIRST != 0;
        keys.push(IndexKey {
            target,
            descending,
            // Only the non-default placement is recorded: NULLS LAST ascending, FIRST descending.
            nulls_first: (nulls_first != descending).then_some(nulls_first),
            opclass: opclasses.get(position).cloned().flatten(),
            collation: collations.get(position).cloned().flatten(),
            length: None,
        });
    }
    let include = columns.iter().skip(key_count).flatten().cloned().collect();
    let index = Index {
        invalid: !get::<bool>(row, 13)?,
        name: name.clone(),
        unique: get(row, 3)?,
        keys,
        method: get(row, 4)?,
        predicate: get::<Option<String>>(row, 11)?.map(|p| array_casts_distributed(&p)),
        include,
        nulls_not_distinct: get(row, 12)?,
    };
    let comment: Option<String> = get(row, 14)?;
    let storage: Option<Vec<String>> = get(row, 15)?;
    let table = table_mut(schema, row)?;
    if let Some(comment) = comment {
        table.postgres.index_comments.insert(name.clone(), comment);
    }
    if let Some(storage) = storage.filter(|s| !s.is_empty()) {
        table.postgres.index_storage.insert(name.clone(), storage);
    }
    table.indexes.insert(name, index);
    Ok(())
}

pub(super) fn enum_type(schema: &mut Schema, row: &PgRow) -> Result<()> {
    let namespace: String = get(row, 0)?;
    let name: String = get(row, 1)?;
    let definition = EnumType {
        name: name.clone(),
        labels: get(row, 2)?,
        comment: get(row, 3)?,
    };
    schema
        .namespace_mut(&namespace)
        .enums
        .insert(name, definition);
    Ok(())
}

pub(super) fn sequence(schema: &mut Schema, row: &PgRow) -> Result<()> {
    let namespace: String = get(row, 0)?;
    let name: String = get(row, 1)?;
    let data_type: String = get(row, 2)?;
    let options = SequenceOptions {
        data_type: ColumnType::parse_postgres(&data_type)
            .map_err(|e| catalog_error(format!("sequence {name}"), e.to_string()))?,
        start: get(row, 3)?,
        increment: get(row, 4)?,
        min_value: get(row, 5)?,
        max_value: get(row, 6)?,
        cache: get(row, 7)?,
        cycle: get(row, 8)?,
    };
    let owner_schema: Option<String> = get(row, 9)?;
    let owner_table: Option<String> = get(row, 10)?;
    let owner_column: Option<String> = get(row, 11)?;
    let owned_by = match (owner_schema, owner_table, owner_column) {
        (Some(s), Some(t), Some(column)) => Some(SequenceOwner {
            table: QualifiedName::new(s, t),
            column,
        }),
        _ => None,
    };
    let comment: Option<String> = get(row, 12)?;
    let ns = schema.namespace_mut(&namespace);
    if let Some(comment) = comment {
        ns.sequence_comments.insert(name.clone(), comment);
    }
    ns.sequences.insert(
        name.clone(),
        Sequence {
            name,
            options,
            owned_by,
        },
    );
    Ok(())
}

/// One object of a kind autogen does not compare yet; the rows arrive sorted by schema, kind
/// and name, so each namespace's list stays sorted.
pub(super) fn uncompared(schema: &mut Schema, row: &PgRow) -> Result<()> {
    let namespace: String = get(row, 1)?;
    let object = Uncompared {
        kind: get(row, 0)?,
        name: get(row, 2)?,
        definition: get(row, 3)?,
    };
    schema.namespace_mut(&namespace).uncompared.push(object);
    Ok(())
}
