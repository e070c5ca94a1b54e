//! Errors with a position. Every error of a run is collected, none stops the reading.

use proc_macro2::Span;

use crate::SourceFile;

/// One error in a model file. Lines and columns are 1-based and count characters, not bytes;
/// `end_line`/`end_column` is the position just past the offending token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
    pub message: String,
    pub kind: DiagnosticKind,
}

/// `file:line:column: message`, for one-line output; [`Diagnostic::report`] shows the source.
impl std::fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}",
            self.file, self.line, self.column, self.message
        )
    }
}

/// What went wrong, for callers that react to some errors and not others.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DiagnosticKind {
    /// The file is not Rust that `syn` can read, or an `#[autogen(..)]` is not `key = value`,
    /// `key` and `key(..)` separated by commas.
    Syntax,
    /// A key that `#[autogen(..)]` does not know at that place.
    UnknownKey,
    /// A key given twice for one item.
    DuplicateKey,
    /// A value of the wrong type (a number where a string goes) or outside the allowed ones.
    WrongValue,
    /// Keys that exclude each other (`default` and `default_sql`, `sql_type` and `max_length`).
    ConflictingKeys,
    /// A Rust type the reader cannot map, without `sql_type`.
    UnknownType,
    /// A type name that two `#[derive(autogen::Enum)]` enums share.
    AmbiguousType,
    /// A `sql_type` that is not exactly one data type.
    MalformedSqlType,
    /// A `default_sql`, `check`, `where`, `expr` or `backfill_sql` that is not exactly one SQL
    /// expression (a second statement, a `;`, an unbalanced parenthesis, a comment, nothing).
    MalformedExpression,
    /// An `on_delete`/`on_update` that is not a referential action.
    BadReferentialAction,
    /// A `rename_all` that is not one of serde's case names.
    UnknownRenameAll,
    /// A column named in `primary_key(..)`, `index(..)`, `unique(..)` that the table lacks.
    UnknownColumn,
    /// `references` to a table or column that no model defines.
    DanglingReference,
    /// Two models with one table name.
    DuplicateTable,
    /// Two fields with one column name.
    DuplicateColumn,
    /// Two indexes, constraints or enum types with one name, a table with an enum type's name,
    /// or an enum with a label twice.
    DuplicateName,
    /// A model without a primary key.
    MissingPrimaryKey,
    /// A `renamed_from` whose old and new names both exist.
    RenameConflict,
    /// A name longer than PostgreSQL keeps (63 bytes): the database would truncate it.
    NameTooLong,
    /// An item the reader cannot take as a model (a tuple struct, an enum variant with data).
    UnsupportedItem,
}

/// A position in one of the input files, taken from a span as soon as it is seen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Loc {
    pub file: usize,
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
}

impl Loc {
    pub fn new(file: usize, span: Span) -> Loc {
        let start = span.start();
        let end = span.end();
        Loc {
            file,
            line: start.line.max(1),
            column: start.column + 1,
            end_line: end.line.max(1),
            end_column: end.column + 1,
        }
    }
}

/// Collects diagnostics; `finish` orders them by file, then position, keeping the order in
/// which errors at one position were found.
pub(crate) struct Sink {
    paths: Vec<String>,
    list: Vec<(Loc, Diagnostic)>,
}

impl Sink {
    pub fn new(files: &[SourceFile]) -> Sink {
        Sink {
            paths: files.iter().map(|f| f.path.clone()).collect(),
            list: Vec::new(),
        }
    }

    pub fn error(&mut self, loc: Loc, kind: DiagnosticKind, message: impl Into<String>) {
        let diagnostic = Diagnostic {
            file: self.paths.get(loc.file).cloned().unwrap_or_default(),
            line: loc.line,
            column: loc.column,
            end_line: loc.end_line,
            end_column: loc.end_column,
            message: message.into(),
            kind,
        };
        self.list.push((loc, diagnostic));
    }

    /// `file:line:column` of a place, for messages that point at a second place.
    pub fn describe(&self, loc: Loc) -> String {
        let path = self.paths.get(loc.file).map_or("", String::as_str);
        format!("{path}:{}:{}", loc.line, loc.column)
    }

    /// The place as the public [`crate::Location`].
    pub fn location(&self, loc: Loc) -> crate::Location {
        crate::Location {
            file: self.paths.get(loc.file).cloned().unwrap_or_default(),
            line: loc.line,
            column: loc.column,
        }
    }

    /// Every error a `syn` error carries (a parse can report several).
    pub fn syn_error(&mut self, file: usize, error: syn::Error) {
        for e in error {
            self.error(
                Loc::new(file, e.span()),
                DiagnosticKind::Syntax,
                e.to_string(),
            );
        }
    }

    pub fn finish(mut self) -> Vec<Diagnostic> {
        self.list
            .sort_by_key(|(loc, _)| (loc.file, loc.line, loc.column));
        self.list.into_iter().map(|(_, d)| d).collect()
    }
}
