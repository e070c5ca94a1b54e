//! A table's columns: NOT NULL, identity and serial sequences decided with the primary key.

use std::collections::BTreeMap;

use autogen_schema::{
    Column, ColumnType, Dialect, Identity, IdentityKind, QualifiedName, Sequence, SequenceOptions,
    SequenceOwner, Table,
};

use crate::columns::{ColumnDef, IdentityKey};
use crate::defaults::qualified;
use crate::diagnostics::{DiagnosticKind, Loc, Sink};
use crate::naming::Taken;
use crate::tables::TableDef;

/// One table being built, with the names taken in its namespace.
pub(super) struct TableBuild<'a> {
    pub def: &'a TableDef,
    pub table: Table,
    pub names: &'a mut Taken,
    pub dialect: Dialect,
    pub sink: &'a mut Sink,
    /// Where each expression of the schema came from (see [`crate::ExprSite`]).
    pub sites: &'a mut BTreeMap<crate::ExprSite, crate::Location>,
}

impl TableBuild<'_> {
    /// Records where an expression of this table came from.
    pub(super) fn site(&mut self, kind: crate::ExprKind, name: &str, loc: Loc) {
        let site = crate::ExprSite {
            table: self.def.name.clone(),
            kind,
            name: name.to_owned(),
        };
        self.sites.insert(site, self.sink.location(loc));
    }

    pub(super) fn table_name(&self) -> &str {
        &self.def.name.name
    }

    /// A column named in a struct-level list: its column name, or the name of the column of
    /// the field it names.
    pub(super) fn resolve(&mut self, name: &str, loc: Loc) -> Option<String> {
        let found = self
            .def
            .columns
            .iter()
            .find(|c| c.column.name == name)
            .or_else(|| self.def.columns.iter().find(|c| c.field == name));
        if found.is_none() {
            self.sink.error(
                loc,
                DiagnosticKind::UnknownColumn,
                format!("table `{}` has no column `{name}`", self.def.name),
            );
        }
        found.map(|c| c.column.name.clone())
    }

    pub(super) fn primary_key_columns(&self) -> Vec<String> {
        match &self.def.primary_key {
            Some((columns, _)) => columns
                .iter()
                .filter_map(|(name, _)| {
                    self.def
                        .columns
                        .iter()
                        .find(|c| c.column.name == *name || c.field == *name)
                        .map(|c| c.column.name.clone())
                })
                .collect(),
            None => self
                .def
                .columns
                .iter()
                .filter(|c| c.primary_key)
                .map(|c| c.column.name.clone())
                .collect(),
        }
    }

    /// The columns, with NOT NULL, identity and serial sequences decided.
    pub(super) fn columns(&mut self) -> Vec<Sequence> {
        let primary_key = self.primary_key_columns();
        let mut sequences = Vec::new();
        let mut seen: BTreeMap<&str, Loc> = BTreeMap::new();
        for c in &self.def.columns {
            if let Some(first) = seen.get(c.column.name.as_str()) {
                let first = self.sink.describe(*first);
                self.sink.error(
                    c.loc,
                    DiagnosticKind::DuplicateColumn,
                    format!(
                        "column `{}` is defined twice in table `{}` (first at {first})",
                        c.column.name, self.def.name
                    ),
                );
                continue;
            }
            seen.insert(&c.column.name, c.loc);
            let mut column = c.column.clone();
            if !c.type_known {
                column.ty = ColumnType::Other {
                    name: "unknown".to_owned(),
                };
            }
            // A key column is NOT NULL, but on SQLite only when it says so: a key that is not
            // the rowid may hold NULL in a rowid table (SQLite keeps that early bug), which a
            // key field of type `Option<..>` says.
            let nullable_key = self.dialect == Dialect::Sqlite && !self.def.options.without_rowid;
            if primary_key.contains(&column.name) && !nullable_key {
                column.nullable = false;
            }
            let single_key = primary_key.len() == 1 && primary_key.contains(&column.name);
            column.identity = self.identity(c, single_key);
            if column.identity.is_some() {
                column.nullable = false;
            }
            if c.serial {
                if column.default.is_some() {
                    self.sink.error(
                        c.loc,
                        DiagnosticKind::ConflictingKeys,
                        "a serial column has its own default; drop `default`/`default_sql`",
                    );
                }
                let sequence = self.serial_sequence(&column);
                column.default = Some(format!(
                    "nextval('{}'::regclass)",
                    qualified(&QualifiedName::new(
                        self.def.name.schema.clone(),
                        sequence.name.clone()
                    ))
                    .replace('\'', "''")
                ));
                column.nullable = false;
                sequences.push(sequence);
            }
            self.table.columns.push(column);
        }
        sequences
    }

    pub(super) fn identity(&mut self, c: &ColumnDef, single_key: bool) -> Option<Identity> {
        let ty = &c.column.ty;
        let integer = matches!(
            ty,
            ColumnType::SmallInt | ColumnType::Integer | ColumnType::BigInt
        );
        let kind = match c.identity {
            IdentityKey::Off => return None,
            IdentityKey::On(kind, loc) => {
                if !c.type_known {
                    return None;
                }
                if !integer && !mysql_integer(ty, self.dialect) {
                    self.sink.error(
                        loc,
                        DiagnosticKind::WrongValue,
                        format!(
                            "`identity` needs an integer column, not `{}`",
                            ty.sql(self.dialect)
                        ),
                    );
                    return None;
                }
                if c.column.default.is_some() && !c.serial {
                    self.sink.error(
                        loc,
                        DiagnosticKind::ConflictingKeys,
                        "an identity column cannot have a default as well",
                    );
                    return None;
                }
                if c.serial {
                    // `sql_type = "serial"` already numbers the rows through its sequence.
                    return None;
                }
                kind
            }
            // A lone integer key numbers itself, unless its values come from elsewhere: a
            // default, a serial sequence or the table it references.
            IdentityKey::Auto => {
                if !(single_key
                    && integer
                    && c.type_known
                    && !c.serial
                    && c.column.default.is_none()
                    && c.reference.is_none())
                {
                    return None;
                }
                match self.dialect {
                    Dialect::Postgres => IdentityKind::ByDefault,
                    Dialect::MySql | Dialect::Sqlite => IdentityKind::AutoIncrement,
                }
            }
        };
        Some(Identity {
            kind,
            // What introspection reads for a bare identity: PostgreSQL's sequence defaults.
            sequence: (self.dialect == Dialect::Postgres)
                .then(|| Box::new(SequenceOptions::postgres_default(ty.clone()))),
        })
    }

    pub(super) fn serial_sequence(&mut self, column: &Column) -> Sequence {
        let name =
            self.names
                .choose_relation(&self.def.name.name, Some(&column.name), "seq", false);
        Sequence {
            name,
            options: SequenceOptions::postgres_default(column.ty.clone()),
            owned_by: Some(SequenceOwner {
                table: self.def.name.clone(),
                column: column.name.clone(),
            }),
        }
    }
}

/// MySQL's integer types without a variant of their own (`int unsigned`, `tinyint`,
/// `mediumint`), which take `AUTO_INCREMENT` when a field asks for `identity`. Not a lone
/// key's identity by default: a `u32` key did not number itself before, and still does not.
fn mysql_integer(ty: &ColumnType, dialect: Dialect) -> bool {
    let ColumnType::Other { name } = ty else {
        return false;
    };
    let base = name.strip_suffix(" unsigned").unwrap_or(name);
    dialect == Dialect::MySql
        && ["tinyint", "smallint", "mediumint", "int", "bigint"].contains(&base)
}
