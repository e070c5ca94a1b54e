//! Canonical DDL: one deterministic text that recreates a schema. It is what `autogen inspect
//! --format sql` prints and what reports diff table by table; migrations are rendered elsewhere.

use crate::{
    CheckConstraint, Column, Dialect, EnumType, ForeignKey, IdentityKind, Index, IndexKey,
    IndexTarget, MatchType, QualifiedName, Schema, Sequence, SequenceOptions, Table,
    UniqueConstraint, quote_ident, quote_literal,
};

pub mod mysql;
pub mod postgres;
pub mod sqlite;

/// One statement of a canonical script, without the trailing `;`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DdlStatement {
    pub sql: String,
}

/// The statements that recreate `schema` on an empty database, in an order that respects every
/// dependency: namespaces, enum types, sequences, tables, sequence ownership, indexes, foreign
/// keys (after every table, so cycles need nothing special), comments.
pub fn canonical_ddl(schema: &Schema) -> Vec<DdlStatement> {
    let dialect = schema.dialect;
    match dialect {
        Dialect::MySql => return mysql::canonical_ddl(schema),
        Dialect::Sqlite => return sqlite::canonical_ddl(schema),
        Dialect::Postgres => {}
    }
    let mut out = Vec::new();
    let mut push = |sql: String| out.push(DdlStatement { sql });
    if dialect == Dialect::Postgres {
        for name in schema.schemas.keys() {
            push(format!("CREATE SCHEMA IF NOT EXISTS {}", quote_ident(name)));
        }
        for (name, e) in schema.enums() {
            push(create_enum(&name, e));
            if let Some(comment) = &e.comment {
                push(format!(
                    "COMMENT ON TYPE {} IS {}",
                    name.quoted(),
                    quote_literal(comment)
                ));
            }
        }
        for (name, sequence) in schema.sequences() {
            push(create_sequence(&name, sequence));
        }
    }
    // Partitions after their parents.
    let mut tables: Vec<(QualifiedName, &Table)> = schema.tables().collect();
    tables.sort_by_key(|(_, t)| postgres::partition_depth(schema, t));
    for (name, table) in &tables {
        push(create_table_ddl(dialect, name, table));
    }
    for (name, sequence) in schema.sequences() {
        if let Some(owner) = &sequence.owned_by {
            push(format!(
                "ALTER SEQUENCE {} OWNED BY {}.{}",
                name.quoted(),
                owner.table.quoted(),
                quote_ident(&owner.column)
            ));
        }
    }
    for (name, table) in schema.tables() {
        for index in table.indexes.values() {
            push(create_index(dialect, &name, index));
        }
    }
    // A check left NOT VALID is added after its table: PostgreSQL validates every check
    // written inside CREATE TABLE.
    for (name, table) in schema.tables() {
        for sql in not_valid_checks(&name, table) {
            push(sql);
        }
    }
    for (name, table) in schema.tables() {
        for fk in table.foreign_keys.values() {
            push(format!(
                "ALTER TABLE {} ADD {}",
                name.quoted(),
                foreign_key_clause(fk)
            ));
        }
    }
    for (name, table) in schema.tables() {
        for sql in comments(&name, table) {
            push(sql);
        }
    }
    for (name, table) in schema.tables() {
        for sql in postgres::after_create(&name, table) {
            push(sql);
        }
    }
    for (schema_name, ns) in &schema.schemas {
        for (sequence, text) in &ns.sequence_comments {
            let target = crate::CommentTarget::Sequence {
                name: QualifiedName::new(schema_name, sequence),
            };
            push(postgres::comment(&target, Some(text)));
        }
    }
    out
}

/// The whole canonical script as text, one statement per paragraph.
pub fn canonical_ddl_text(schema: &Schema) -> String {
    // Statements separated by a blank line, written once into one buffer of the right size:
    // at thousands of tables the text is megabytes, and each copy of it shows in `inspect`.
    let statements = canonical_ddl(schema);
    let size = statements.iter().map(|s| s.sql.len() + 3).sum();
    let mut text = String::with_capacity(size);
    for (i, statement) in statements.iter().enumerate() {
        if i > 0 {
            text.push('\n');
        }
        text.push_str(&statement.sql);
        text.push_str(";\n");
    }
    text
}

/// `CREATE TABLE` with columns, primary key, unique and check constraints inline.
pub fn create_table_ddl(dialect: Dialect, name: &QualifiedName, table: &Table) -> String {
    if dialect == Dialect::Sqlite {
        return sqlite::create_table(name, table);
    }
    let partition = dialect == Dialect::Postgres && table.postgres.partition_of.is_some();
    let mut lines: Vec<String> = if partition {
        Vec::new()
    } else {
        table
            .columns
            .iter()
            .map(|c| column_definition(dialect, c))
            .collect()
    };
    lines.extend(constraint_lines(table));
    if dialect == Dialect::Postgres
        && let Some(sql) = postgres::create_partition(name, table, &lines)
    {
        return sql;
    }
    let body = lines
        .iter()
        .map(|l| format!("    {l}"))
        .collect::<Vec<_>>()
        .join(",\n");
    match dialect {
        Dialect::Postgres => format!(
            "CREATE {}TABLE {} (\n{}\n){}",
            postgres::unlogged(&table.postgres.options),
            table_name(dialect, name),
            body,
            postgres::table_suffix(table)
        ),
        Dialect::MySql | Dialect::Sqlite => {
            format!("CREATE TABLE {} (\n{}\n)", table_name(dialect, name), body)
        }
    }
}

/// The primary key, unique and (valid) check constraints written inside `CREATE TABLE`.
pub fn constraint_lines(table: &Table) -> Vec<String> {
    let mut lines = Vec::new();
    if let Some(pk) = &table.primary_key {
        lines.push(format!(
            "CONSTRAINT {} PRIMARY KEY ({})",
            quote_ident(&pk.name),
            ident_list(&pk.columns)
        ));
    }
    for unique in table.uniques.values() {
        lines.push(unique_clause(unique));
    }
    // A NOT VALID check is added after the table ([`not_valid_checks`]): inside CREATE TABLE,
    // PostgreSQL would validate it.
    for check in table.checks.values().filter(|c| !c.not_valid) {
        lines.push(check_clause(check));
    }
    lines
}

fn table_name(dialect: Dialect, name: &QualifiedName) -> String {
    match dialect {
        Dialect::Postgres => name.quoted(),
        Dialect::MySql | Dialect::Sqlite => quote_ident(&name.name),
    }
}

pub fn column_definition(dialect: Dialect, column: &Column) -> String {
    let mut out = format!("{} {}", quote_ident(&column.name), column.ty.sql(dialect));
    if let Some(collation) = &column.collation {
        out.push_str(&format!(" COLLATE {}", quote_ident(collation)));
    }
    if let Some(generated) = &column.generated {
        let storage = if generated.stored { " STORED" } else { "" };
        out.push_str(&format!(
            " GENERATED ALWAYS AS ({}){storage}",
            generated.expression
        ));
    }
    if let Some(identity) = &column.identity {
        let options = identity
            .sequence
            .as_ref()
            .map(|o| sequence_options(o, &column.ty))
            .filter(|o| !o.is_empty())
            .map(|o| format!(" ({o})"))
            .unwrap_or_default();
        match identity.kind {
            IdentityKind::Always => {
                out.push_str(&format!(" GENERATED ALWAYS AS IDENTITY{options}"))
            }
            IdentityKind::ByDefault => {
                out.push_str(&format!(" GENERATED BY DEFAULT AS IDENTITY{options}"))
            }
            IdentityKind::AutoIncrement => match dialect {
                Dialect::MySql => out.push_str(" AUTO_INCREMENT"),
                // SQLite's rowid alias comes from `INTEGER PRIMARY KEY`; Postgres has no such kind.
                Dialect::Sqlite | Dialect::Postgres => {}
            },
        }
    }
    if let Some(default) = &column.default {
        match dialect {
            Dialect::Sqlite if !sqlite_plain_default(default) => {
                out.push_str(&format!(" DEFAULT ({})", strip_outer_parens(default)))
            }
            Dialect::Sqlite | Dialect::Postgres | Dialect::MySql => {
                out.push_str(&format!(" DEFAULT {default}"))
            }
        }
    }
    if !column.nullable {
        out.push_str(" NOT NULL");
    }
    out
}

/// Whether SQLite takes `default` after `DEFAULT` as it is: a string, blob or (signed) number
/// literal, `NULL`, `TRUE`/`FALSE` or `CURRENT_TIME`/`_DATE`/`_TIMESTAMP`. Any other
/// expression must be in parentheses (`DEFAULT (lower(hex(randomblob(16))))`); SQLite reads
/// it back without them (`pragma_table_info`), which is how the IR holds it.
pub fn sqlite_plain_default(default: &str) -> bool {
    let text = default.trim();
    let keyword = [
        "NULL",
        "TRUE",
        "FALSE",
        "CURRENT_TIME",
        "CURRENT_DATE",
        "CURRENT_TIMESTAMP",
    ]
    .iter()
    .any(|k| text.eq_ignore_ascii_case(k));
    let unsigned = text.strip_prefix(['-', '+']).unwrap_or(text);
    let number = match unsigned
        .strip_prefix("0x")
        .or_else(|| unsigned.strip_prefix("0X"))
    {
        Some(hex) => !hex.is_empty() && hex.chars().all(|c| c.is_ascii_hexdigit()),
        None => {
            unsigned.starts_with(|c: char| c.is_ascii_digit() || c == '.')
                && unsigned.parse::<f64>().is_ok()
        }
    };
    let blob = text.len() >= 3
        && matches!(text.as_bytes()[0], b'x' | b'X')
        && one_string_literal(&text[1..]);
    keyword || number || blob || one_string_literal(text)
}

/// `'..'` with every quote inside doubled: one SQL string literal, nothing after it.
fn one_string_literal(text: &str) -> bool {
    let Some(inner) = text.strip_prefix('\'').and_then(|t| t.strip_suffix('\'')) else {
        return false;
    };
    inner.replace("''", "").find('\'').is_none()
}

pub fn unique_clause(unique: &UniqueConstraint) -> String {
    let nulls = if unique.nulls_not_distinct {
        " NULLS NOT DISTINCT"
    } else {
        ""
    };
    format!(
        "CONSTRAINT {} UNIQUE{nulls} ({}){}",
        quote_ident(&unique.name),
        ident_list(&unique.columns),
        unique.deferrable.sql()
    )
}

pub fn check_clause(check: &CheckConstraint) -> String {
    let no_inherit = if check.no_inherit { " NO INHERIT" } else { "" };
    let not_valid = if check.not_valid { " NOT VALID" } else { "" };
    format!(
        "CONSTRAINT {} CHECK ({}){no_inherit}{not_valid}",
        quote_ident(&check.name),
        strip_outer_parens(&check.expression)
    )
}

/// `ALTER TABLE .. ADD` of each check of `table` left NOT VALID, which CREATE TABLE cannot
/// carry (PostgreSQL validates the checks written there).
pub fn not_valid_checks(name: &QualifiedName, table: &Table) -> Vec<String> {
    table
        .checks
        .values()
        .filter(|c| c.not_valid)
        .map(|c| format!("ALTER TABLE {} ADD {}", name.quoted(), check_clause(c)))
        .collect()
}

pub fn foreign_key_clause(fk: &ForeignKey) -> String {
    let mut out = format!(
        "CONSTRAINT {} FOREIGN KEY ({}) REFERENCES {} ({})",
        quote_ident(&fk.name),
        ident_list(&fk.columns),
        fk.referenced_table.quoted(),
        ident_list(&fk.referenced_columns)
    );
    match fk.match_type {
        MatchType::Simple => {}
        MatchType::Full => out.push_str(" MATCH FULL"),
        MatchType::Partial => out.push_str(" MATCH PARTIAL"),
    }
    if !fk.on_update.is_no_action() {
        out.push_str(&format!(" ON UPDATE {}", fk.on_update.sql()));
    }
    if !fk.on_delete.is_no_action() {
        out.push_str(&format!(" ON DELETE {}", fk.on_delete.sql()));
    }
    out.push_str(fk.deferrable.sql());
    if fk.not_valid {
        out.push_str(" NOT VALID");
    }
    out
}

pub fn create_index(dialect: Dialect, table: &QualifiedName, index: &Index) -> String {
    let unique = if index.unique { "UNIQUE " } else { "" };
    let method = match dialect {
        Dialect::Postgres if index.method != "btree" => format!(" USING {}", index.method),
        Dialect::Postgres | Dialect::MySql | Dialect::Sqlite => String::new(),
    };
    let keys = index
        .keys
        .iter()
        .map(index_key)
        .collect::<Vec<_>>()
        .join(", ");
    // An index PostgreSQL marks invalid on a partitioned table is one built `ON ONLY` the
    // parent that not every partition's index is attached to yet: built so again. (On a plain
    // table `ONLY` changes nothing: the index is built valid.)
    let only = match dialect {
        Dialect::Postgres if index.invalid => "ONLY ",
        Dialect::Postgres | Dialect::MySql | Dialect::Sqlite => "",
    };
    let mut out = format!(
        "CREATE {unique}INDEX {} ON {only}{}{method} ({keys})",
        quote_ident(&index.name),
        table_name(dialect, table)
    );
    if !index.include.is_empty() {
        out.push_str(&format!(" INCLUDE ({})", ident_list(&index.include)));
    }
    if index.nulls_not_distinct {
        out.push_str(" NULLS NOT DISTINCT");
    }
    if let Some(predicate) = &index.predicate {
        out.push_str(&format!(" WHERE {predicate}"));
    }
    out
}

fn index_key(key: &IndexKey) -> String {
    let mut out = match &key.target {
        IndexTarget::Column(name) => quote_ident(name),
        IndexTarget::Expression(expr) => format!("({})", strip_outer_parens(expr)),
    };
    if let Some(collation) = &key.collation {
        out.push_str(&format!(" COLLATE {}", quote_ident(collation)));
    }
    if let Some(opclass) = &key.opclass {
        out.push_str(&format!(" {opclass}"));
    }
    if key.descending {
        out.push_str(" DESC");
    }
    match (key.nulls_first, key.descending) {
        (Some(true), false) => out.push_str(" NULLS FIRST"),
        (Some(false), true) => out.push_str(" NULLS LAST"),
        (Some(_) | None, _) => {}
    }
    out
}

pub fn create_enum(name: &QualifiedName, e: &EnumType) -> String {
    let labels = e
        .labels
        .iter()
        .map(|l| quote_literal(l))
        .collect::<Vec<_>>()
        .join(", ");
    format!("CREATE TYPE {} AS ENUM ({labels})", name.quoted())
}

pub fn create_sequence(name: &QualifiedName, sequence: &Sequence) -> String {
    let o = &sequence.options;
    format!(
        "CREATE SEQUENCE {} AS {} INCREMENT BY {} MINVALUE {} MAXVALUE {} START WITH {} CACHE {}{}",
        name.quoted(),
        o.data_type.sql(Dialect::Postgres),
        o.increment,
        o.min_value,
        o.max_value,
        o.start,
        o.cache,
        if o.cycle { " CYCLE" } else { " NO CYCLE" }
    )
}

/// The options of an identity's sequence that differ from PostgreSQL's defaults for its type.
fn sequence_options(options: &SequenceOptions, column_type: &crate::ColumnType) -> String {
    let defaults = SequenceOptions::postgres_default(column_type.clone());
    let mut parts = Vec::new();
    if options.increment != defaults.increment {
        parts.push(format!("INCREMENT BY {}", options.increment));
    }
    if options.min_value != defaults.min_value {
        parts.push(format!("MINVALUE {}", options.min_value));
    }
    if options.max_value != defaults.max_value {
        parts.push(format!("MAXVALUE {}", options.max_value));
    }
    if options.start != defaults.start {
        parts.push(format!("START WITH {}", options.start));
    }
    if options.cache != defaults.cache {
        parts.push(format!("CACHE {}", options.cache));
    }
    if options.cycle {
        parts.push("CYCLE".to_owned());
    }
    parts.join(" ")
}

fn comments(name: &QualifiedName, table: &Table) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(comment) = &table.comment {
        out.push(format!(
            "COMMENT ON TABLE {} IS {}",
            name.quoted(),
            quote_literal(comment)
        ));
    }
    for column in &table.columns {
        if let Some(comment) = &column.comment {
            out.push(format!(
                "COMMENT ON COLUMN {}.{} IS {}",
                name.quoted(),
                quote_ident(&column.name),
                quote_literal(comment)
            ));
        }
    }
    out
}

pub fn ident_list(names: &[String]) -> String {
    names
        .iter()
        .map(|n| quote_ident(n))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `(a > 1)` -> `a > 1`, but `(a) OR (b)` stays whole: only parens that wrap everything go.
pub fn strip_outer_parens(expr: &str) -> &str {
    let trimmed = expr.trim();
    if !(trimmed.starts_with('(') && trimmed.ends_with(')')) {
        return trimmed;
    }
    let mut depth = 0usize;
    let mut in_string = false;
    let mut in_ident = false;
    for (i, ch) in trimmed.char_indices() {
        match ch {
            '\'' if !in_ident => in_string = !in_string,
            '"' if !in_string => in_ident = !in_ident,
            '(' if !in_string && !in_ident => depth += 1,
            ')' if !in_string && !in_ident => {
                depth -= 1;
                if depth == 0 && i != trimmed.len() - 1 {
                    return trimmed;
                }
            }
            _ => {}
        }
    }
    strip_outer_parens(&trimmed[1..trimmed.len() - 1])
}

#[cfg(test)]
mod tests {
    use super::{sqlite_plain_default, strip_outer_parens};

    #[test]
    fn sqlite_takes_literals_plain_and_expressions_in_parentheses() {
        let plain = [
            "'x'",
            "'it''s'",
            "0",
            "-1",
            "+2.5",
            "1e10",
            "0x1F",
            "NULL",
            "true",
            "CURRENT_TIMESTAMP",
            "X'00ff'",
        ];
        let wrapped = [
            "lower(hex(randomblob(16)))",
            "strftime('%Y', 'now')",
            "1+2",
            "'a' || 'b'",
            "'a' 'b'",
            "-x",
            "(1)",
            "",
        ];
        for text in plain {
            assert!(sqlite_plain_default(text), "{text} is a literal");
        }
        for text in wrapped {
            assert!(!sqlite_plain_default(text), "{text} needs parentheses");
        }
    }

    #[test]
    fn only_parens_wrapping_the_whole_expression_are_stripped() {
        assert_eq!(strip_outer_parens("((a > 1))"), "a > 1");
        assert_eq!(
            strip_outer_parens("(a > 1) OR (b < 2)"),
            "(a > 1) OR (b < 2)"
        );
        assert_eq!(strip_outer_parens("(x = ')(')"), "x = ')('");
        assert_eq!(strip_outer_parens("lower(email)"), "lower(email)");
        assert_eq!(strip_outer_parens(r#"("a)" > 1)"#), r#""a)" > 1"#);
    }
}
