use autogen_schema::{
    CheckConstraint, Column, CommentTarget, DbObject, EnumType, Exclusion, ForeignKey, Index,
    PartitionOf, PostgresTableOptions, PrimaryKey, QualifiedName, Sequence, Table, Trigger,
    UniqueConstraint, View,
};
use serde::{Deserialize, Serialize};

/// One step of a plan. Every variant carries what it needs to build its inverse: a dropped
/// object keeps its whole definition, an altered one keeps both sides.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "change", rename_all = "snake_case")]
pub enum Change {
    CreateSchema {
        name: String,
    },
    DropSchema {
        name: String,
    },

    CreateEnum {
        name: QualifiedName,
        definition: EnumType,
    },
    DropEnum {
        name: QualifiedName,
        definition: EnumType,
    },
    /// `ALTER TYPE .. ADD VALUE .. BEFORE/AFTER ..`; its inverse removes the value by rebuilding.
    AddEnumValue {
        name: QualifiedName,
        value: String,
        position: EnumValuePosition,
        from: EnumType,
        to: EnumType,
        /// Every column typed with the enum (or an array of it) when this step runs. Unused by
        /// `ADD VALUE` itself; carried so that the inverse [`Change::RebuildEnum`] can cast them.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        columns: Vec<EnumColumnUse>,
        /// The objects a rebuild of the enum must detach at this point; unused by `ADD VALUE`
        /// itself, carried for the inverse like `columns`.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        dependents: Vec<EnumDependent>,
    },
    RenameEnumValue {
        name: QualifiedName,
        from: String,
        to: String,
    },
    /// Removing or reordering labels: a new type, columns cast over, the old type dropped.
    RebuildEnum {
        name: QualifiedName,
        from: EnumType,
        to: EnumType,
        /// Every column typed with the enum (or an array of it) when this step runs, as it is
        /// then: the renderer casts each to the new type. The plan orders column changes so
        /// that the same list is right for the inverse at the same point of the down plan.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        columns: Vec<EnumColumnUse>,
        /// Every check, index and foreign key that names the enum (or a column typed with it)
        /// when this step runs: the renderer drops them before the columns are cast and creates
        /// them again after. They are the same before and after the whole plan; objects the
        /// plan changes are dropped before this step and created after it.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        dependents: Vec<EnumDependent>,
    },
    SetEnumComment {
        name: QualifiedName,
        from: Option<String>,
        to: Option<String>,
    },

    CreateSequence {
        name: QualifiedName,
        definition: Sequence,
    },
    DropSequence {
        name: QualifiedName,
        definition: Sequence,
    },
    AlterSequence {
        name: QualifiedName,
        from: Sequence,
        to: Sequence,
    },

    /// A table without its foreign keys (they are separate steps, so cycles need nothing special)
    /// but with its primary key, unique and check constraints and indexes.
    CreateTable {
        name: QualifiedName,
        definition: Table,
    },
    DropTable {
        name: QualifiedName,
        definition: Table,
    },
    /// `ALTER TABLE .. RENAME`, with the sequences of its columns renamed along (PostgreSQL).
    RenameTable {
        from: QualifiedName,
        to: QualifiedName,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        sequences: Vec<SequenceRename>,
    },
    SetTableComment {
        table: QualifiedName,
        from: Option<String>,
        to: Option<String>,
    },

    AddColumn {
        table: QualifiedName,
        column: Column,
    },
    DropColumn {
        table: QualifiedName,
        column: Column,
    },
    RenameColumn {
        table: QualifiedName,
        from: String,
        to: String,
    },
    /// Any of type, nullability, default, identity, generated expression, collation, comment.
    AlterColumn {
        table: QualifiedName,
        from: Column,
        to: Column,
        /// What the rows holding NULL get before the column becomes NOT NULL, when that is
        /// an expression reading the row (`split_part(email, '@', 1)`), which a default
        /// cannot be: the lowering fills them by `UPDATE .. WHERE col IS NULL`
        /// ([`crate::apply_backfills`]). `None` otherwise, and always in an inverse.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        backfill: Option<String>,
    },

    AddPrimaryKey {
        table: QualifiedName,
        key: PrimaryKey,
    },
    DropPrimaryKey {
        table: QualifiedName,
        key: PrimaryKey,
    },
    AddUnique {
        table: QualifiedName,
        constraint: UniqueConstraint,
    },
    DropUnique {
        table: QualifiedName,
        constraint: UniqueConstraint,
    },
    AddCheck {
        table: QualifiedName,
        constraint: CheckConstraint,
    },
    DropCheck {
        table: QualifiedName,
        constraint: CheckConstraint,
    },
    AddForeignKey {
        table: QualifiedName,
        constraint: ForeignKey,
    },
    DropForeignKey {
        table: QualifiedName,
        constraint: ForeignKey,
    },
    CreateIndex {
        table: QualifiedName,
        index: Index,
    },
    DropIndex {
        table: QualifiedName,
        index: Index,
    },

    /// Views and triggers are carried verbatim (their definitions are the database's text).
    CreateView {
        name: QualifiedName,
        definition: View,
    },
    DropView {
        name: QualifiedName,
        definition: View,
    },
    /// A view whose definition changes: dropped and created again where the dialect has no
    /// `CREATE OR REPLACE` that fits.
    ReplaceView {
        name: QualifiedName,
        from: View,
        to: View,
    },
    CreateTrigger {
        name: QualifiedName,
        definition: Trigger,
    },
    DropTrigger {
        name: QualifiedName,
        definition: Trigger,
    },
    ReplaceTrigger {
        name: QualifiedName,
        from: Trigger,
        to: Trigger,
    },

    /// PostgreSQL's objects beyond tables (`autogen_schema::DbObject`), in `schema`. An
    /// object whose new version cannot replace the old where it stands is a drop and a create,
    /// and so is every object that depends on it or on a column the plan retypes or drops.
    CreateObject {
        schema: String,
        object: DbObject,
    },
    DropObject {
        schema: String,
        object: DbObject,
    },
    /// In place (`DbObject::replaces_in_place`): `CREATE OR REPLACE FUNCTION`, `ALTER DOMAIN`,
    /// a comment.
    AlterObject {
        schema: String,
        from: DbObject,
        to: DbObject,
    },

    /// PostgreSQL's in-place table facts: `SET LOGGED`/`SET UNLOGGED`, row-level security
    /// enabled and forced, storage options, replica identity.
    AlterTableOptions {
        table: QualifiedName,
        from: PostgresTableOptions,
        to: PostgresTableOptions,
    },
    /// `EXCLUDE USING ..` (PostgreSQL).
    AddExclusion {
        table: QualifiedName,
        constraint: Exclusion,
    },
    DropExclusion {
        table: QualifiedName,
        constraint: Exclusion,
    },
    /// `ALTER TABLE parent ATTACH PARTITION table ..`.
    AttachPartition {
        table: QualifiedName,
        partition: PartitionOf,
    },
    /// `ALTER TABLE parent DETACH PARTITION table`: the table stays, standalone.
    DetachPartition {
        table: QualifiedName,
        partition: PartitionOf,
    },
    /// `COMMENT ON INDEX | CONSTRAINT | SEQUENCE`; `None` is no comment. One that goes with
    /// its object is set to `None` before the object is dropped, so the down plan puts it back.
    SetComment {
        target: CommentTarget,
        from: Option<String>,
        to: Option<String>,
    },
    /// `ALTER INDEX .. SET (..)` / `RESET (..)`: an index's storage options.
    SetIndexStorage {
        table: QualifiedName,
        index: String,
        from: Vec<String>,
        to: Vec<String>,
    },
    /// `ALTER INDEX .. RENAME TO ..` of a partition's index attached to `parent_index` (an index
    /// of its parent): PostgreSQL names the one it builds with a parent's index itself, so the
    /// name the partition's index should have is given it after the parent's index is built
    /// (`parent_built`), or PostgreSQL's name given back before it is dropped (the inverse).
    RenameAttachedIndex {
        table: QualifiedName,
        from: String,
        to: String,
        parent_index: QualifiedName,
        parent_built: bool,
    },
}

/// A column's sequence that a table rename renames with it, in the table's schema: a `serial`
/// column's (an owned sequence in the IR) from the current name to the desired one, or an
/// identity column's from the old table's default name (`<table>_<column>_seq`) to the new
/// table's. PostgreSQL keeps both through `ALTER TABLE .. RENAME` under their old names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SequenceRename {
    pub column: String,
    pub from: String,
    pub to: String,
    /// An identity column's internal sequence, which the IR does not name (it may have been
    /// named otherwise): the SQL renames it only when it has the name `from` and `to` is free.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub identity: bool,
}

impl SequenceRename {
    pub fn inverse(&self) -> SequenceRename {
        SequenceRename {
            column: self.column.clone(),
            from: self.to.clone(),
            to: self.from.clone(),
            identity: self.identity,
        }
    }
}

/// A column typed with an enum (or an array of it), as it is when the enum changes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnumColumnUse {
    pub table: QualifiedName,
    pub column: Column,
}

/// An object that an enum rebuild detaches: PostgreSQL re-reads the text of a check or index
/// when a column under it changes type, and there `'x'::mood` names the old, renamed-away type
/// (no operator compares it with the new one); a foreign key between two columns typed with the
/// enum cannot hold while one is cast and the other not; the old type cannot be dropped while
/// an expression still casts to it; a generated column reading the enum must go, and with it
/// what is built on it. Plain-column indexes and keys are rebuilt by PostgreSQL itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum EnumDependent {
    Check {
        table: QualifiedName,
        constraint: CheckConstraint,
    },
    Index {
        table: QualifiedName,
        index: Index,
    },
    ForeignKey {
        table: QualifiedName,
        constraint: ForeignKey,
    },
    /// A key over a generated column that is detached (dropping the column would drop it).
    Unique {
        table: QualifiedName,
        constraint: UniqueConstraint,
    },
    PrimaryKey {
        table: QualifiedName,
        key: PrimaryKey,
    },
    /// A generated column whose expression names the enum or a column typed with it:
    /// PostgreSQL refuses to change the type of a column one reads, and cannot add an
    /// expression to a column, so it is dropped and added again (its values recomputed).
    GeneratedColumn {
        table: QualifiedName,
        column: Column,
    },
}

/// Where a new enum label goes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EnumValuePosition {
    Before(String),
    After(String),
    /// Appended; the type had no labels before.
    End,
}

impl Change {
    /// The change that undoes this one. Data that the forward change destroyed is not coming
    /// back; the hazards say so, the inverse only restores the shape.
    pub fn inverse(&self) -> Change {
        match self {
            Change::CreateSchema { name } => Change::DropSchema { name: name.clone() },
            Change::DropSchema { name } => Change::CreateSchema { name: name.clone() },
            Change::CreateEnum { name, definition } => Change::DropEnum {
                name: name.clone(),
                definition: definition.clone(),
            },
            Change::DropEnum { name, definition } => Change::CreateEnum {
                name: name.clone(),
                definition: definition.clone(),
            },
            Change::AddEnumValue {
                name,
                from,
                to,
                columns,
                dependents,
                ..
            } => Change::RebuildEnum {
                name: name.clone(),
                from: to.clone(),
                to: from.clone(),
                columns: columns.clone(),
                dependents: dependents.clone(),
            },
            Change::RenameEnumValue { name, from, to } => Change::RenameEnumValue {
                name: name.clone(),
                from: to.clone(),
                to: from.clone(),
            },
            Change::RebuildEnum {
                name,
                from,
                to,
                columns,
                dependents,
            } => Change::RebuildEnum {
                name: name.clone(),
                from: to.clone(),
                to: from.clone(),
                columns: columns.clone(),
                dependents: dependents.clone(),
            },
            Change::SetEnumComment { name, from, to } => Change::SetEnumComment {
                name: name.clone(),
                from: to.clone(),
                to: from.clone(),
            },
            Change::CreateSequence { name, definition } => Change::DropSequence {
                name: name.clone(),
                definition: definition.clone(),
            },
            Change::DropSequence { name, definition } => Change::CreateSequence {
                name: name.clone(),
                definition: definition.clone(),
            },
            Change::AlterSequence { name, from, to } => Change::AlterSequence {
                name: name.clone(),
                from: to.clone(),
                to: from.clone(),
            },
            Change::CreateTable { name, definition } => Change::DropTable {
                name: name.clone(),
                definition: definition.clone(),
            },
            Change::DropTable { name, definition } => Change::CreateTable {
                name: name.clone(),
                definition: definition.clone(),
            },
            Change::RenameTable {
                from,
                to,
                sequences,
            } => Change::RenameTable {
                from: to.clone(),
                to: from.clone(),
                sequences: sequences.iter().map(SequenceRename::inverse).collect(),
            },
            Change::SetTableComment { table, from, to } => Change::SetTableComment {
                table: table.clone(),
                from: to.clone(),
                to: from.clone(),
            },
            Change::AddColumn { table, column } => Change::DropColumn {
                table: table.clone(),
                column: column.clone(),
            },
            Change::DropColumn { table, column } => Change::AddColumn {
                table: table.clone(),
                column: column.clone(),
            },
            Change::RenameColumn { table, from, to } => Change::RenameColumn {
                table: table.clone(),
                from: to.clone(),
                to: from.clone(),
            },
            // The rows a backfill filled keep their values: undoing NOT NULL fills nothing.
            Change::AlterColumn {
                table, from, to, ..
            } => Change::AlterColumn {
                table: table.clone(),
                from: to.clone(),
                to: from.clone(),
                backfill: None,
            },
            Change::AddPrimaryKey { table, key } => Change::DropPrimaryKey {
                table: table.clone(),
                key: key.clone(),
            },
            Change::DropPrimaryKey { table, key } => Change::AddPrimaryKey {
                table: table.clone(),
                key: key.clone(),
            },
            Change::AddUnique { table, constraint } => Change::DropUnique {
                table: table.clone(),
                constraint: constraint.clone(),
            },
            Change::DropUnique { table, constraint } => Change::AddUnique {
                table: table.clone(),
                constraint: constraint.clone(),
            },
            Change::AddCheck { table, constraint } => Change::DropCheck {
                table: table.clone(),
                constraint: constraint.clone(),
            },
            Change::DropCheck { table, constraint } => Change::AddCheck {
                table: table.clone(),
                constraint: constraint.clone(),
            },
            Change::AddForeignKey { table, constraint } => Change::DropForeignKey {
                table: table.clone(),
                constraint: constraint.clone(),
            },
            Change::DropForeignKey { table, constraint } => Change::AddForeignKey {
                table: table.clone(),
                constraint: constraint.clone(),
            },
            Change::CreateIndex { table, index } => Change::DropIndex {
                table: table.clone(),
                index: index.clone(),
            },
            Change::DropIndex { table, index } => Change::CreateIndex {
                table: table.clone(),
                index: index.clone(),
            },
            Change::CreateView { name, definition } => Change::DropView {
                name: name.clone(),
                definition: definition.clone(),
            },
            Change::DropView { name, definition } => Change::CreateView {
                name: name.clone(),
                definition: definition.clone(),
            },
            Change::ReplaceView { name, from, to } => Change::ReplaceView {
                name: name.clone(),
                from: to.clone(),
                to: from.clone(),
            },
            Change::CreateTrigger { name, definition } => Change::DropTrigger {
                name: name.clone(),
                definition: definition.clone(),
            },
            Change::DropTrigger { name, definition } => Change::CreateTrigger {
                name: name.clone(),
                definition: definition.clone(),
            },
            Change::ReplaceTrigger { name, from, to } => Change::ReplaceTrigger {
                name: name.clone(),
                from: to.clone(),
                to: from.clone(),
            },
            Change::CreateObject { schema, object } => Change::DropObject {
                schema: schema.clone(),
                object: object.clone(),
            },
            Change::DropObject { schema, object } => Change::CreateObject {
                schema: schema.clone(),
                object: object.clone(),
            },
            Change::AlterObject { schema, from, to } => Change::AlterObject {
                schema: schema.clone(),
                from: to.clone(),
                to: from.clone(),
            },
            Change::AlterTableOptions { table, from, to } => Change::AlterTableOptions {
                table: table.clone(),
                from: to.clone(),
                to: from.clone(),
            },
            Change::AddExclusion { table, constraint } => Change::DropExclusion {
                table: table.clone(),
                constraint: constraint.clone(),
            },
            Change::DropExclusion { table, constraint } => Change::AddExclusion {
                table: table.clone(),
                constraint: constraint.clone(),
            },
            Change::AttachPartition { table, partition } => Change::DetachPartition {
                table: table.clone(),
                partition: partition.clone(),
            },
            Change::DetachPartition { table, partition } => Change::AttachPartition {
                table: table.clone(),
                partition: partition.clone(),
            },
            Change::SetComment { target, from, to } => Change::SetComment {
                target: target.clone(),
                from: to.clone(),
                to: from.clone(),
            },
            Change::SetIndexStorage {
                table,
                index,
                from,
                to,
            } => Change::SetIndexStorage {
                table: table.clone(),
                index: index.clone(),
                from: to.clone(),
                to: from.clone(),
            },
            Change::RenameAttachedIndex {
                table,
                from,
                to,
                parent_index,
                parent_built,
            } => Change::RenameAttachedIndex {
                table: table.clone(),
                from: to.clone(),
                to: from.clone(),
                parent_index: parent_index.clone(),
                parent_built: !parent_built,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use autogen_schema::{Column, ColumnType};

    use super::*;

    #[test]
    fn inverse_of_inverse_is_the_change() {
        let table = QualifiedName::new("public", "t");
        let mut wide = Column::new("name", ColumnType::Varchar { length: Some(100) });
        wide.nullable = false;
        let narrow = Column::new("name", ColumnType::Varchar { length: Some(50) });
        let changes = [
            Change::AlterColumn {
                table: table.clone(),
                from: narrow.clone(),
                to: wide.clone(),
                backfill: None,
            },
            Change::DropColumn {
                table: table.clone(),
                column: narrow,
            },
            Change::RenameTable {
                from: table.clone(),
                to: QualifiedName::new("public", "u"),
                sequences: Vec::new(),
            },
        ];
        for change in changes {
            assert_ne!(change.inverse(), change);
            assert_eq!(change.inverse().inverse(), change);
        }
        // Undoing NOT NULL fills nothing: the backfill does not travel into the inverse.
        let filled = Change::AlterColumn {
            table,
            from: narrow_nullable(),
            to: wide,
            backfill: Some("length(other)".to_owned()),
        };
        let Change::AlterColumn { backfill, .. } = filled.inverse() else {
            panic!("the inverse of an alter is an alter");
        };
        assert_eq!(backfill, None);
    }

    fn narrow_nullable() -> Column {
        Column::new("name", ColumnType::Varchar { length: Some(50) })
    }
}
