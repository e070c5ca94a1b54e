//! What an object refers to: the enum behind a column type, the sequences a default calls, the
//! keys a table offers to foreign keys. Shared by the differ, the ordering and the simulator so
//! that all three agree on every dependency.

use autogen_schema::{Column, Index, IndexTarget, QualifiedName, Table};

use crate::EnumDependent;

/// Whether `column` is typed with enum `name` or an array of it.
pub fn uses_enum(column: &Column, name: &QualifiedName) -> bool {
    column.ty.enum_name() == Some(name)
}

/// Whether a default expression calls `nextval` on `sequence`. Defaults are text as the
/// database prints them (`nextval('app.s'::regclass)`); rather than parse SQL, this looks for
/// the spellings PostgreSQL uses for that one sequence. An unqualified name counts when the
/// sequence lives in the column's own schema or in `public` (the usual search path).
pub fn default_uses_sequence(default: &str, sequence: &QualifiedName, column_schema: &str) -> bool {
    if !default.contains("nextval(") {
        return false;
    }
    let names = [sequence.name.clone(), quoted(&sequence.name)];
    let schemas = [sequence.schema.clone(), quoted(&sequence.schema)];
    let mut spellings = Vec::new();
    for schema in &schemas {
        for name in &names {
            spellings.push(format!("{schema}.{name}"));
        }
    }
    if sequence.schema == column_schema || sequence.schema == "public" {
        spellings.extend(names.iter().cloned());
    }
    spellings.iter().any(|spelling| {
        let literal = format!("'{}'", spelling.replace('\'', "''"));
        default.contains(&format!("{literal}::regclass"))
            || default.contains(&format!("{literal})"))
    })
}

fn quoted(ident: &str) -> String {
    format!("\"{}\"", ident.replace('"', "\"\""))
}

/// The sequences (among `known`) that a column's default calls.
pub fn sequences_used<'a>(
    column: &Column,
    column_schema: &str,
    known: &'a [QualifiedName],
) -> Vec<&'a QualifiedName> {
    let Some(default) = &column.default else {
        return Vec::new();
    };
    known
        .iter()
        .filter(|s| default_uses_sequence(default, s, column_schema))
        .collect()
}

/// The name PostgreSQL gives the sequence behind a `serial` or identity column of `table`
/// when it is free: `<table>_<column>_seq`, the longer part cut until the whole fits in 63
/// bytes (`makeObjectName`). When the name is taken PostgreSQL appends a number instead, so
/// the ordering makes a sequence of that name go before an identity comes and after one goes.
pub fn implicit_sequence_name(table: &str, column: &str) -> String {
    autogen_schema::naming::implicit_sequence_name(table, column)
}

/// A referenceable key: the sorted column set a foreign key can point at.
pub fn key_of(columns: &[String]) -> Vec<String> {
    let mut key = columns.to_vec();
    key.sort();
    key.dedup();
    key
}

/// The key a unique index offers to foreign keys: plain columns only, no predicate.
pub fn index_key(index: &Index) -> Option<Vec<String>> {
    if !index.unique || index.predicate.is_some() {
        return None;
    }
    let columns = index
        .keys
        .iter()
        .map(|k| match &k.target {
            IndexTarget::Column(c) => Some(c.clone()),
            IndexTarget::Expression(_) => None,
        })
        .collect::<Option<Vec<_>>>()?;
    Some(key_of(&columns))
}

/// Every key `table` offers: primary key, unique constraints, plain unique indexes.
pub fn table_keys(table: &Table) -> Vec<Vec<String>> {
    let mut keys = Vec::new();
    if let Some(pk) = &table.primary_key {
        keys.push(key_of(&pk.columns));
    }
    keys.extend(table.uniques.values().map(|u| key_of(&u.columns)));
    keys.extend(table.indexes.values().filter_map(index_key));
    keys
}

/// The plain columns an index names (keys and `INCLUDE`), not those inside expressions.
pub fn index_columns(index: &Index) -> Vec<String> {
    let mut out: Vec<String> = index
        .keys
        .iter()
        .filter_map(|k| match &k.target {
            IndexTarget::Column(c) => Some(c.clone()),
            IndexTarget::Expression(_) => None,
        })
        .collect();
    out.extend(index.include.iter().cloned());
    out
}

/// Whether SQL text as the database prints it names `ident`: double-quoted, or bare as a whole
/// word. Deliberately broad (a word inside a string literal counts): it decides what an enum
/// rebuild detaches, where one object too many only costs its re-creation.
pub fn mentions(text: &str, ident: &str) -> bool {
    if ident.is_empty() {
        return false;
    }
    if text.contains(&quoted(ident)) {
        return true;
    }
    let word = |c: char| c.is_alphanumeric() || c == '_' || c == '$';
    text.match_indices(ident).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + ident.len()..].chars().next();
        !before.is_some_and(word) && !after.is_some_and(word)
    })
}

/// The SQL texts of an index: its expression keys and its predicate.
pub fn index_texts(index: &Index) -> Vec<&str> {
    let mut out: Vec<&str> = index
        .keys
        .iter()
        .filter_map(|k| match &k.target {
            IndexTarget::Expression(e) => Some(e.as_str()),
            IndexTarget::Column(_) => None,
        })
        .collect();
    out.extend(index.predicate.as_deref());
    out
}

/// Whether `text` (a check or index text of `table`) names enum `name` (a cast to it) or a
/// column of `table` for which `typed` holds (a column typed with it).
pub fn text_names_enum(
    text: &str,
    table: &Table,
    name: &QualifiedName,
    typed: &impl Fn(&Column) -> bool,
) -> bool {
    mentions(text, &name.name)
        || table
            .columns
            .iter()
            .any(|c| typed(c) && mentions(text, &c.name))
}

/// What a rebuild of enum `name` must detach on `table` (see [`EnumDependent`]): checks and
/// indexes whose text names the enum or a column typed with it, foreign keys over such a
/// column, generated columns whose expression does, and every check, index, key and foreign
/// key over those generated columns. `typed` says which columns are typed with the enum when
/// the rebuild runs. In kind, then name order.
pub fn enum_dependents_of(
    table_name: &QualifiedName,
    table: &Table,
    name: &QualifiedName,
    typed: &impl Fn(&Column) -> bool,
) -> Vec<EnumDependent> {
    let names_enum = |text: &str| text_names_enum(text, table, name, typed);
    let generated: Vec<&Column> = table
        .columns
        .iter()
        .filter(|c| !typed(c))
        .filter(|c| {
            c.generated
                .as_ref()
                .is_some_and(|g| names_enum(&g.expression))
        })
        .collect();
    let on_generated = |columns: &[String]| {
        columns
            .iter()
            .any(|c| generated.iter().any(|g| &g.name == c))
    };
    let text_detached =
        |text: &str| names_enum(text) || generated.iter().any(|g| mentions(text, &g.name));
    let t = || table_name.clone();
    let mut out = Vec::new();
    out.extend(
        table
            .checks
            .values()
            .filter(|c| text_detached(&c.expression))
            .map(|c| EnumDependent::Check {
                table: t(),
                constraint: c.clone(),
            }),
    );
    out.extend(
        table
            .indexes
            .values()
            .filter(|i| {
                on_generated(&index_columns(i)) || index_texts(i).into_iter().any(text_detached)
            })
            .map(|i| EnumDependent::Index {
                table: t(),
                index: i.clone(),
            }),
    );
    out.extend(
        table
            .foreign_keys
            .values()
            .filter(|fk| {
                on_generated(&fk.columns)
                    || fk
                        .columns
                        .iter()
                        .any(|c| table.column(c).is_some_and(typed))
            })
            .map(|fk| EnumDependent::ForeignKey {
                table: t(),
                constraint: fk.clone(),
            }),
    );
    out.extend(
        table
            .uniques
            .values()
            .filter(|u| on_generated(&u.columns))
            .map(|u| EnumDependent::Unique {
                table: t(),
                constraint: u.clone(),
            }),
    );
    out.extend(
        table
            .primary_key
            .iter()
            .filter(|k| on_generated(&k.columns))
            .map(|k| EnumDependent::PrimaryKey {
                table: t(),
                key: k.clone(),
            }),
    );
    out.extend(generated.iter().map(|c| EnumDependent::GeneratedColumn {
        table: t(),
        column: (*c).clone(),
    }));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn implicit_sequence_names_fit_in_63_bytes() {
        assert_eq!(implicit_sequence_name("t", "id"), "t_id_seq");
        let long = "x".repeat(70);
        let name = implicit_sequence_name(&long, "id");
        assert_eq!(name, format!("{}_id_seq", "x".repeat(56)));
        assert_eq!(name.len(), 63);
        let both = implicit_sequence_name(&"a".repeat(40), &"b".repeat(40));
        assert_eq!(both, format!("{}_{}_seq", "a".repeat(29), "b".repeat(29)));
    }

    #[test]
    fn mentions_whole_identifiers_only() {
        assert!(mentions("(mood <> 'sad'::mood)", "mood"));
        assert!(mentions("(m = ANY (ARRAY['a'::app.mood]))", "mood"));
        assert!(mentions("(\"Mood\" IS NOT NULL)", "Mood"));
        assert!(mentions("(x = 'a'::\"odd \"\"type\")", "odd \"type"));
        assert!(!mentions("(moods IS NULL)", "mood"));
        assert!(!mentions("(my_mood IS NULL)", "mood"));
        assert!(!mentions("(x > 0)", ""));
    }

    #[test]
    fn nextval_spellings() {
        let s = QualifiedName::new("public", "users_id_seq");
        assert!(default_uses_sequence(
            "nextval('users_id_seq'::regclass)",
            &s,
            "public"
        ));
        assert!(default_uses_sequence(
            "nextval('public.users_id_seq'::regclass)",
            &s,
            "app"
        ));
        assert!(!default_uses_sequence(
            "nextval('users_id_seq2'::regclass)",
            &s,
            "public"
        ));
        assert!(!default_uses_sequence("'users_id_seq'::text", &s, "public"));
        let odd = QualifiedName::new("app", "Odd Seq");
        assert!(default_uses_sequence(
            "nextval('app.\"Odd Seq\"'::regclass)",
            &odd,
            "public"
        ));
        assert!(!default_uses_sequence(
            "nextval('\"Odd Seq\"'::regclass)",
            &odd,
            "public"
        ));
    }
}
