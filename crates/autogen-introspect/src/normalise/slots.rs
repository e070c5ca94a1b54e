//! The places in a table that hold expression text, named so that the same place can be found
//! in another version of the table.

use std::fmt;

use autogen_schema::{IndexTarget, Table};

/// One expression-holding place of a table.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Slot {
    /// A column's default.
    Default(String),
    /// A generated column's expression.
    Generated(String),
    /// A CHECK constraint, by name.
    Check(String),
    /// An expression key of an index: the index's name and the key's position (0-based).
    IndexKey(String, usize),
    /// A partial index's predicate.
    Predicate(String),
}

impl Slot {
    /// Every slot of `table` that holds an expression, in a fixed order.
    pub fn all(table: &Table) -> Vec<Slot> {
        let mut out = Vec::new();
        for column in &table.columns {
            if column.default.is_some() {
                out.push(Slot::Default(column.name.clone()));
            }
            if column.generated.is_some() {
                out.push(Slot::Generated(column.name.clone()));
            }
        }
        for check in table.checks.values() {
            out.push(Slot::Check(check.name.clone()));
        }
        for index in table.indexes.values() {
            for (position, key) in index.keys.iter().enumerate() {
                match key.target {
                    IndexTarget::Expression(_) => {
                        out.push(Slot::IndexKey(index.name.clone(), position));
                    }
                    IndexTarget::Column(_) => {}
                }
            }
            if index.predicate.is_some() {
                out.push(Slot::Predicate(index.name.clone()));
            }
        }
        out
    }

    /// The expression text at this place in `table`, if it has one there.
    pub fn text<'t>(&self, table: &'t Table) -> Option<&'t str> {
        match self {
            Slot::Default(column) => table.column(column)?.default.as_deref(),
            Slot::Generated(column) => table
                .column(column)?
                .generated
                .as_ref()
                .map(|g| g.expression.as_str()),
            Slot::Check(name) => table.checks.get(name).map(|c| c.expression.as_str()),
            Slot::IndexKey(name, position) => {
                match &table.indexes.get(name)?.keys.get(*position)?.target {
                    IndexTarget::Expression(text) => Some(text),
                    IndexTarget::Column(_) => None,
                }
            }
            Slot::Predicate(name) => table.indexes.get(name)?.predicate.as_deref(),
        }
    }

    /// Puts `text` at this place in `table` (which has the slot).
    pub(crate) fn set(&self, table: &mut Table, text: String) {
        match self {
            Slot::Default(column) => {
                if let Some(c) = table.columns.iter_mut().find(|c| &c.name == column) {
                    c.default = Some(text);
                }
            }
            Slot::Generated(column) => {
                if let Some(g) = table
                    .columns
                    .iter_mut()
                    .find(|c| &c.name == column)
                    .and_then(|c| c.generated.as_mut())
                {
                    g.expression = text;
                }
            }
            Slot::Check(name) => {
                if let Some(c) = table.checks.get_mut(name) {
                    c.expression = text;
                }
            }
            Slot::IndexKey(name, position) => {
                if let Some(key) = table
                    .indexes
                    .get_mut(name)
                    .and_then(|i| i.keys.get_mut(*position))
                {
                    key.target = IndexTarget::Expression(text);
                }
            }
            Slot::Predicate(name) => {
                if let Some(index) = table.indexes.get_mut(name) {
                    index.predicate = Some(text);
                }
            }
        }
    }

    /// Copies the value at this place from `from` (the server's reading) into `to`. An index
    /// key may come back as a plain column (`(name)` is the column `name`).
    pub(crate) fn copy(&self, from: &Table, to: &mut Table) {
        match self {
            Slot::IndexKey(name, position) => {
                let target = from
                    .indexes
                    .get(name)
                    .and_then(|i| i.keys.get(*position))
                    .map(|k| k.target.clone());
                if let (Some(target), Some(key)) = (
                    target,
                    to.indexes
                        .get_mut(name)
                        .and_then(|i| i.keys.get_mut(*position)),
                ) {
                    key.target = target;
                }
            }
            Slot::Default(_) | Slot::Generated(_) | Slot::Check(_) | Slot::Predicate(_) => {
                if let Some(text) = self.text(from) {
                    self.set(to, text.to_owned());
                }
            }
        }
    }

    /// The object, for messages: `the default of column qty`.
    pub fn describe(&self, table: &str) -> String {
        SlotIn { slot: self, table }.to_string()
    }
}

struct SlotIn<'a> {
    slot: &'a Slot,
    table: &'a str,
}

impl fmt::Display for SlotIn<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let table = self.table;
        match self.slot {
            Slot::Default(column) => write!(f, "the default of column `{table}.{column}`"),
            Slot::Generated(column) => {
                write!(f, "the generated expression of column `{table}.{column}`")
            }
            Slot::Check(name) => write!(f, "check `{name}` on table `{table}`"),
            Slot::IndexKey(name, position) => write!(
                f,
                "expression key {} of index `{name}` on table `{table}`",
                position + 1
            ),
            Slot::Predicate(name) => {
                write!(f, "the WHERE clause of index `{name}` on table `{table}`")
            }
        }
    }
}
