use autogen_schema::{
    Authority, ColumnRename, EnumValueRename, QualifiedName, Renames, TableRename,
};
use serde::{Deserialize, Serialize};

/// What the caller knows that two schemas cannot tell: which objects were renamed (never
/// guessed; a drop+add that looks like one only becomes a [`crate::RenameHint`]), and what the
/// desired side's source is authoritative for.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DiffOptions {
    #[serde(default, flatten)]
    pub renames: Renames,
    /// Facts the desired side's source does not state are taken from the current side: never
    /// added, dropped or altered. Full by default (the native models state everything).
    #[serde(skip)]
    pub authority: Authority,
}

impl DiffOptions {
    pub fn new() -> DiffOptions {
        DiffOptions::default()
    }

    pub fn with_renames(mut self, renames: Renames) -> DiffOptions {
        self.renames.extend(renames);
        self
    }

    pub fn with_authority(mut self, authority: Authority) -> DiffOptions {
        self.authority = authority;
        self
    }

    pub fn rename_table(mut self, from: QualifiedName, to: QualifiedName) -> DiffOptions {
        self.renames.tables.push(TableRename { from, to });
        self
    }

    pub fn rename_column(
        mut self,
        table: QualifiedName,
        from: impl Into<String>,
        to: impl Into<String>,
    ) -> DiffOptions {
        self.renames.columns.push(ColumnRename {
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
        self.renames.enum_values.push(EnumValueRename {
            name,
            from: from.into(),
            to: to.into(),
        });
        self
    }
}
