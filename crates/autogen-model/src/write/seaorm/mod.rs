//! A [`Schema`] into SeaORM entity files, laid out as `sea-orm-cli generate entity` writes them:
//! one module per table (`DeriveEntityModel` struct `Model`, a `Relation` enum with
//! `belongs_to` and `has_many`, `Related` impls, `ActiveModelBehavior`), the active enums in
//! `sea_orm_active_enums.rs`, a `prelude.rs` and a `mod.rs`. The format is SeaORM 1.x's
//! (`DeriveEntityModel` with a `Relation` enum), which SeaORM 2.x compiles too; no key of 2.x
//! only (`unique_key`) is written.
//!
//! Pure, deterministic, and checked against the SeaORM reader (`crate::seaorm`): types through
//! its per-backend mapping, names through the names SeaORM gives. What SeaORM entities cannot
//! say is listed ([`WrittenModels::unsaid`]) and named in a comment above the entity.

mod entity;
mod enums;
mod types;

use std::collections::{BTreeMap, BTreeSet};

use autogen_schema::naming::make_object_name;
use autogen_schema::{
    ColumnType, Dialect, ForeignKey, IdentityKind, QualifiedName, Schema, SequenceOptions,
};

use super::{ModelFile, WrittenModels, mysql_enum_labels, names};
use crate::SeaOrmKeys;
use crate::seaorm::coltype::SeaType;
use entity::{EntityContext, write_entity};
use types::TypeContext;

const HEADER: &str =
    "//! Written by `autogen inspect --format seaorm` from the database's schema; edit freely.\n";

/// Names an entity file defines or takes from SeaORM's prelude: an active enum or prelude name
/// of one of these would shadow it.
const RESERVED: &[&str] = &[
    "Model",
    "Entity",
    "Column",
    "PrimaryKey",
    "Relation",
    "ActiveModel",
    "Related",
    "RelationDef",
    "DateTimeWithTimeZone",
    "DateTimeUtc",
    "DateTimeLocal",
    "StringLen",
    "Expr",
];

/// The SeaORM line whose key numbering the database shows: `serial` keys (SeaORM 1.x) when
/// its PostgreSQL keys are `serial` columns and none is an identity, else identity (2.x, the
/// reader's default). The entities are written for it: `autogen check` needs the same
/// `seaorm_keys`.
pub fn seaorm_keys_of(schema: &Schema) -> SeaOrmKeys {
    if schema.dialect != Dialect::Postgres {
        return SeaOrmKeys::Identity;
    }
    let mut serial = false;
    for (name, table) in schema.tables() {
        let Some([key]) = table.primary_key.as_ref().map(|pk| pk.columns.as_slice()) else {
            continue;
        };
        let Some(column) = table.columns.iter().find(|c| c.name == *key) else {
            continue;
        };
        if column.identity.is_some() {
            return SeaOrmKeys::Identity;
        }
        serial |= serial_sequence(schema, &name, column).is_some();
    }
    if serial {
        SeaOrmKeys::Serial
    } else {
        SeaOrmKeys::Identity
    }
}

/// The sequence of a `serial` column as SeaORM 1.x makes one: `<table>_<col>_seq`, owned by the
/// column, default options, the column's default its `nextval`.
fn serial_sequence(
    schema: &Schema,
    table: &QualifiedName,
    column: &autogen_schema::Column,
) -> Option<String> {
    let default = column.default.as_deref()?;
    let name = make_object_name(&table.name, Some(&column.name), "seq");
    let sequence = schema.schemas.get(&table.schema)?.sequences.get(&name)?;
    let owned = sequence
        .owned_by
        .as_ref()
        .is_some_and(|o| o.table == *table && o.column == column.name);
    let options = sequence.options == SequenceOptions::postgres_default(column.ty.clone());
    (default.starts_with("nextval(") && default.contains(&name) && owned && options).then_some(name)
}

/// A foreign key as a `belongs_to` variant of its table's `Relation`.
pub(super) struct BelongsTo<'a> {
    pub fk: &'a ForeignKey,
    pub variant: String,
    /// `None` for a key to the table itself.
    pub target_module: Option<String>,
}

/// The other side: a `has_many` variant of the referenced table's `Relation`.
pub(super) struct HasMany {
    pub variant: String,
    pub source_module: String,
}

/// The relations of one entity, and the `Related` impls it gets (target module, variant).
#[derive(Default)]
pub(super) struct Relations<'a> {
    pub belongs_to: Vec<BelongsTo<'a>>,
    pub has_many: Vec<HasMany>,
    pub related: Vec<(String, String)>,
}

/// The entity files of `schema`, written for SeaORM's `keys` line. Deterministic.
pub fn write_seaorm(schema: &Schema, keys: SeaOrmKeys) -> WrittenModels {
    let dialect = schema.dialect;
    let mut unsaid = Vec::new();
    let mut type_names: BTreeSet<String> = RESERVED.iter().map(|s| (*s).to_owned()).collect();
    let types = TypeContext { dialect, keys };

    // Active enums: PostgreSQL enum types of the default schema (SeaORM creates them there).
    let mut enum_items = Vec::new();
    let mut active: BTreeMap<QualifiedName, (String, SeaType)> = BTreeMap::new();
    for (name, e) in schema.enums() {
        if name.schema != dialect.default_schema() {
            unsaid.push(format!(
                "{name}: the enum type (SeaORM's active enums are types of schema `{}`)",
                dialect.default_schema()
            ));
            continue;
        }
        let rust = names::type_name(&name.name, "Enum", &mut type_names);
        enum_items.push(enums::active_enum(&rust, &name.name, &e.labels));
        let sea = SeaType::Enum {
            name: name.name.clone(),
            labels: e.labels.clone(),
        };
        active.insert(name, (rust, sea));
    }

    // One module per table with a primary key: SeaORM entities need one.
    let mut modules: BTreeSet<String> = ["prelude", "sea_orm_active_enums"]
        .iter()
        .map(|s| (*s).to_owned())
        .collect();
    let mut written: BTreeMap<QualifiedName, (String, String)> = BTreeMap::new();
    for (name, table) in schema.tables() {
        if table.primary_key.is_none() {
            unsaid.push(format!(
                "{name}: the table (a SeaORM entity needs a primary key, and this table has none)"
            ));
            continue;
        }
        let module = names::module(&name.name, &mut modules);
        let entity = names::type_name(&name.name, "Entity", &mut type_names);
        written.insert(name, (module, entity));
    }

    let relations = plan_relations(schema, &written, &mut unsaid);

    let mut files = Vec::new();
    let mut said_sequences = BTreeSet::new();
    for (name, (module, _)) in &written {
        let Some(table) = schema.table(name) else {
            continue;
        };
        // MySQL's inline enums become active enums of their own, one per column.
        let mut inline: BTreeMap<String, (String, SeaType)> = BTreeMap::new();
        if dialect == Dialect::MySql {
            for column in &table.columns {
                let Some(labels) = mysql_enum_labels(&column.ty) else {
                    continue;
                };
                let enum_name = format!("{}_{}", name.name, column.name);
                let rust = names::type_name(&enum_name, "Enum", &mut type_names);
                enum_items.push(enums::active_enum(&rust, &enum_name, &labels));
                inline.insert(
                    column.name.clone(),
                    (
                        rust,
                        SeaType::Enum {
                            name: enum_name,
                            labels,
                        },
                    ),
                );
            }
        }
        let cx = EntityContext {
            schema,
            name,
            table,
            types,
            active: &active,
            inline: &inline,
            relations: relations.get(name),
        };
        let out = write_entity(&cx);
        unsaid.extend(out.unsaid.into_iter().map(|u| format!("{name}: {u}")));
        said_sequences.extend(out.sequences);
        files.push(ModelFile {
            path: format!("{module}.rs"),
            text: format!("{HEADER}\n{}", out.text),
        });
    }
    for (name, _) in schema.sequences() {
        if !said_sequences.contains(&name) {
            unsaid.push(format!(
                "{name}: the sequence (SeaORM entities say only the sequences of `serial` keys)"
            ));
        }
    }
    let mut root: Vec<String> = written.values().map(|(m, _)| m.clone()).collect();
    root.push("prelude".to_owned());
    if !enum_items.is_empty() {
        root.push("sea_orm_active_enums".to_owned());
        files.push(ModelFile {
            path: "sea_orm_active_enums.rs".to_owned(),
            text: format!(
                "{HEADER}\nuse sea_orm::entity::prelude::*;\n\n{}",
                enum_items.join("\n")
            ),
        });
    }
    root.sort();
    let mods: String = root.iter().map(|m| format!("pub mod {m};\n")).collect();
    files.push(ModelFile {
        path: "mod.rs".to_owned(),
        text: format!("{HEADER}\n{mods}"),
    });
    let prelude: String = written
        .values()
        .map(|(module, entity)| format!("pub use super::{module}::Entity as {entity};\n"))
        .collect();
    files.push(ModelFile {
        path: "prelude.rs".to_owned(),
        text: format!("{HEADER}\n{prelude}"),
    });
    files.sort_by(|a, b| a.path.cmp(&b.path));
    WrittenModels { files, unsaid }
}

/// The `Relation` variants of every entity: a `belongs_to` per foreign key SeaORM can say, and
/// on the referenced entity a `has_many` where the pair of entities has exactly one key (a
/// `has_many` needs the other side's `Related` impl, and two keys between the same entities
/// cannot both be `Related`).
fn plan_relations<'a>(
    schema: &'a Schema,
    written: &BTreeMap<QualifiedName, (String, String)>,
    unsaid: &mut Vec<String>,
) -> BTreeMap<QualifiedName, Relations<'a>> {
    let mut out: BTreeMap<QualifiedName, Relations<'a>> = BTreeMap::new();
    let mut variants: BTreeMap<QualifiedName, BTreeSet<String>> = BTreeMap::new();
    let mut pairs: BTreeMap<(QualifiedName, QualifiedName), usize> = BTreeMap::new();
    for (name, table) in schema.tables() {
        if !written.contains_key(&name) {
            continue;
        }
        for fk in table.foreign_keys.values() {
            let Some((target_module, target_entity)) = written.get(&fk.referenced_table) else {
                unsaid.push(format!(
                    "{name}: foreign key `{}`: it references `{}`, which has no entity",
                    fk.name, fk.referenced_table
                ));
                continue;
            };
            let self_ref = fk.referenced_table == name;
            let base = if self_ref {
                "SelfRef".to_owned()
            } else {
                target_entity.clone()
            };
            let taken = variants.entry(name.clone()).or_default();
            // A second key to the same entity is told apart by its columns.
            let wanted = if taken.contains(&base) {
                format!("{base}_{}", fk.columns.join("_"))
            } else {
                base
            };
            let variant = names::type_name(&wanted, "Rel", taken);
            *pairs
                .entry((name.clone(), fk.referenced_table.clone()))
                .or_default() += 1;
            out.entry(name.clone())
                .or_default()
                .belongs_to
                .push(BelongsTo {
                    fk,
                    variant,
                    target_module: (!self_ref).then(|| target_module.clone()),
                });
        }
    }
    // The `Related` impls of the `belongs_to` side, and the `has_many` of the other side.
    let mut related: BTreeSet<(QualifiedName, QualifiedName)> = BTreeSet::new();
    for ((from, to), count) in &pairs {
        if *count != 1 || from == to {
            continue;
        }
        let Some(relations) = out.get_mut(from) else {
            continue;
        };
        let Some(b) = relations
            .belongs_to
            .iter()
            .find(|b| b.fk.referenced_table == *to)
        else {
            continue;
        };
        let (target_module, _) = &written[to];
        let variant = b.variant.clone();
        relations.related.push((target_module.clone(), variant));
        related.insert((from.clone(), to.clone()));
    }
    for ((from, to), count) in &pairs {
        if *count != 1 || from == to || related.contains(&(to.clone(), from.clone())) {
            continue;
        }
        let (source_module, source_entity) = &written[from];
        let taken = variants.entry(to.clone()).or_default();
        let variant = names::type_name(source_entity, "Rel", taken);
        let relations = out.entry(to.clone()).or_default();
        relations.has_many.push(HasMany {
            variant: variant.clone(),
            source_module: source_module.clone(),
        });
        relations.related.push((source_module.clone(), variant));
    }
    out
}

/// Whether a column's identity is the one SeaORM gives a numbered key on this backend and line.
fn numbered_as_seaorm(
    schema: &Schema,
    table: &QualifiedName,
    column: &autogen_schema::Column,
    keys: SeaOrmKeys,
) -> Result<Option<String>, String> {
    let dialect = schema.dialect;
    match (dialect, keys, &column.identity) {
        (Dialect::Postgres, SeaOrmKeys::Identity, Some(identity)) => {
            let expected = Some(Box::new(SequenceOptions::postgres_default(
                column.ty.clone(),
            )));
            if identity.kind == IdentityKind::ByDefault && identity.sequence == expected {
                Ok(None)
            } else {
                Err("an identity other than SeaORM 2.x's (GENERATED BY DEFAULT AS IDENTITY with default options)".to_owned())
            }
        }
        (Dialect::Postgres, SeaOrmKeys::Serial, Some(_)) => Err(
            "an identity, where SeaORM 1.x (`seaorm_keys = \"serial\"`) numbers keys with `serial`"
                .to_owned(),
        ),
        (Dialect::Postgres, SeaOrmKeys::Serial, None) => {
            match serial_sequence(schema, table, column) {
                Some(sequence) => Ok(Some(sequence)),
                None => Err("not numbered".to_owned()),
            }
        }
        (Dialect::Postgres, SeaOrmKeys::Identity, None) => Err("not numbered".to_owned()),
        (Dialect::MySql | Dialect::Sqlite, _, Some(identity))
            if identity.kind == IdentityKind::AutoIncrement =>
        {
            Ok(None)
        }
        (Dialect::MySql | Dialect::Sqlite, _, Some(_)) => {
            Err("an identity SeaORM does not write".to_owned())
        }
        (Dialect::MySql | Dialect::Sqlite, _, None) => Err("not numbered".to_owned()),
    }
}

/// Whether `ty` is one SeaORM can number (an integer key).
fn integer(ty: &ColumnType) -> bool {
    matches!(
        ty,
        ColumnType::SmallInt | ColumnType::Integer | ColumnType::BigInt
    )
}
