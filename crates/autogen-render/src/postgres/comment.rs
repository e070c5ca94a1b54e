//! `COMMENT ON ..`: raw SQL, sea-query has no comment statements. `None` removes the comment.

use autogen_schema::{QualifiedName, quote_ident, quote_literal};

fn text(comment: Option<&str>) -> String {
    comment.map_or_else(|| "NULL".to_owned(), quote_literal)
}

pub(crate) fn on_table(table: &QualifiedName, comment: Option<&str>) -> String {
    format!("COMMENT ON TABLE {} IS {}", table.quoted(), text(comment))
}

pub(crate) fn on_column(table: &QualifiedName, column: &str, comment: Option<&str>) -> String {
    format!(
        "COMMENT ON COLUMN {}.{} IS {}",
        table.quoted(),
        quote_ident(column),
        text(comment)
    )
}

pub(crate) fn on_type(name: &QualifiedName, comment: Option<&str>) -> String {
    format!("COMMENT ON TYPE {} IS {}", name.quoted(), text(comment))
}
