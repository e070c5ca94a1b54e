//! The statements sea-query expresses, built with it. Identifiers always go in as owned strings:
//! sea-query doubles embedded quotes only in owned identifiers.

use autogen_schema::QualifiedName;
use sea_query::{
    Alias, ColumnDef, Expr, IntoIden, PostgresQueryBuilder, SchemaName, Table, TableAlterStatement,
    TableName,
};

fn ident(name: &str) -> Alias {
    Alias::new(name.to_owned())
}

fn table(name: &QualifiedName) -> TableName {
    TableName(
        Some(SchemaName(None, ident(&name.schema).into_iden())),
        ident(&name.name).into_iden(),
    )
}

/// `ALTER TABLE` with exactly one option (sea-query panics on none, and one statement per
/// option keeps each step readable).
fn alter(name: &QualifiedName, option: impl FnOnce(&mut TableAlterStatement)) -> String {
    let mut statement = Table::alter();
    statement.table(table(name));
    option(&mut statement);
    statement.to_string(PostgresQueryBuilder)
}

pub(super) fn drop_table(name: &QualifiedName) -> String {
    Table::drop()
        .table(table(name))
        .to_string(PostgresQueryBuilder)
}

/// `ALTER TABLE s.a RENAME TO b`: PostgreSQL takes a bare new name (the schema stays).
pub(super) fn rename_table(from: &QualifiedName, to: &str) -> String {
    Table::rename()
        .table(table(from), ident(to))
        .to_string(PostgresQueryBuilder)
}

pub(super) fn drop_column(name: &QualifiedName, column: &str) -> String {
    alter(name, |a| {
        a.drop_column(ident(column));
    })
}

pub(super) fn rename_column(name: &QualifiedName, from: &str, to: &str) -> String {
    alter(name, |a| {
        a.rename_column(ident(from), ident(to));
    })
}

pub(super) fn set_nullable(name: &QualifiedName, column: &str, nullable: bool) -> String {
    alter(name, |a| {
        let mut def = ColumnDef::new(ident(column));
        if nullable {
            def.null();
        } else {
            def.not_null();
        }
        a.modify_column(def);
    })
}

/// `SET DEFAULT expr`, the expression verbatim as the database prints it.
pub(super) fn set_default(name: &QualifiedName, column: &str, default: &str) -> String {
    alter(name, |a| {
        a.modify_column(
            ColumnDef::new(ident(column))
                .default(Expr::cust(default.to_owned()))
                .to_owned(),
        );
    })
}

pub(super) fn drop_constraint(name: &QualifiedName, constraint: &str) -> String {
    alter(name, |a| {
        a.drop_constraint(ident(constraint));
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// sea-query must neither treat `?` or `$1` in a default as placeholders nor leave a quote
    /// in an identifier undoubled.
    #[test]
    fn defaults_are_verbatim_and_identifiers_quoted() {
        let table = QualifiedName::new(r#"s "1""#, r#"t "2""#);
        insta::assert_snapshot!(
            [
                set_default(&table, r#"c "3""#, "'$1 ? ''x'''::text"),
                rename_column(&table, r#"c "3""#, "select"),
                drop_constraint(&table, r#"k "4""#),
                rename_table(&table, r#"u "5""#),
                drop_table(&table),
            ]
            .join("\n"),
            @r#"
        ALTER TABLE "s ""1"""."t ""2""" ALTER COLUMN "c ""3""" SET DEFAULT '$1 ? ''x'''::text
        ALTER TABLE "s ""1"""."t ""2""" RENAME COLUMN "c ""3""" TO "select"
        ALTER TABLE "s ""1"""."t ""2""" DROP CONSTRAINT "k ""4"""
        ALTER TABLE "s ""1"""."t ""2""" RENAME TO "u ""5"""
        DROP TABLE "s ""1"""."t ""2"""
        "#
        );
    }
}
