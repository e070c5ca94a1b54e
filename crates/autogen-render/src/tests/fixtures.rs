//! Short ways to build the IR values that test cases are made of.

use autogen_schema::{
    CheckConstraint, Column, ColumnType, Deferrable, EnumType, ForeignKey, Generated, Identity,
    IdentityKind, Index, IndexKey, IndexTarget, PrimaryKey, QualifiedName, ReferentialAction,
    Sequence, SequenceOptions, SequenceOwner, Table, UniqueConstraint,
};

pub(crate) fn public(name: &str) -> QualifiedName {
    QualifiedName::new("public", name)
}

/// A PostgreSQL type by any of its spellings; `enum schema.name` for an enum.
pub(crate) fn ty(text: &str) -> ColumnType {
    if let Some(rest) = text.strip_prefix("enum ") {
        let (element, dimensions) = match rest.strip_suffix("[]") {
            Some(element) => (element, 1),
            None => (rest, 0),
        };
        let (schema, name) = element.split_once('.').unwrap_or(("public", element));
        let enum_type = ColumnType::Enum {
            name: QualifiedName::new(schema, name),
        };
        return if dimensions == 0 {
            enum_type
        } else {
            ColumnType::Array {
                element: Box::new(enum_type),
                dimensions,
            }
        };
    }
    ColumnType::parse_postgres(text).unwrap_or(ColumnType::Other {
        name: text.to_owned(),
    })
}

pub(crate) fn col(name: &str, type_text: &str) -> Column {
    Column::new(name, ty(type_text))
}

pub(crate) trait ColumnExt {
    fn not_null(self) -> Self;
    fn default(self, sql: &str) -> Self;
    fn identity(self, kind: IdentityKind) -> Self;
    fn identity_options(self, kind: IdentityKind, options: SequenceOptions) -> Self;
    fn generated(self, expression: &str) -> Self;
    fn collate(self, collation: &str) -> Self;
    fn comment(self, text: &str) -> Self;
}

impl ColumnExt for Column {
    fn not_null(mut self) -> Self {
        self.nullable = false;
        self
    }
    fn default(mut self, sql: &str) -> Self {
        self.default = Some(sql.to_owned());
        self
    }
    fn identity(mut self, kind: IdentityKind) -> Self {
        self.identity = Some(Identity {
            kind,
            sequence: None,
        });
        self.nullable = false;
        self
    }
    fn identity_options(mut self, kind: IdentityKind, options: SequenceOptions) -> Self {
        self.identity = Some(Identity {
            kind,
            sequence: Some(Box::new(options)),
        });
        self.nullable = false;
        self
    }
    fn generated(mut self, expression: &str) -> Self {
        self.generated = Some(Generated {
            expression: expression.to_owned(),
            stored: true,
        });
        self
    }
    fn collate(mut self, collation: &str) -> Self {
        self.collation = Some(collation.to_owned());
        self
    }
    fn comment(mut self, text: &str) -> Self {
        self.comment = Some(text.to_owned());
        self
    }
}

pub(crate) fn table(name: &str, columns: Vec<Column>) -> Table {
    let mut table = Table::new(name);
    table.columns = columns;
    table
}

pub(crate) trait TableExt {
    fn pk(self, name: &str, columns: &[&str]) -> Self;
    fn unique(self, unique: UniqueConstraint) -> Self;
    fn check(self, check: CheckConstraint) -> Self;
    fn index(self, index: Index) -> Self;
    fn comment(self, text: &str) -> Self;
}

impl TableExt for Table {
    fn pk(mut self, name: &str, columns: &[&str]) -> Self {
        self.primary_key = Some(PrimaryKey {
            name: name.to_owned(),
            columns: strings(columns),
        });
        self
    }
    fn unique(mut self, unique: UniqueConstraint) -> Self {
        self.uniques.insert(unique.name.clone(), unique);
        self
    }
    fn check(mut self, check: CheckConstraint) -> Self {
        self.checks.insert(check.name.clone(), check);
        self
    }
    fn index(mut self, index: Index) -> Self {
        self.indexes.insert(index.name.clone(), index);
        self
    }
    fn comment(mut self, text: &str) -> Self {
        self.comment = Some(text.to_owned());
        self
    }
}

pub(crate) fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| (*s).to_owned()).collect()
}

pub(crate) fn enum_type(name: &str, labels: &[&str]) -> EnumType {
    EnumType {
        name: name.to_owned(),
        labels: strings(labels),
        comment: None,
    }
}

pub(crate) fn unique(name: &str, columns: &[&str]) -> UniqueConstraint {
    UniqueConstraint {
        name: name.to_owned(),
        columns: strings(columns),
        nulls_not_distinct: false,
        deferrable: Deferrable::NotDeferrable,
    }
}

pub(crate) fn check(name: &str, expression: &str) -> CheckConstraint {
    CheckConstraint {
        not_valid: false,
        name: name.to_owned(),
        expression: expression.to_owned(),
        no_inherit: false,
    }
}

pub(crate) fn foreign_key(
    name: &str,
    columns: &[&str],
    target: QualifiedName,
    target_columns: &[&str],
) -> ForeignKey {
    ForeignKey {
        not_valid: false,
        name: name.to_owned(),
        columns: strings(columns),
        referenced_table: target,
        referenced_columns: strings(target_columns),
        on_delete: ReferentialAction::NoAction,
        on_update: ReferentialAction::NoAction,
        deferrable: Deferrable::NotDeferrable,
        match_type: Default::default(),
    }
}

/// An index on plain columns; an entry in parentheses is an expression.
pub(crate) fn index(name: &str, keys: &[&str]) -> Index {
    Index {
        invalid: false,
        name: name.to_owned(),
        unique: false,
        keys: keys
            .iter()
            .map(
                |k| match k.strip_prefix('(').and_then(|k| k.strip_suffix(')')) {
                    Some(expression) => IndexKey {
                        target: IndexTarget::Expression(expression.to_owned()),
                        ..IndexKey::column("")
                    },
                    None => IndexKey::column(*k),
                },
            )
            .collect(),
        method: "btree".to_owned(),
        predicate: None,
        include: Vec::new(),
        nulls_not_distinct: false,
    }
}

pub(crate) fn sequence(name: &str, data_type: &str, owner: Option<(&str, &str)>) -> Sequence {
    Sequence {
        name: name.to_owned(),
        options: SequenceOptions::postgres_default(ty(data_type)),
        owned_by: owner.map(|(table, column)| SequenceOwner {
            table: public(table),
            column: column.to_owned(),
        }),
    }
}
