//! PostgreSQL's table facts beyond columns and keys (`Table::postgres`): options set in
//! place, exclusion constraints, partitions attached and detached, comments on indexes,
//! constraints and sequences, index storage options. Each change finds what it carries as
//! the old side, or refuses.

use autogen_schema::{
    CommentTarget, Exclusion, PartitionOf, PostgresTableOptions, QualifiedName, Schema,
};

use super::{ApplyError, constraints, expect_eq, fail, namespace, table_mut};

pub(super) fn alter_options(
    schema: &mut Schema,
    table: &QualifiedName,
    from: &PostgresTableOptions,
    to: &PostgresTableOptions,
) -> Result<(), ApplyError> {
    let current = table_mut(schema, table)?;
    expect_eq(
        &current.postgres.options,
        from,
        &format!("options of table {table}"),
    )?;
    current.postgres.options = to.clone();
    Ok(())
}

pub(super) fn add_exclusion(
    schema: &mut Schema,
    table: &QualifiedName,
    constraint: &Exclusion,
) -> Result<(), ApplyError> {
    let current = table_mut(schema, table)?;
    constraints::insert_new(
        &mut current.postgres.exclusions,
        constraint,
        "constraint",
        table,
    )
}

pub(super) fn drop_exclusion(
    schema: &mut Schema,
    table: &QualifiedName,
    constraint: &Exclusion,
) -> Result<(), ApplyError> {
    let current = table_mut(schema, table)?;
    constraints::remove_expected(
        &mut current.postgres.exclusions,
        constraint,
        "constraint",
        table,
    )?;
    current
        .postgres
        .constraint_comments
        .remove(&constraint.name);
    Ok(())
}

pub(super) fn attach(
    schema: &mut Schema,
    table: &QualifiedName,
    partition: &PartitionOf,
) -> Result<(), ApplyError> {
    let parent = schema.table(&partition.parent);
    if parent.is_none_or(|p| p.postgres.partition_by.is_none()) {
        return fail(format!(
            "{} is not a partitioned table to attach {table} to",
            partition.parent
        ));
    }
    let current = table_mut(schema, table)?;
    expect_eq(
        &current.postgres.partition_of,
        &None,
        &format!("partition of table {table}"),
    )?;
    current.postgres.partition_of = Some(partition.clone());
    Ok(())
}

pub(super) fn detach(
    schema: &mut Schema,
    table: &QualifiedName,
    partition: &PartitionOf,
) -> Result<(), ApplyError> {
    let current = table_mut(schema, table)?;
    expect_eq(
        current.postgres.partition_of.as_ref(),
        Some(partition),
        &format!("partition of table {table}"),
    )?;
    current.postgres.partition_of = None;
    Ok(())
}

pub(super) fn set_comment(
    schema: &mut Schema,
    target: &CommentTarget,
    from: &Option<String>,
    to: &Option<String>,
) -> Result<(), ApplyError> {
    let (comments, what) = match target {
        CommentTarget::Index { table, name } => {
            let current = table_mut(schema, table)?;
            if !current.has_index_named(name) {
                return fail(format!("index {name} does not exist on {table}"));
            }
            (
                &mut current.postgres.index_comments,
                format!("comment of index {name}"),
            )
        }
        CommentTarget::Constraint { table, name } => {
            let current = table_mut(schema, table)?;
            let exists = current
                .primary_key
                .as_ref()
                .is_some_and(|k| &k.name == name)
                || current.uniques.contains_key(name)
                || current.checks.contains_key(name)
                || current.foreign_keys.contains_key(name)
                || current.postgres.exclusions.contains_key(name);
            if !exists {
                return fail(format!("constraint {name} does not exist on {table}"));
            }
            (
                &mut current.postgres.constraint_comments,
                format!("comment of constraint {name} on {table}"),
            )
        }
        CommentTarget::Sequence { name } => {
            let ns = namespace(schema, &name.schema)?;
            if !ns.sequences.contains_key(&name.name) {
                return fail(format!("sequence {name} does not exist"));
            }
            let key = name.name.clone();
            expect_eq(
                ns.sequence_comments.get(&key),
                from.as_ref(),
                &format!("comment of sequence {name}"),
            )?;
            match to {
                Some(text) => ns.sequence_comments.insert(key, text.clone()),
                None => ns.sequence_comments.remove(&key),
            };
            return Ok(());
        }
    };
    let key = match target {
        CommentTarget::Index { name, .. } | CommentTarget::Constraint { name, .. } => name.clone(),
        CommentTarget::Sequence { name } => name.name.clone(),
    };
    expect_eq(comments.get(&key), from.as_ref(), &what)?;
    match to {
        Some(text) => comments.insert(key, text.clone()),
        None => comments.remove(&key),
    };
    Ok(())
}

pub(super) fn set_index_storage(
    schema: &mut Schema,
    table: &QualifiedName,
    index: &str,
    from: &[String],
    to: &[String],
) -> Result<(), ApplyError> {
    let current = table_mut(schema, table)?;
    if !current.has_index_named(index) {
        return fail(format!("index {index} does not exist on {table}"));
    }
    let storage = &mut current.postgres.index_storage;
    expect_eq(
        storage.get(index).map(Vec::as_slice).unwrap_or_default(),
        from,
        &format!("storage options of index {index}"),
    )?;
    if to.is_empty() {
        storage.remove(index);
    } else {
        storage.insert(index.to_owned(), to.to_vec());
    }
    Ok(())
}

/// A partition's index attached to `parent_index` renamed. The simulator does not build the
/// indexes PostgreSQL builds on partitions with a parent's, so the name is set whether or not
/// it held the old one.
pub(super) fn rename_attached_index(
    schema: &mut Schema,
    table: &QualifiedName,
    parent_index: &QualifiedName,
    to: &str,
) -> Result<(), ApplyError> {
    let current = table_mut(schema, table)?;
    current
        .postgres
        .attached_indexes
        .insert(parent_index.name.clone(), to.to_owned());
    Ok(())
}

/// The partitions of `table`, and theirs, in name order: what a column change on a
/// partitioned table reaches (PostgreSQL changes the partitions with it).
pub(super) fn partitions_of(schema: &Schema, table: &QualifiedName) -> Vec<QualifiedName> {
    let mut out = Vec::new();
    let mut parents = vec![table.clone()];
    while let Some(parent) = parents.pop() {
        for (name, t) in schema.tables() {
            if t.postgres
                .partition_of
                .as_ref()
                .is_some_and(|p| p.parent == parent)
            {
                out.push(name.clone());
                parents.push(name);
            }
        }
    }
    out
}
