//! Entities into the schema with SeaORM's own names and keys, as
//! `Schema::create_table_from_entity` and `create_index_from_entity` build them:
//! - a one-column primary key is the database's (`<table>_pkey`), a composite one `pk-<table>`;
//! - an auto-increment key is `serial` (1.x) or an identity (2.x) on PostgreSQL,
//!   `AUTO_INCREMENT` on MySQL, the rowid on SQLite;
//! - `unique` is a column `UNIQUE` (PostgreSQL/SQLite `<table>_<col>_key`, MySQL the column's
//!   name), `indexed` the index `idx-<table>-<col>`, `unique_key` (2.x) the unique index
//!   `idx-<table>-<key>`;
//! - a foreign key is `fk-<table>-<cols>` (SQLite keeps it unnamed: `<table>_<cols>_fkey`).

use std::collections::BTreeMap;

use autogen_schema::{
    Column, ColumnType, Dialect, EnumType, ForeignKey, Identity, IdentityKind, Index, IndexKey,
    PrimaryKey, QualifiedName, ReferentialAction, Schema, Sequence, SequenceOptions, SequenceOwner,
    Table, UniqueConstraint,
};

use super::coltype::SeaType;
use super::entity::EntityDef;
use super::relations::{RelationDef, Target};
use super::render;
use crate::defaults::qualified;
use crate::diagnostics::{DiagnosticKind, Loc, Sink};
use crate::naming::Taken;
use crate::{ColumnRename, Renames, SeaOrmKeys};

pub(crate) struct Built {
    pub schema: Schema,
    pub renames: Renames,
}

pub(crate) struct BuildContext<'a> {
    pub dialect: Dialect,
    pub keys: SeaOrmKeys,
    /// PostgreSQL enum types (name, labels).
    pub enums: &'a [(String, Vec<String>)],
}

pub(crate) fn build(
    entities: &[EntityDef],
    relations: &BTreeMap<usize, Vec<RelationDef>>,
    cx: &BuildContext<'_>,
    sink: &mut Sink,
) -> Built {
    let dialect = cx.dialect;
    let mut built = Built {
        schema: Schema::new(dialect),
        renames: Renames::default(),
    };
    built.schema.namespace_mut(dialect.default_schema());
    if dialect == Dialect::Postgres {
        for (name, labels) in cx.enums {
            built
                .schema
                .namespace_mut(dialect.default_schema())
                .enums
                .insert(
                    name.clone(),
                    EnumType {
                        name: name.clone(),
                        labels: labels.clone(),
                        comment: None,
                    },
                );
        }
    }
    let mut seen: BTreeMap<&QualifiedName, Loc> = BTreeMap::new();
    let mut taken: BTreeMap<String, Taken> = BTreeMap::new();
    for e in entities {
        taken
            .entry(e.name.schema.clone())
            .or_default()
            .relation(&e.name.name);
    }
    for (index, e) in entities.iter().enumerate() {
        if let Some(first) = seen.get(&e.name) {
            let first = sink.describe(*first);
            sink.error(
                e.loc,
                DiagnosticKind::DuplicateTable,
                format!("table `{}` is defined twice (first at {first})", e.name),
            );
            continue;
        }
        seen.insert(&e.name, e.loc);
        let names = taken.entry(e.name.schema.clone()).or_default();
        let mut t = TableBuild {
            entity: e,
            table: Table::new(e.name.name.clone()),
            names,
            cx,
            sink: &mut *sink,
        };
        let sequences = t.columns();
        t.primary_key();
        t.uniques_and_indexes();
        t.checks();
        let mut fks: Vec<&RelationDef> = e.relations.iter().collect();
        fks.extend(relations.get(&index).into_iter().flatten());
        for fk in fks {
            t.foreign_key(fk, entities);
        }
        let mut table = t.table;
        if dialect == Dialect::MySql {
            table.comment = e.comment.clone();
        }
        let namespace = built.schema.namespace_mut(&e.name.schema);
        for s in sequences {
            namespace.sequences.insert(s.name.clone(), s);
        }
        namespace.tables.insert(e.name.name.clone(), table);
        for c in &e.columns {
            if let Some(old) = c.renamed_from.as_ref().filter(|old| **old != c.name) {
                if e.columns.iter().any(|other| other.name == *old) {
                    sink.error(
                        c.loc,
                        DiagnosticKind::RenameConflict,
                        format!(
                            "`renamed_from = \"{old}\"`, but table `{}` still has a column `{old}`",
                            e.name
                        ),
                    );
                } else {
                    built.renames.columns.push(ColumnRename {
                        table: e.name.clone(),
                        from: old.clone(),
                        to: c.name.clone(),
                    });
                }
            }
        }
    }
    built
}

struct TableBuild<'a, 'c> {
    entity: &'a EntityDef,
    table: Table,
    names: &'a mut Taken,
    cx: &'a BuildContext<'c>,
    sink: &'a mut Sink,
}

impl TableBuild<'_, '_> {
    /// A name SeaORM gives, as the database keeps it: PostgreSQL cuts identifiers to 63 bytes
    /// (with a notice), so `fk-<long table>-<long column>` is stored cut.
    fn fit(&self, name: String) -> String {
        if self.cx.dialect != Dialect::Postgres {
            return name;
        }
        autogen_schema::naming::truncate_identifier(&name).to_owned()
    }

    fn table_name(&self) -> String {
        self.entity.name.name.clone()
    }

    fn key_columns(&self) -> Vec<&super::entity::ColumnDef> {
        self.entity
            .columns
            .iter()
            .filter(|c| c.primary_key)
            .collect()
    }

    /// SeaORM's `PrimaryKeyTrait::auto_increment()`: one key column, unless a field says
    /// `auto_increment = false`; 2.x also leaves `String` and `Uuid` keys alone.
    fn auto_increment(&self) -> bool {
        let keys = self.key_columns();
        if keys.len() != 1 {
            return false;
        }
        let explicit = self
            .entity
            .columns
            .iter()
            .find_map(|c| c.auto_increment.map(|(b, _)| b));
        let key = keys[0];
        let text_key = matches!(key.ty, Some(SeaType::String(_) | SeaType::Uuid));
        let on = match explicit {
            Some(b) => b,
            None => self.cx.keys == SeaOrmKeys::Serial || !text_key,
        };
        // SeaORM cannot number anything but an integer: such a key is left as it is.
        on && key.ty.as_ref().is_some_and(SeaType::is_integer)
    }

    fn columns(&mut self) -> Vec<Sequence> {
        let dialect = self.cx.dialect;
        let auto = self.auto_increment();
        let single_key = self.key_columns().len() == 1;
        let mut sequences = Vec::new();
        let mut seen: BTreeMap<&str, Loc> = BTreeMap::new();
        let entity = self.entity;
        for c in &entity.columns {
            if let Some(first) = seen.get(c.name.as_str()) {
                let first = self.sink.describe(*first);
                self.sink.error(
                    c.loc,
                    DiagnosticKind::DuplicateColumn,
                    format!(
                        "column `{}` is defined twice in table `{}` (first at {first})",
                        c.name, entity.name
                    ),
                );
                continue;
            }
            seen.insert(&c.name, c.loc);
            let numbered = auto && c.primary_key;
            let ty = match &c.ty {
                Some(ty) => match render::column_type(ty, dialect, self.cx.keys, numbered) {
                    Ok(t) => t,
                    Err(message) => {
                        self.sink.error(c.loc, DiagnosticKind::UnknownType, message);
                        ColumnType::Other {
                            name: "unknown".to_owned(),
                        }
                    }
                },
                None => ColumnType::Other {
                    name: "unknown".to_owned(),
                },
            };
            let mut column = Column::new(c.name.clone(), ty);
            column.nullable = c.nullable && !c.primary_key;
            column.default = c.default.clone();
            if dialect == Dialect::MySql {
                column.comment = mysql_comment(c, self.cx.keys);
            }
            let rowid = dialect == Dialect::Sqlite
                && single_key
                && c.primary_key
                && column.ty == ColumnType::Integer;
            if numbered || rowid {
                column.nullable = false;
                match (dialect, self.cx.keys) {
                    (Dialect::Postgres, SeaOrmKeys::Serial) => {
                        let name = self.names.choose_relation(
                            &entity.name.name,
                            Some(&c.name),
                            "seq",
                            false,
                        );
                        column.default = Some(format!(
                            "nextval('{}'::regclass)",
                            qualified(&QualifiedName::new(
                                entity.name.schema.clone(),
                                name.clone()
                            ))
                            .replace('\'', "''")
                        ));
                        sequences.push(Sequence {
                            name,
                            options: SequenceOptions::postgres_default(column.ty.clone()),
                            owned_by: Some(SequenceOwner {
                                table: entity.name.clone(),
                                column: c.name.clone(),
                            }),
                        });
                    }
                    (Dialect::Postgres, SeaOrmKeys::Identity) => {
                        column.identity = Some(Identity {
                            kind: IdentityKind::ByDefault,
                            sequence: Some(Box::new(SequenceOptions::postgres_default(
                                column.ty.clone(),
                            ))),
                        });
                    }
                    (Dialect::MySql | Dialect::Sqlite, _) => {
                        column.identity = Some(Identity {
                            kind: IdentityKind::AutoIncrement,
                            sequence: None,
                        });
                    }
                }
            }
            self.table.columns.push(column);
        }
        sequences
    }

    fn primary_key(&mut self) {
        let columns: Vec<String> = self.key_columns().iter().map(|c| c.name.clone()).collect();
        let table = self.table_name();
        let name = match columns.len() {
            0 => {
                self.sink.error(
                    self.entity.loc,
                    DiagnosticKind::MissingPrimaryKey,
                    format!(
                        "entity `{}` has no primary key; mark a field `#[sea_orm(primary_key)]`",
                        self.entity.name
                    ),
                );
                return;
            }
            1 => self.names.choose_relation(&table, None, "pkey", true),
            _ => {
                let name = self.fit(format!("pk-{table}"));
                self.names.relation(&name);
                self.names.constraint(&name);
                name
            }
        };
        self.table.primary_key = Some(PrimaryKey { name, columns });
    }

    fn uniques_and_indexes(&mut self) {
        let table = self.table_name();
        let dialect = self.cx.dialect;
        let v2 = self.cx.keys == SeaOrmKeys::Identity;
        for c in &self.entity.columns {
            if !c.unique {
                continue;
            }
            let name = match dialect {
                Dialect::MySql => c.name.clone(),
                Dialect::Postgres | Dialect::Sqlite => {
                    self.names
                        .choose_relation(&table, Some(&c.name), "key", true)
                }
            };
            self.table.uniques.insert(
                name.clone(),
                UniqueConstraint {
                    name,
                    columns: vec![c.name.clone()],
                    nulls_not_distinct: false,
                    deferrable: Default::default(),
                },
            );
        }
        for c in &self.entity.columns {
            // 2.x leaves out the index of a column that is unique anyway.
            if !c.indexed || (v2 && c.unique) {
                continue;
            }
            let name = self.fit(format!("idx-{table}-{}", c.name));
            self.names.relation(&name);
            self.add_index(name, false, vec![c.name.clone()]);
        }
        // `unique_key` arrived with 2.x; 1.x's macro ignores the key.
        if v2 {
            let mut groups: BTreeMap<&str, Vec<String>> = BTreeMap::new();
            for c in &self.entity.columns {
                if let Some(key) = &c.unique_key {
                    groups.entry(key).or_default().push(c.name.clone());
                }
            }
            for (key, columns) in groups {
                let name = self.fit(format!("idx-{table}-{key}"));
                self.names.relation(&name);
                self.add_index(name, true, columns);
            }
        }
    }

    /// `extra = "CHECK (..)"`: a column check, named as the database names one: PostgreSQL
    /// `<table>_<col>_check` after the one column the expression mentions (`<table>_check`
    /// otherwise), SQLite's reader after the column it is written on, MariaDB the column.
    fn checks(&mut self) {
        let table = self.table_name();
        let columns: Vec<String> = self.entity.columns.iter().map(|c| c.name.clone()).collect();
        for c in &self.entity.columns {
            let Some(expr) = &c.check else { continue };
            let name = match self.cx.dialect {
                Dialect::MySql => c.name.clone(),
                Dialect::Sqlite => self.names.choose_constraint(&table, Some(&c.name), "check"),
                Dialect::Postgres => {
                    let mentioned = crate::expr::referenced_columns(expr, &columns);
                    let column = match mentioned.as_slice() {
                        [one] => Some(one.as_str()),
                        _ => None,
                    };
                    self.names.choose_constraint(&table, column, "check")
                }
            };
            let inner = expr.trim();
            let inner = inner
                .strip_prefix('(')
                .and_then(|i| i.strip_suffix(')'))
                .unwrap_or(inner);
            self.table.checks.insert(
                name.clone(),
                autogen_schema::CheckConstraint {
                    not_valid: false,
                    name,
                    expression: format!("({inner})"),
                    no_inherit: false,
                },
            );
        }
    }

    fn add_index(&mut self, name: String, unique: bool, columns: Vec<String>) {
        self.table.indexes.insert(
            name.clone(),
            Index {
                invalid: false,
                name,
                unique,
                keys: columns.into_iter().map(IndexKey::column).collect(),
                method: "btree".to_owned(),
                predicate: None,
                include: Vec::new(),
                nulls_not_distinct: false,
            },
        );
    }

    fn foreign_key(&mut self, fk: &RelationDef, entities: &[EntityDef]) {
        let entity = self.entity;
        let target = match &fk.target {
            Target::SelfRef => Some(entity),
            Target::Module(module) => {
                let found: Vec<&EntityDef> =
                    entities.iter().filter(|e| e.module == *module).collect();
                match found.as_slice() {
                    [one] => Some(*one),
                    [] => {
                        self.sink.error(
                            fk.loc,
                            DiagnosticKind::DanglingReference,
                            format!("`belongs_to` names entity module `{module}`, which no entity file defines"),
                        );
                        None
                    }
                    [..] => found.iter().find(|e| e.file == entity.file).copied().or_else(|| {
                        self.sink.error(
                            fk.loc,
                            DiagnosticKind::AmbiguousType,
                            format!("`belongs_to` names entity module `{module}`, which {} files define", found.len()),
                        );
                        None
                    }),
                }
            }
        };
        let Some(target) = target else { return };
        // `Column::UserId` and `user_id` both name column `user_id` (or its `column_name`).
        let resolve =
            |of: &EntityDef, keys: &[(String, Loc)], sink: &mut Sink| -> Option<Vec<String>> {
                let mut out = Vec::new();
                for (written, loc) in keys {
                    let key = super::entity::fold(written);
                    match of.columns.iter().find(|c| c.key == key) {
                        Some(c) => out.push(c.name.clone()),
                        None => {
                            sink.error(
                                *loc,
                                DiagnosticKind::DanglingReference,
                                format!("entity `{}` has no column `{written}`", of.name),
                            );
                            return None;
                        }
                    }
                }
                Some(out)
            };
        let from = resolve(entity, &fk.from, self.sink);
        let to = resolve(target, &fk.to, self.sink);
        let (Some(columns), Some(referenced_columns)) = (from, to) else {
            return;
        };
        if columns.len() != referenced_columns.len() {
            self.sink.error(
                fk.loc,
                DiagnosticKind::WrongValue,
                format!(
                    "`from` names {} columns and `to` {}",
                    columns.len(),
                    referenced_columns.len()
                ),
            );
            return;
        }
        let table = self.table_name();
        let name = match (&fk.fk_name, self.cx.dialect) {
            // SeaORM writes SQLite's foreign keys without a name.
            (_, Dialect::Sqlite) => {
                let base = format!("{table}_{}_fkey", columns.join("_"));
                let taken = &self.table.foreign_keys;
                autogen_schema::naming::first_free(base, |n| taken.contains_key(n))
            }
            (Some(given), Dialect::Postgres | Dialect::MySql) => self.fit(given.clone()),
            (None, Dialect::Postgres | Dialect::MySql) => {
                self.fit(format!("fk-{table}-{}", columns.join("-")))
            }
        };
        // MySQL's default action is RESTRICT, and it says so.
        let unspecified = match self.cx.dialect {
            Dialect::MySql => ReferentialAction::Restrict,
            Dialect::Postgres | Dialect::Sqlite => ReferentialAction::NoAction,
        };
        self.table.foreign_keys.insert(
            name.clone(),
            ForeignKey {
                not_valid: false,
                name,
                columns,
                referenced_table: target.name.clone(),
                referenced_columns,
                on_delete: fk.on_delete.unwrap_or(unspecified),
                on_update: fk.on_update.unwrap_or(unspecified),
                deferrable: Default::default(),
                match_type: Default::default(),
            },
        );
    }
}

/// MySQL keeps column comments; 2.x appends `renamed_from "old"` to them.
fn mysql_comment(c: &super::entity::ColumnDef, keys: SeaOrmKeys) -> Option<String> {
    match (&c.renamed_from, &c.comment, keys) {
        (Some(old), Some(comment), SeaOrmKeys::Identity) => {
            Some(format!("{comment}; renamed_from \"{old}\""))
        }
        (Some(old), None, SeaOrmKeys::Identity) => Some(format!("renamed_from \"{old}\"")),
        (_, comment, _) => comment.clone(),
    }
}
