//! Standalone sequences. Raw SQL throughout: sea-query has no sequence statements.

use autogen_schema::{
    Dialect, QualifiedName, Sequence, SequenceOptions, SequenceOwner, ddl::create_sequence,
    quote_ident,
};

pub(super) fn create(name: &QualifiedName, definition: &Sequence) -> String {
    create_sequence(name, definition)
}

/// `DROP SEQUENCE`; `if_exists` when the plan already dropped the column that owned it, which
/// took the sequence with it.
pub(super) fn drop(name: &QualifiedName, if_exists: bool) -> String {
    let if_exists = if if_exists { "IF EXISTS " } else { "" };
    format!("DROP SEQUENCE {if_exists}{}", name.quoted())
}

pub(crate) fn owned_by(name: &QualifiedName, owner: Option<&SequenceOwner>) -> String {
    let owner = match owner {
        Some(owner) => format!("{}.{}", owner.table.quoted(), quote_ident(&owner.column)),
        None => "NONE".to_owned(),
    };
    format!("ALTER SEQUENCE {} OWNED BY {owner}", name.quoted())
}

pub(super) fn alter(name: &QualifiedName, from: &Sequence, to: &Sequence) -> Vec<String> {
    let mut out = Vec::new();
    let changes = option_changes(&from.options, &to.options);
    if !changes.is_empty() {
        out.push(format!(
            "ALTER SEQUENCE {} {}",
            name.quoted(),
            changes.join(" ")
        ));
    }
    if from.owned_by != to.owned_by {
        out.push(owned_by(name, to.owned_by.as_ref()));
    }
    out
}

/// The options of `to` that differ from `from`, as `ALTER SEQUENCE` spells them (an identity
/// column puts `SET` before each).
pub(super) fn option_changes(from: &SequenceOptions, to: &SequenceOptions) -> Vec<String> {
    let mut out = Vec::new();
    if from.data_type != to.data_type {
        out.push(format!("AS {}", to.data_type.sql(Dialect::Postgres)));
    }
    if from.increment != to.increment {
        out.push(format!("INCREMENT BY {}", to.increment));
    }
    if from.min_value != to.min_value {
        out.push(format!("MINVALUE {}", to.min_value));
    }
    if from.max_value != to.max_value {
        out.push(format!("MAXVALUE {}", to.max_value));
    }
    if from.start != to.start {
        out.push(format!("START WITH {}", to.start));
    }
    if from.cache != to.cache {
        out.push(format!("CACHE {}", to.cache));
    }
    if from.cycle != to.cycle {
        out.push(if to.cycle { "CYCLE" } else { "NO CYCLE" }.to_owned());
    }
    out
}
