//! Tables, their constraints and indexes.

use autogen_diff::SequenceRename;
use autogen_schema::{
    CheckConstraint, Dialect, ForeignKey, Index, PrimaryKey, QualifiedName, Table,
    UniqueConstraint,
    ddl::{
        check_clause, constraint_lines, create_index, create_table_ddl, foreign_key_clause,
        ident_list, not_valid_checks, postgres::create_partition_to_attach, unique_clause,
    },
    quote_ident, quote_literal,
};

use super::{comment, sea};

/// `CREATE TABLE` (canonical text: identity, generated columns, collations, NULLS NOT DISTINCT,
/// deferrable and NO INHERIT constraints are beyond sea-query), then its indexes and comments.
/// Foreign keys are changes of their own, so that cycles need nothing special.
/// A partition with keys or indexes of its own is created apart and attached after them
/// ([`create_partition_to_attach`]), so that the parent's indexes adopt them.
pub(super) fn create(name: &QualifiedName, table: &Table) -> Vec<String> {
    // A partition that names its indexes attached to its parent's builds those before it is
    // attached and the rest after; any other table builds all of its keys with it.
    let split = (!table.postgres.attached_indexes.is_empty()).then(|| split_adopted(table));
    let (adopted, local) = match &split {
        Some((adopted, local)) => (adopted, Some(local)),
        None => (table, None),
    };
    let apart = create_partition_to_attach(name, table, &constraint_lines(adopted));
    let (mut out, attach, early) = match apart {
        Some((create, attach)) => (create, Some(attach), adopted),
        // Created `PARTITION OF`, it gets the parent's indexes of PostgreSQL's making.
        None => {
            let own = local.unwrap_or(table);
            (
                vec![create_table_ddl(Dialect::Postgres, name, own)],
                None,
                own,
            )
        }
    };
    out.extend(not_valid_checks(name, table));
    out.extend(
        early
            .indexes
            .values()
            .map(|index| create_index(Dialect::Postgres, name, index)),
    );
    if let Some(attach) = attach {
        out.push(attach);
        // Its own keys and indexes that no index of the parent's adopts come once it is
        // attached: before, the parent's would adopt a matching one.
        if let Some(local) = local {
            out.extend(local.primary_key.iter().map(|k| add_primary_key(name, k)));
            out.extend(local.uniques.values().map(|u| add_unique(name, u)));
            out.extend(
                local
                    .indexes
                    .values()
                    .map(|index| create_index(Dialect::Postgres, name, index)),
            );
        }
    }
    if let Some(text) = &table.comment {
        out.push(comment::on_table(name, Some(text)));
    }
    for column in &table.columns {
        if let Some(text) = &column.comment {
            out.push(comment::on_column(name, &column.name, Some(text)));
        }
    }
    out.extend(autogen_schema::ddl::postgres::after_create(name, table));
    out
}

/// A partition's keys and indexes split in two: those attached to its parent's (named in
/// `attached_indexes`), and the rest.
fn split_adopted(table: &Table) -> (Table, Table) {
    let attached = &table.postgres.attached_indexes;
    let adopted = |name: &str| attached.values().any(|n| n == name);
    let mut early = table.clone();
    let mut late = table.clone();
    early.primary_key = early.primary_key.filter(|k| adopted(&k.name));
    late.primary_key = late.primary_key.filter(|k| !adopted(&k.name));
    early.uniques.retain(|n, _| adopted(n));
    late.uniques.retain(|n, _| !adopted(n));
    early.indexes.retain(|n, _| adopted(n));
    late.indexes.retain(|n, _| !adopted(n));
    (early, late)
}

pub(super) fn drop(name: &QualifiedName) -> String {
    sea::drop_table(name)
}

/// A move to another schema is `SET SCHEMA` (raw: not in sea-query), then a rename there; then
/// the sequences renamed with the table.
pub(super) fn rename(
    from: &QualifiedName,
    to: &QualifiedName,
    sequences: &[SequenceRename],
) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = from.clone();
    if from.schema != to.schema {
        out.push(format!(
            "ALTER TABLE {} SET SCHEMA {}",
            from.quoted(),
            quote_ident(&to.schema)
        ));
        current.schema = to.schema.clone();
    }
    if from.name != to.name {
        out.push(sea::rename_table(&current, &to.name));
    }
    out.extend(sequences.iter().map(|s| rename_sequence(to, s)));
    out
}

/// `ALTER SEQUENCE .. RENAME` of a column's sequence, in the table's schema. An identity
/// column's sequence is not in the IR, so its name is checked where the migration runs: it is
/// renamed only if it is the column's sequence under the old name and the new name is free
/// (otherwise it keeps its name, as before). A tagged dollar quote: a name may hold `$$`.
fn rename_sequence(table: &QualifiedName, rename: &SequenceRename) -> String {
    let old = QualifiedName::new(&table.schema, &rename.from).quoted();
    let new = QualifiedName::new(&table.schema, &rename.to).quoted();
    let statement = format!("ALTER SEQUENCE {old} RENAME TO {}", quote_ident(&rename.to));
    if !rename.identity {
        return statement;
    }
    format!(
        "DO $autogen$BEGIN IF pg_get_serial_sequence({}, {})::regclass = to_regclass({}) AND \
         to_regclass({}) IS NULL THEN {statement}; END IF; END$autogen$",
        quote_literal(&table.quoted()),
        quote_literal(&rename.column),
        quote_literal(&old),
        quote_literal(&new)
    )
}

// Adding constraints is raw SQL around autogen-schema's canonical clauses: sea-query cannot
// name a primary key, and has no NULLS NOT DISTINCT, DEFERRABLE, NO INHERIT or MATCH FULL.

pub(super) fn add_primary_key(table: &QualifiedName, key: &PrimaryKey) -> String {
    format!(
        "ALTER TABLE {} ADD CONSTRAINT {} PRIMARY KEY ({})",
        table.quoted(),
        quote_ident(&key.name),
        ident_list(&key.columns)
    )
}

pub(super) fn add_unique(table: &QualifiedName, unique: &UniqueConstraint) -> String {
    format!(
        "ALTER TABLE {} ADD {}",
        table.quoted(),
        unique_clause(unique)
    )
}

pub(super) fn add_check(table: &QualifiedName, check: &CheckConstraint) -> String {
    format!("ALTER TABLE {} ADD {}", table.quoted(), check_clause(check))
}

pub(super) fn add_foreign_key(table: &QualifiedName, fk: &ForeignKey) -> String {
    format!(
        "ALTER TABLE {} ADD {}",
        table.quoted(),
        foreign_key_clause(fk)
    )
}

pub(super) fn drop_constraint(table: &QualifiedName, name: &str) -> String {
    sea::drop_constraint(table, name)
}

/// Raw: sea-query writes the index name without doubling embedded quotes. An index lives in
/// its table's schema.
pub(super) fn drop_index(table: &QualifiedName, index: &Index) -> String {
    format!(
        "DROP INDEX {}",
        QualifiedName::new(&table.schema, &index.name).quoted()
    )
}
