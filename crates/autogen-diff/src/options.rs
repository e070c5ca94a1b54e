use autogen_schema::{Authority, QualifiedName};
use serde::{Deserialize, Serialize};

/// What the caller knows that two schemas cannot tell: which objects were renamed (never
/// guessed; a drop+add that looks like one only becomes a [`crate::RenameHint`]), and what the
/// desired side's source is authoritative for.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DiffOptions {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub table_renames: Vec<TableRename>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub column_renames: Vec<ColumnRename>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub enum_value_renames: Vec<EnumValueRename>,
    /// Facts the desired side's source does not state are taken from the current side: never
    /// added, dropped or altered. Full by default (the native models state everything).
    #[serde(skip)]
    pub authority: Authority,
}

/// Table `from` (current side) is table `to` (desired side).
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

impl DiffOptions {
    pub fn new() -> DiffOptions {
        DiffOptions::default()
    }

    pub fn with_authority(mut self, authority: Authority) -> DiffOptions {
        self.authority = authority;
        self
    }

    pub fn rename_table(mut self, from: QualifiedName, to: QualifiedName) -> DiffOptions {
        self.table_renames.push(TableRename { from, to });
        self
    }

    pub fn rename_column(
        mut self,
        table: QualifiedName,
        from: impl Into<String>,
        to: impl Into<String>,
    ) -> DiffOptions {
        self.column_renames.push(ColumnRename {
            table,
            from: from.into(),
            to: to.into(),
        });
        self
    }

    pub fn rename_enum_value(
        mut self,
        name: QualifiedName,
        from: impl Into<String>,
        to: impl Into<String>,
    ) -> DiffOptions {
        self.enum_value_renames.push(EnumValueRename {
            name,
            from: from.into(),
            to: to.into(),
        });
        self
    }
}
