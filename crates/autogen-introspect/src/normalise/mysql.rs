//! The cheap pass on MySQL/MariaDB: besides the expressions, a MySQL table holds facts the
//! server decides on its own. Those that follow from a rule are derived here, purely, as the
//! normaliser (`crate::mysql::normalise`) would read them back:
//!
//! - the primary key is named `PRIMARY`;
//! - a foreign key that no index serves (one whose leading columns are the key's, whole, in
//!   order, B-tree) gets an index of its own named after the constraint, added in the order of
//!   the keys (an added index serves the next key too);
//! - `NO ACTION` is reported as `RESTRICT` by MariaDB (MySQL 8 keeps `NO ACTION`);
//! - a unique B-tree index on plain columns is a unique constraint (the catalogs cannot tell
//!   them apart);
//! - `DEFAULT NULL` on a nullable column is no default;
//! - comments are stored with MySQL's backslash escapes read (how a migration's literal
//!   arrives), an empty one is none.
//!
//! A table is settled only when every expression slot is equivalent to the live one (the
//! shared rules of [`super::canon`]) and the derived table is then *equal* to the live one,
//! fact for fact: types, nullability, identities, keys, names, collations, comments, column
//! order. Anything else (a change, a new table, a spelling no rule covers) leaves the whole
//! table pending: it goes to the normaliser as the models wrote it and comes back as the
//! server spells it. A fact that is equal to the live one needs no server: the live one is the
//! server's own spelling, which it gives back unchanged.

use std::collections::{BTreeMap, BTreeSet};

use autogen_schema::{
    Index, IndexKey, IndexTarget, QualifiedName, ReferentialAction, Schema, Table, UniqueConstraint,
};

use super::settle;
use crate::mysql::{Flavor, stored_string};

/// The desired schema after the MySQL cheap pass: settled tables in the live spelling, pending
/// ones as the models wrote them.
#[derive(Debug, Clone)]
pub(crate) struct ReconciledMySql {
    pub schema: Schema,
    pending: BTreeSet<QualifiedName>,
}

/// Settles every table of `desired` that, derived, equals its live version in `current`.
pub(crate) fn reconcile_mysql(
    desired: Schema,
    current: &Schema,
    flavor: Flavor,
) -> ReconciledMySql {
    let mut schema = desired;
    let mut pending = BTreeSet::new();
    let dialect = schema.dialect;
    for (namespace_name, namespace) in schema.schemas.iter_mut() {
        for (table_name, table) in namespace.tables.iter_mut() {
            let name = QualifiedName::new(namespace_name, table_name);
            let settled = current.table(&name).and_then(|live| {
                let mut derived = table.clone();
                derive(&mut derived, flavor);
                let unsettled = settle(dialect, &mut derived, Some(live));
                (unsettled.is_empty() && derived == *live).then_some(derived)
            });
            match settled {
                Some(derived) => *table = derived,
                None => {
                    pending.insert(name);
                }
            }
        }
    }
    ReconciledMySql { schema, pending }
}

impl ReconciledMySql {
    /// The tables the cheap pass left to the server.
    pub fn pending_tables(&self) -> impl Iterator<Item = &QualifiedName> {
        self.pending.iter()
    }

    pub fn is_settled(&self) -> bool {
        self.pending.is_empty()
    }

    /// What the server must spell: the pending tables as the models wrote them, foreign keys
    /// included (the normaliser sends none; it adds them, and the index InnoDB would create
    /// for one, from the models).
    pub fn pending_schema(&self) -> Schema {
        let mut out = Schema::new(self.schema.dialect);
        for name in &self.pending {
            if let Some(table) = self.schema.table(name) {
                out.namespace_mut(&name.schema)
                    .tables
                    .insert(name.name.clone(), table.clone());
            }
        }
        out
    }

    /// The desired schema with each pending table as the server read it back (`normalised`),
    /// its expressions that are equivalent to the live ones in the live spelling.
    pub fn merge(self, normalised: Schema, current: &Schema) -> Schema {
        let mut schema = self.schema;
        let dialect = schema.dialect;
        for (namespace_name, namespace) in normalised.schemas {
            for (table_name, mut table) in namespace.tables {
                let name = QualifiedName::new(&namespace_name, &table_name);
                if !self.pending.contains(&name) {
                    continue;
                }
                let _ = settle(dialect, &mut table, current.table(&name));
                schema
                    .namespace_mut(&namespace_name)
                    .tables
                    .insert(table_name, table);
            }
        }
        schema
    }
}

/// Gives `table` the facts MySQL derives by rule (see the module's documentation).
pub(crate) fn derive(table: &mut Table, flavor: Flavor) {
    if let Some(pk) = &mut table.primary_key {
        pk.name = "PRIMARY".to_owned();
    }
    table.comment = table
        .comment
        .as_deref()
        .map(stored_string)
        .filter(|c| !c.is_empty());
    for column in &mut table.columns {
        column.comment = column
            .comment
            .as_deref()
            .map(stored_string)
            .filter(|c| !c.is_empty());
        if column.nullable
            && column
                .default
                .as_deref()
                .is_some_and(|d| d.trim().eq_ignore_ascii_case("null"))
        {
            column.default = None;
        }
    }
    let unique_keys: Vec<String> = table
        .indexes
        .values()
        .filter(|i| is_unique_constraint(i))
        .map(|i| i.name.clone())
        .collect();
    for name in unique_keys {
        if let Some(index) = table.indexes.remove(&name) {
            let columns = index
                .keys
                .into_iter()
                .filter_map(|k| match k.target {
                    IndexTarget::Column(c) => Some(c),
                    IndexTarget::Expression(_) => None,
                })
                .collect();
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
    }
    let mut added: BTreeMap<String, Index> = BTreeMap::new();
    for fk in table.foreign_keys.iter_mut().map(|(_, v)| v) {
        for action in [&mut fk.on_delete, &mut fk.on_update] {
            *action = match (*action, flavor) {
                (ReferentialAction::NoAction, Flavor::MariaDb) => ReferentialAction::Restrict,
                (
                    ReferentialAction::NoAction
                    | ReferentialAction::Restrict
                    | ReferentialAction::Cascade
                    | ReferentialAction::SetNull
                    | ReferentialAction::SetDefault,
                    Flavor::MariaDb | Flavor::MySql,
                ) => *action,
            };
        }
    }
    for fk in table.foreign_keys.values() {
        let served = index_columns(table)
            .chain(added.values().map(plain_columns))
            .any(|keys| serves(&keys, &fk.columns));
        if !served {
            added.insert(
                fk.name.clone(),
                Index {
                    invalid: false,
                    name: fk.name.clone(),
                    unique: false,
                    keys: fk.columns.iter().map(IndexKey::column).collect(),
                    method: "btree".to_owned(),
                    predicate: None,
                    include: Vec::new(),
                    nulls_not_distinct: false,
                },
            );
        }
    }
    for (name, index) in added {
        // A name taken by another index: the server would refuse or rename; let it decide
        // (the table then differs from the live one and stays pending).
        table.indexes.entry(name).or_insert(index);
    }
}

/// Whether the catalog reads `index` back as a unique constraint (as `mysql/build.rs` sorts
/// them): unique, B-tree, every key a whole column, ascending, nothing PostgreSQL-only.
fn is_unique_constraint(index: &Index) -> bool {
    index.unique
        && index.method == "btree"
        && index.predicate.is_none()
        && index.include.is_empty()
        && !index.nulls_not_distinct
        && index.keys.iter().all(|k| {
            matches!(k.target, IndexTarget::Column(_))
                && !k.descending
                && k.length.is_none()
                && k.nulls_first.is_none()
                && k.opclass.is_none()
                && k.collation.is_none()
        })
}

/// A key column of an index that can serve a foreign key: `None` for an expression, a prefix
/// or a descending key (InnoDB does not use them), or an index that is not a B-tree.
type KeyColumns = Vec<Option<String>>;

/// The key columns of the primary key, the unique constraints and the indexes of `table`.
fn index_columns(table: &Table) -> impl Iterator<Item = KeyColumns> + '_ {
    let whole = |columns: &Vec<String>| columns.iter().cloned().map(Some).collect::<KeyColumns>();
    table
        .primary_key
        .iter()
        .map(move |pk| whole(&pk.columns))
        .chain(table.uniques.values().map(move |u| whole(&u.columns)))
        .chain(table.indexes.values().map(plain_columns))
}

fn plain_columns(index: &Index) -> KeyColumns {
    let btree = index.method == "btree";
    index
        .keys
        .iter()
        .map(|k| match &k.target {
            IndexTarget::Column(c) if btree && k.length.is_none() && !k.descending => {
                Some(c.clone())
            }
            IndexTarget::Column(_) | IndexTarget::Expression(_) => None,
        })
        .collect()
}

fn serves(keys: &KeyColumns, columns: &[String]) -> bool {
    keys.len() >= columns.len()
        && keys
            .iter()
            .zip(columns)
            .all(|(key, wanted)| key.as_deref() == Some(wanted.as_str()))
}

#[cfg(test)]
mod tests {
    use autogen_schema::{Column, ColumnType, ForeignKey, PrimaryKey};

    use super::*;

    fn table() -> Table {
        let mut t = Table::new("t");
        t.columns.push(Column::new("id", ColumnType::BigInt));
        t.columns.push(Column::new("a", ColumnType::Integer));
        t.columns.push(Column::new("b", ColumnType::Integer));
        t.primary_key = Some(PrimaryKey {
            name: "t_pkey".to_owned(),
            columns: vec!["id".to_owned()],
        });
        t
    }

    fn fk(name: &str, columns: &[&str]) -> ForeignKey {
        ForeignKey {
            not_valid: false,
            name: name.to_owned(),
            columns: columns.iter().map(|c| (*c).to_owned()).collect(),
            referenced_table: QualifiedName::new("main", "u"),
            referenced_columns: columns.iter().map(|_| "id".to_owned()).collect(),
            on_delete: ReferentialAction::NoAction,
            on_update: ReferentialAction::Cascade,
            deferrable: Default::default(),
            match_type: Default::default(),
        }
    }

    #[test]
    fn the_primary_key_is_primary_and_a_foreign_key_gets_an_index_unless_one_serves() {
        let mut t = table();
        t.foreign_keys
            .insert("t_2_a".to_owned(), fk("t_2_a", &["a"]));
        t.foreign_keys
            .insert("t_1_ab".to_owned(), fk("t_1_ab", &["a", "b"]));
        t.foreign_keys
            .insert("t_3_id".to_owned(), fk("t_3_id", &["id"]));
        derive(&mut t, Flavor::MariaDb);
        assert_eq!(
            t.primary_key.as_ref().map(|p| p.name.as_str()),
            Some("PRIMARY")
        );
        // `t_1_ab` comes first and its index serves `t_2_a`; the primary key serves `t_3_id`.
        assert_eq!(t.indexes.keys().collect::<Vec<_>>(), ["t_1_ab"]);
        let a = &t.foreign_keys.get("t_2_a").expect("t_2_a");
        assert_eq!(a.on_delete, ReferentialAction::Restrict);
        assert_eq!(a.on_update, ReferentialAction::Cascade);

        let mut t = table();
        t.foreign_keys
            .insert("t_b_fk".to_owned(), fk("t_b_fk", &["b"]));
        derive(&mut t, Flavor::MySql);
        assert_eq!(t.indexes.keys().collect::<Vec<_>>(), ["t_b_fk"]);
        assert_eq!(
            t.foreign_keys.get("t_b_fk").expect("t_b_fk").on_delete,
            ReferentialAction::NoAction
        );
    }

    #[test]
    fn a_prefix_or_descending_key_serves_no_foreign_key() {
        let mut t = table();
        t.indexes.insert(
            "a_prefix".to_owned(),
            Index {
                invalid: false,
                name: "a_prefix".to_owned(),
                unique: false,
                keys: vec![IndexKey {
                    length: Some(3),
                    ..IndexKey::column("a")
                }],
                method: "btree".to_owned(),
                predicate: None,
                include: Vec::new(),
                nulls_not_distinct: false,
            },
        );
        t.foreign_keys
            .insert("t_a_fk".to_owned(), fk("t_a_fk", &["a"]));
        derive(&mut t, Flavor::MariaDb);
        assert!(t.indexes.contains_key("t_a_fk"));
    }

    #[test]
    fn null_defaults_unique_indexes_and_comments_as_the_server_reads_them() {
        let mut t = table();
        t.columns[1].default = Some("NULL".to_owned());
        t.columns[2].default = Some("NULL".to_owned());
        t.columns[2].nullable = false;
        t.columns[1].comment = Some("a\\nb".to_owned());
        t.comment = Some(String::new());
        t.indexes.insert(
            "t_a_key".to_owned(),
            Index {
                invalid: false,
                name: "t_a_key".to_owned(),
                unique: true,
                keys: vec![IndexKey::column("a")],
                method: "btree".to_owned(),
                predicate: None,
                include: Vec::new(),
                nulls_not_distinct: false,
            },
        );
        derive(&mut t, Flavor::MariaDb);
        assert_eq!(t.columns[1].default, None);
        // NOT NULL DEFAULT NULL is the server's to refuse.
        assert_eq!(t.columns[2].default.as_deref(), Some("NULL"));
        assert_eq!(t.columns[1].comment.as_deref(), Some("a\nb"));
        assert_eq!(t.comment, None);
        assert!(t.indexes.is_empty());
        assert_eq!(t.uniques.get("t_a_key").expect("t_a_key").columns, ["a"]);
    }
}
