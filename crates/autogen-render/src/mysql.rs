//! MySQL and MariaDB: each change as the statements that perform it. sea-query's MySQL backend
//! builds what it expresses (drops, renames); the definitions (columns with inline `ENUM(..)`,
//! `AUTO_INCREMENT`, indexes with prefix lengths, constraints) come from the canonical MySQL
//! DDL, so a migration and `inspect --format sql` spell a definition the same way.
//!
//! MySQL commits every DDL statement on its own: nothing here is transactional, and every
//! step is [`crate::Transaction::Shared`] (the file header says what that means on MySQL).

mod implicit;
mod replace;
mod same_column;
mod session;

use std::collections::BTreeSet;

use autogen_diff::{Change, Plan};
use autogen_schema::ddl::mysql::{
    add_index_clause, check_clause, column_definition, create_index, create_table,
    foreign_key_clause, quote_mysql_ident, unique_clause,
};
use autogen_schema::{
    Column, Dialect, EnumType, PrimaryKey, QualifiedName, Schema, Table, quote_literal,
};
use sea_query::{Alias, ForeignKey, Index, IntoIden, MysqlQueryBuilder, Table as SeaTable};

use crate::lower::Draft;
use crate::{RenderError, describe};

type Refusal = String;

/// Views and triggers are read on SQLite only: no MySQL plan has one yet.
const NO_VIEWS_YET: &str = "views and triggers are not read on MySQL yet";

/// One draft per change, except a group (a key group, an index and its replacement): one
/// draft for all its changes, one `ALTER TABLE`, where the group says. Every draft shares the
/// (nominal) transaction.
pub(crate) fn lower(plan: &Plan) -> Result<Vec<Draft>, RenderError> {
    let changes = &plan.changes;
    let enums = enum_definitions(changes);
    let mut groups = key_groups(changes);
    groups.extend(replace::index_replacements(changes, &groups));
    let kept = implicit::kept_indexes(plan);
    let mut drafts = Vec::new();
    for (i, change) in changes.iter().enumerate() {
        if let Some(group) = groups.iter().find(|g| g.members.contains(&i)) {
            if group.at == i {
                let split = same_column::split(changes, &group.members);
                let mut fills_nulls = BTreeSet::new();
                // A column change taken out of the group: its own statements (a fill before
                // NOT NULL included); an added or dropped column: its clause alone.
                let mut alone = |j: usize| {
                    if let Change::AlterColumn {
                        table,
                        from,
                        to,
                        backfill,
                    } = &changes[j]
                    {
                        if autogen_diff::fills_nulls(from, to, backfill.as_deref()) {
                            fills_nulls.insert(j);
                        }
                        return alter_column(&enums, table, from, to, backfill.as_deref());
                    }
                    group_clause(&changes[j], &enums)
                        .map(|clause| vec![alter(&group.table, &clause)])
                        .unwrap_or_default()
                };
                let mut sql: Vec<String> = split.before.iter().flat_map(|&j| alone(j)).collect();
                let clauses: Vec<String> = split
                    .together
                    .iter()
                    .filter_map(|&j| group_clause(&changes[j], &enums))
                    .collect();
                sql.push(alter(&group.table, &clauses.join(",\n    ")));
                sql.extend(split.after.iter().flat_map(|&j| alone(j)));
                drafts.push(Draft {
                    changes: group.members.clone(),
                    sql: session::around_auto_increment(
                        group.members.iter().map(|&j| &changes[j]),
                        sql,
                    ),
                    fills_nulls,
                    ..Draft::default()
                });
            }
            continue;
        }
        let sql = if let (Change::AddForeignKey { table, constraint }, Some(index)) =
            (change, kept.get(&i))
        {
            let index = quote_mysql_ident(index);
            vec![alter(
                table,
                &format!(
                    "RENAME INDEX {index} TO {index},\n    ADD {}",
                    foreign_key_clause(constraint)
                ),
            )]
        } else {
            render_change(change, &enums).map_err(|reason| RenderError::Unrepresentable {
                change: describe::change(change, Dialect::MySql),
                dialect: Dialect::MySql,
                reason,
            })?
        };
        let mut draft = Draft::one(
            i,
            session::around_auto_increment(std::iter::once(change), sql),
        );
        if let Change::AlterColumn {
            from, to, backfill, ..
        } = change
            && autogen_diff::fills_nulls(from, to, backfill.as_deref())
        {
            draft.fills_nulls.insert(i);
        }
        drafts.push(draft);
    }
    Ok(drafts)
}

/// Changes of one table that go in one `ALTER TABLE`: a key group (an `AUTO_INCREMENT`
/// column must be a key at every moment, so a primary key change and the changes of the
/// columns in either key or with `AUTO_INCREMENT` on either side go together), or an index
/// and its replacement (`replace.rs`).
struct Group {
    table: QualifiedName,
    /// Indexes into the plan, ascending.
    members: Vec<usize>,
    /// Where the statement goes: the first member of a key group, the last of a replacement.
    at: usize,
}

/// What a change does to a table's primary key or to one of its columns, if anything.
enum KeyPart<'c> {
    PrimaryKey {
        table: &'c QualifiedName,
        key: &'c PrimaryKey,
    },
    Column {
        table: &'c QualifiedName,
        columns: [Option<&'c Column>; 2],
    },
}

fn key_part(change: &Change) -> Option<KeyPart<'_>> {
    match change {
        Change::AddPrimaryKey { table, key } | Change::DropPrimaryKey { table, key } => {
            Some(KeyPart::PrimaryKey { table, key })
        }
        Change::AddColumn { table, column } | Change::DropColumn { table, column } => {
            Some(KeyPart::Column {
                table,
                columns: [Some(column), None],
            })
        }
        Change::AlterColumn {
            table, from, to, ..
        } => Some(KeyPart::Column {
            table,
            columns: [Some(from), Some(to)],
        }),
        Change::CreateSchema { .. }
        | Change::DropSchema { .. }
        | Change::CreateEnum { .. }
        | Change::DropEnum { .. }
        | Change::AddEnumValue { .. }
        | Change::RenameEnumValue { .. }
        | Change::RebuildEnum { .. }
        | Change::SetEnumComment { .. }
        | Change::CreateSequence { .. }
        | Change::DropSequence { .. }
        | Change::AlterSequence { .. }
        | Change::CreateTable { .. }
        | Change::DropTable { .. }
        | Change::RenameTable { .. }
        | Change::SetTableComment { .. }
        | Change::RenameColumn { .. }
        | Change::AddUnique { .. }
        | Change::DropUnique { .. }
        | Change::AddCheck { .. }
        | Change::DropCheck { .. }
        | Change::AddForeignKey { .. }
        | Change::DropForeignKey { .. }
        | Change::CreateIndex { .. }
        | Change::DropIndex { .. }
        | Change::CreateView { .. }
        | Change::DropView { .. }
        | Change::ReplaceView { .. }
        | Change::CreateTrigger { .. }
        | Change::DropTrigger { .. }
        | Change::ReplaceTrigger { .. }
        | Change::CreateObject { .. }
        | Change::DropObject { .. }
        | Change::AlterTableOptions { .. }
        | Change::AddExclusion { .. }
        | Change::DropExclusion { .. }
        | Change::AttachPartition { .. }
        | Change::DetachPartition { .. }
        | Change::SetComment { .. }
        | Change::SetIndexStorage { .. }
        | Change::RenameAttachedIndex { .. }
        | Change::AlterObject { .. } => None,
    }
}

fn key_groups(changes: &[Change]) -> Vec<Group> {
    let parts: Vec<Option<KeyPart<'_>>> = changes.iter().map(key_part).collect();
    let key_tables = parts.iter().filter_map(|p| match p {
        Some(KeyPart::PrimaryKey { table, .. }) => Some(*table),
        Some(KeyPart::Column { .. }) | None => None,
    });
    let mut groups: Vec<Group> = Vec::new();
    for table in key_tables {
        if groups.iter().any(|g| &g.table == table) {
            continue;
        }
        let key_changes = parts
            .iter()
            .filter(|p| matches!(p, Some(KeyPart::PrimaryKey { table: t, .. }) if *t == table))
            .count();
        let key_columns: Vec<&str> = parts
            .iter()
            .filter_map(|p| match p {
                Some(KeyPart::PrimaryKey { table: t, key }) if *t == table => Some(*key),
                Some(KeyPart::PrimaryKey { .. } | KeyPart::Column { .. }) | None => None,
            })
            .flat_map(|key| key.columns.iter().map(String::as_str))
            .collect();
        let involved = |c: &Column| key_columns.contains(&c.name.as_str()) || c.identity.is_some();
        let mut auto_increment = false;
        let mut members = Vec::new();
        for (i, part) in parts.iter().enumerate() {
            match part {
                Some(KeyPart::PrimaryKey { table: t, .. }) if *t == table => members.push(i),
                Some(KeyPart::Column { table: t, columns }) if *t == table => {
                    let columns: Vec<&Column> = columns.iter().flatten().copied().collect();
                    if columns.iter().any(|c| involved(c)) {
                        members.push(i);
                        auto_increment |= columns.iter().any(|c| c.identity.is_some());
                    }
                }
                Some(KeyPart::PrimaryKey { .. } | KeyPart::Column { .. }) | None => {}
            }
        }
        // A key replaced (dropped and added) goes in one statement too: an AUTO_INCREMENT
        // column the plan does not touch must stay a key throughout. Otherwise separate
        // statements are fine and easier to read.
        if let Some(&at) = members.first()
            && members.len() > 1
            && (auto_increment || key_changes > 1)
        {
            groups.push(Group {
                table: table.clone(),
                members,
                at,
            });
        }
    }
    groups
}

/// The `ALTER TABLE` clause of a change that shares a statement with others.
fn group_clause(change: &Change, enums: &Schema) -> Option<String> {
    Some(match change {
        Change::AddPrimaryKey { key, .. } => format!(
            "ADD PRIMARY KEY ({})",
            key.columns
                .iter()
                .map(|c| quote_mysql_ident(c))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Change::DropPrimaryKey { .. } => "DROP PRIMARY KEY".to_owned(),
        Change::AddColumn { column, .. } => {
            format!("ADD COLUMN {}", column_definition(enums, column))
        }
        Change::DropColumn { column, .. } => {
            format!("DROP COLUMN {}", quote_mysql_ident(&column.name))
        }
        Change::AlterColumn { from, to, .. } => alter_column_clause(enums, from, to),
        Change::DropIndex { index, .. } => format!("DROP INDEX {}", quote_mysql_ident(&index.name)),
        Change::DropUnique { constraint, .. } => {
            format!("DROP INDEX {}", quote_mysql_ident(&constraint.name))
        }
        Change::CreateIndex { table, index } => add_index_clause(enums, table, index),
        Change::AddUnique { table, constraint } => {
            format!(
                "ADD {}",
                unique_clause(enums, &Table::new(&table.name), constraint)
            )
        }
        Change::CreateSchema { .. }
        | Change::DropSchema { .. }
        | Change::CreateEnum { .. }
        | Change::DropEnum { .. }
        | Change::AddEnumValue { .. }
        | Change::RenameEnumValue { .. }
        | Change::RebuildEnum { .. }
        | Change::SetEnumComment { .. }
        | Change::CreateSequence { .. }
        | Change::DropSequence { .. }
        | Change::AlterSequence { .. }
        | Change::CreateTable { .. }
        | Change::DropTable { .. }
        | Change::RenameTable { .. }
        | Change::SetTableComment { .. }
        | Change::RenameColumn { .. }
        | Change::AddCheck { .. }
        | Change::DropCheck { .. }
        | Change::AddForeignKey { .. }
        | Change::DropForeignKey { .. }
        | Change::CreateView { .. }
        | Change::DropView { .. }
        | Change::ReplaceView { .. }
        | Change::CreateTrigger { .. }
        | Change::DropTrigger { .. }
        | Change::ReplaceTrigger { .. }
        | Change::CreateObject { .. }
        | Change::DropObject { .. }
        | Change::AlterTableOptions { .. }
        | Change::AddExclusion { .. }
        | Change::DropExclusion { .. }
        | Change::AttachPartition { .. }
        | Change::DetachPartition { .. }
        | Change::SetComment { .. }
        | Change::SetIndexStorage { .. }
        | Change::RenameAttachedIndex { .. }
        | Change::AlterObject { .. } => return None,
    })
}

/// MySQL has no enum types, only inline `ENUM(..)` columns: the labels of every enum the plan
/// defines, for the columns typed with it.
fn enum_definitions(changes: &[Change]) -> Schema {
    let mut schema = Schema::new(Dialect::MySql);
    let mut define = |name: &QualifiedName, definition: &EnumType| {
        schema
            .namespace_mut(&name.schema)
            .enums
            .insert(name.name.clone(), definition.clone());
    };
    for change in changes {
        match change {
            Change::CreateEnum { name, definition } => define(name, definition),
            Change::AddEnumValue { name, to, .. } | Change::RebuildEnum { name, to, .. } => {
                define(name, to)
            }
            Change::CreateSchema { .. }
            | Change::DropSchema { .. }
            | Change::DropEnum { .. }
            | Change::RenameEnumValue { .. }
            | Change::SetEnumComment { .. }
            | Change::CreateSequence { .. }
            | Change::DropSequence { .. }
            | Change::AlterSequence { .. }
            | Change::CreateTable { .. }
            | Change::DropTable { .. }
            | Change::RenameTable { .. }
            | Change::SetTableComment { .. }
            | Change::AddColumn { .. }
            | Change::DropColumn { .. }
            | Change::RenameColumn { .. }
            | Change::AlterColumn { .. }
            | Change::AddPrimaryKey { .. }
            | Change::DropPrimaryKey { .. }
            | Change::AddUnique { .. }
            | Change::DropUnique { .. }
            | Change::AddCheck { .. }
            | Change::DropCheck { .. }
            | Change::AddForeignKey { .. }
            | Change::DropForeignKey { .. }
            | Change::CreateIndex { .. }
            | Change::DropIndex { .. }
            | Change::CreateView { .. }
            | Change::DropView { .. }
            | Change::ReplaceView { .. }
            | Change::CreateTrigger { .. }
            | Change::DropTrigger { .. }
            | Change::ReplaceTrigger { .. }
            | Change::CreateObject { .. }
            | Change::DropObject { .. }
            | Change::AlterTableOptions { .. }
            | Change::AddExclusion { .. }
            | Change::DropExclusion { .. }
            | Change::AttachPartition { .. }
            | Change::DetachPartition { .. }
            | Change::SetComment { .. }
            | Change::SetIndexStorage { .. }
            | Change::RenameAttachedIndex { .. }
            | Change::AlterObject { .. } => {}
        }
    }
    schema
}

fn ident(name: &str) -> Alias {
    Alias::new(name.to_owned())
}

fn table_ident(name: &QualifiedName) -> sea_query::DynIden {
    ident(&name.name).into_iden()
}

fn alter(table: &QualifiedName, rest: &str) -> String {
    format!("ALTER TABLE {} {rest}", quote_mysql_ident(&table.name))
}

/// An enum's columns after it changed: each is redefined with the new labels inline.
fn modify_enum_columns(
    name: &QualifiedName,
    to: &EnumType,
    columns: &[autogen_diff::EnumColumnUse],
) -> Vec<String> {
    let mut schema = Schema::new(Dialect::MySql);
    schema
        .namespace_mut(&name.schema)
        .enums
        .insert(name.name.clone(), to.clone());
    columns
        .iter()
        .map(|used| {
            alter(
                &used.table,
                &format!("MODIFY COLUMN {}", column_definition(&schema, &used.column)),
            )
        })
        .collect()
}

fn render_change(change: &Change, enums: &Schema) -> Result<Vec<String>, Refusal> {
    Ok(match change {
        // A MySQL database is the one namespace; enums live inline in their columns.
        Change::CreateSchema { name } | Change::DropSchema { name } => {
            if name != Dialect::MySql.default_schema() {
                return Err(format!(
                    "a MySQL database is one namespace (`{}`); schema `{name}` would be another database",
                    Dialect::MySql.default_schema()
                ));
            }
            Vec::new()
        }
        Change::CreateEnum {
            name: _,
            definition: _,
        }
        | Change::DropEnum {
            name: _,
            definition: _,
        }
        | Change::SetEnumComment {
            name: _,
            from: _,
            to: _,
        } => Vec::new(),
        Change::AddEnumValue {
            name,
            value: _,
            position: _,
            from: _,
            to,
            columns,
            dependents: _,
        } => modify_enum_columns(name, to, columns),
        Change::RebuildEnum {
            name,
            from: _,
            to,
            columns,
            dependents: _,
        } => modify_enum_columns(name, to, columns),
        Change::RenameEnumValue {
            name: _,
            from: _,
            to: _,
        } => {
            return Err(
                "MySQL cannot rename an ENUM label in place; change the column's type instead"
                    .to_owned(),
            );
        }
        Change::CreateSequence {
            name: _,
            definition: _,
        }
        | Change::DropSequence {
            name: _,
            definition: _,
        }
        | Change::AlterSequence {
            name: _,
            from: _,
            to: _,
        } => return Err("MySQL has no sequences".to_owned()),

        Change::CreateTable { name, definition } => create(enums, name, definition),
        Change::DropTable {
            name,
            definition: _,
        } => vec![
            SeaTable::drop()
                .table(table_ident(name))
                .to_string(MysqlQueryBuilder),
        ],
        // MySQL has no sequences: there are none to rename.
        Change::RenameTable {
            from,
            to,
            sequences: _,
        } => vec![
            SeaTable::rename()
                .table(table_ident(from), table_ident(to))
                .to_string(MysqlQueryBuilder),
        ],
        Change::SetTableComment { table, from: _, to } => vec![alter(
            table,
            &format!("COMMENT = {}", quote_literal(to.as_deref().unwrap_or(""))),
        )],

        Change::AddColumn { table, column } => vec![alter(
            table,
            &format!("ADD COLUMN {}", column_definition(enums, column)),
        )],
        Change::DropColumn { table, column } => vec![
            SeaTable::alter()
                .table(table_ident(table))
                .drop_column(ident(&column.name))
                .to_string(MysqlQueryBuilder),
        ],
        Change::RenameColumn { table, from, to } => vec![
            SeaTable::alter()
                .table(table_ident(table))
                .rename_column(ident(from), ident(to))
                .to_string(MysqlQueryBuilder),
        ],
        Change::AlterColumn {
            table,
            from,
            to,
            backfill,
        } => alter_column(enums, table, from, to, backfill.as_deref()),

        Change::AddPrimaryKey { table, key } => vec![alter(
            table,
            &format!(
                "ADD PRIMARY KEY ({})",
                key.columns
                    .iter()
                    .map(|c| quote_mysql_ident(c))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        )],
        Change::DropPrimaryKey { table, key: _ } => vec![alter(table, "DROP PRIMARY KEY")],
        Change::AddUnique { table, constraint } => {
            let owner = Table::new(&table.name);
            vec![alter(
                table,
                &format!("ADD {}", unique_clause(enums, &owner, constraint)),
            )]
        }
        Change::DropUnique { table, constraint } => vec![drop_index(table, &constraint.name)],
        Change::AddCheck { table, constraint } => {
            vec![alter(table, &format!("ADD {}", check_clause(constraint)))]
        }
        Change::DropCheck { table, constraint } => vec![alter(
            table,
            &format!("DROP CONSTRAINT {}", quote_mysql_ident(&constraint.name)),
        )],
        Change::AddForeignKey { table, constraint } => vec![alter(
            table,
            &format!("ADD {}", foreign_key_clause(constraint)),
        )],
        Change::DropForeignKey { table, constraint } => vec![
            ForeignKey::drop()
                .name(constraint.name.clone())
                .table(table_ident(table))
                .to_string(MysqlQueryBuilder),
        ],
        Change::CreateIndex { table, index } => vec![create_index(enums, table, index)],
        Change::DropIndex { table, index } => vec![drop_index(table, &index.name)],
        Change::CreateView { .. }
        | Change::DropView { .. }
        | Change::ReplaceView { .. }
        | Change::CreateTrigger { .. }
        | Change::DropTrigger { .. }
        | Change::ReplaceTrigger { .. }
        | Change::CreateObject { .. }
        | Change::DropObject { .. }
        | Change::AlterObject { .. } => {
            return Err(NO_VIEWS_YET.to_owned());
        }
        // Never read from MySQL: PostgreSQL's table facts.
        Change::AlterTableOptions { .. }
        | Change::AddExclusion { .. }
        | Change::DropExclusion { .. }
        | Change::AttachPartition { .. }
        | Change::DetachPartition { .. }
        | Change::SetComment { .. }
        | Change::SetIndexStorage { .. }
        | Change::RenameAttachedIndex { .. } => {
            return Err(
                "PostgreSQL's table options, exclusion constraints, partitions and \
                        comments on indexes and constraints have no MySQL form"
                    .to_owned(),
            );
        }
    })
}

fn drop_index(table: &QualifiedName, name: &str) -> String {
    Index::drop()
        .name(name.to_owned())
        .table(table_ident(table))
        .to_string(MysqlQueryBuilder)
}

/// `CREATE TABLE` and the table's indexes; its foreign keys are steps of their own.
fn create(enums: &Schema, name: &QualifiedName, table: &Table) -> Vec<String> {
    let mut schema = enums.clone();
    schema
        .namespace_mut(&name.schema)
        .tables
        .insert(name.name.clone(), table.clone());
    let mut out = vec![create_table(&schema, name, table)];
    out.extend(
        table
            .indexes
            .values()
            .map(|index| create_index(&schema, name, index)),
    );
    out
}

/// Every column change is one `MODIFY COLUMN` with the whole new definition: MySQL has no
/// per-attribute ALTER for most of them, and restating the definition keeps `AUTO_INCREMENT`,
/// the comment and the collation that a partial restatement would silently drop.
///
/// A column that becomes NOT NULL gets the backfill (an expression reading the row) or the
/// default in its NULL rows first: `MODIFY .. NOT NULL` on rows holding NULL fails (strict
/// mode: "Data truncated").
fn alter_column(
    enums: &Schema,
    table: &QualifiedName,
    from: &Column,
    to: &Column,
    backfill: Option<&str>,
) -> Vec<String> {
    let mut out = Vec::new();
    let value = match backfill {
        Some(sql) => Some(sql),
        None => to.default.as_deref(),
    };
    if autogen_diff::fills_nulls(from, to, backfill)
        && let Some(value) = value
    {
        let column = quote_mysql_ident(&to.name);
        out.push(format!(
            "UPDATE {} SET {column} = {value} WHERE {column} IS NULL",
            quote_mysql_ident(&table.name)
        ));
    }
    out.push(alter(table, &alter_column_clause(enums, from, to)));
    out
}

fn alter_column_clause(enums: &Schema, from: &Column, to: &Column) -> String {
    let only_default = Column {
        default: to.default.clone(),
        ..from.clone()
    } == *to;
    if only_default {
        let column = quote_mysql_ident(&to.name);
        return match &to.default {
            Some(default) => format!("ALTER COLUMN {column} SET DEFAULT {}", wrapped(default)),
            None => format!("ALTER COLUMN {column} DROP DEFAULT"),
        };
    }
    format!("MODIFY COLUMN {}", column_definition(enums, to))
}

/// `ALTER COLUMN .. SET DEFAULT` takes a literal; an expression needs parentheses there.
fn wrapped(default: &str) -> String {
    let literal = default.starts_with('\'')
        || default.parse::<f64>().is_ok()
        || default.eq_ignore_ascii_case("null")
        || default.starts_with('(');
    if literal {
        default.to_owned()
    } else {
        format!("({default})")
    }
}
