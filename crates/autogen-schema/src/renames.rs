//! What a model source states that two schemas cannot tell: which objects were renamed and
//! what fills existing rows of a column that becomes NOT NULL. Not part of the [`crate::Schema`]:
//! they are instructions for one migration. The model reader produces them, the differ reads
//! them; both use these types.

use serde::{Deserialize, Serialize};

use crate::QualifiedName;

/// The renames a model source declares (`renamed_from`), in model order.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Renames {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tables: Vec<TableRename>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub columns: Vec<ColumnRename>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub enum_values: Vec<EnumValueRename>,
}

impl Renames {
    pub fn is_empty(&self) -> bool {
        self.tables.is_empty() && self.columns.is_empty() && self.enum_values.is_empty()
    }

    /// `other`'s renames after these.
    pub fn extend(&mut self, other: Renames) {
        self.tables.extend(other.tables);
        self.columns.extend(other.columns);
        self.enum_values.extend(other.enum_values);
    }
}

/// Table `from` (current side, the database's name) is table `to` (desired side, the model's).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TableRename {
    pub from: QualifiedName,
    pub to: QualifiedName,
}

/// Column `from` of `table` is column `to`. `table` may be given by its desired-side name or,
/// when the table is renamed too, by its current-side name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ColumnRename {
    pub table: QualifiedName,
    pub from: String,
    pub to: String,
}

/// Label `from` of enum type `name` is label `to`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnumValueRename {
    pub name: QualifiedName,
    pub from: String,
    pub to: String,
}

/// The value for existing rows of `table.column` when it becomes NOT NULL, as an SQL
/// expression (`backfill = <literal>` already written as SQL for the column's type, or
/// `backfill_sql` verbatim).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Backfill {
    pub table: QualifiedName,
    pub column: String,
    pub sql: String,
    /// The expression reads the row (a column, or a subquery), which a column default may
    /// not: the rows holding NULL get it by `UPDATE .. SET col = <sql> WHERE col IS NULL`
    /// instead of through a temporary default. Decided by the model reader, which parses it.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub reads_row: bool,
}
