//! PostgreSQL's identifier rules, in one place: names are at most 63 bytes (NAMEDATALEN - 1),
//! cut on a character boundary, and the names PostgreSQL gives what a definition leaves
//! unnamed (`<table>_pkey`, `<table>_<columns>_key`, `_fkey`, `_idx`, `_check`, `_seq`).
//! Mirrors `makeObjectName`, `ChooseRelationName`, `ChooseConstraintName`,
//! `ChooseIndexNameAddition` and `ChooseIndexColumnNames` of PostgreSQL's `indexcmds.c` and
//! `namespace.c`. The model reader names what the models leave unnamed with it, the SQLite
//! introspector what SQLite leaves unnamed, the differ and the renderer the names PostgreSQL
//! picks on its own.

use std::collections::BTreeSet;

/// PostgreSQL's NAMEDATALEN: a name is at most `NAMEDATALEN - 1` bytes.
pub const NAMEDATALEN: usize = 64;

/// The longest name PostgreSQL keeps, in bytes.
pub const MAX_IDENTIFIER_BYTES: usize = NAMEDATALEN - 1;

/// The longest prefix of `s` of at most `max` bytes that ends on a character boundary
/// (`pg_mbcliplen`).
pub fn clip(s: &str, max: usize) -> &str {
    let mut end = max.min(s.len());
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

/// `name` as PostgreSQL stores it: cut to 63 bytes.
pub fn truncate_identifier(name: &str) -> &str {
    clip(name, MAX_IDENTIFIER_BYTES)
}

/// `name` followed by `suffix`, `name` cut so that the whole fits in 63 bytes (and truncation
/// cannot make it equal `name`).
pub fn with_suffix(name: &str, suffix: &str) -> String {
    let kept = clip(name, MAX_IDENTIFIER_BYTES.saturating_sub(suffix.len()));
    format!("{kept}{suffix}")
}

/// `name1_name2_label`, the longer of the two names shortened first until it fits in 63 bytes
/// (`makeObjectName`).
pub fn make_object_name(name1: &str, name2: Option<&str>, label: &str) -> String {
    let mut overhead = 0;
    let mut name1_len = name1.len();
    let mut name2_len = name2.map_or(0, str::len);
    if name2.is_some() {
        overhead += 1;
    }
    if !label.is_empty() {
        overhead += label.len() + 1;
    }
    let available = MAX_IDENTIFIER_BYTES.saturating_sub(overhead);
    while name1_len + name2_len > available {
        if name1_len > name2_len {
            name1_len -= 1;
        } else {
            name2_len -= 1;
        }
    }
    let mut out = clip(name1, name1_len).to_owned();
    if let Some(name2) = name2 {
        out.push('_');
        out.push_str(clip(name2, name2_len));
    }
    if !label.is_empty() {
        out.push('_');
        out.push_str(label);
    }
    out
}

/// The name PostgreSQL gives the sequence behind a `serial` or identity column when it is
/// free: `<table>_<column>_seq`, cut as [`make_object_name`] does.
pub fn implicit_sequence_name(table: &str, column: &str) -> String {
    make_object_name(table, Some(column), "seq")
}

/// Column names joined by `_`, stopping once the text reaches NAMEDATALEN
/// (`ChooseIndexNameAddition`, `ChooseForeignKeyConstraintNameAddition`).
pub fn name_addition(names: &[String]) -> String {
    let mut out = String::new();
    for name in names {
        if !out.is_empty() {
            out.push('_');
        }
        out.push_str(clip(name, MAX_IDENTIFIER_BYTES));
        if out.len() >= NAMEDATALEN {
            break;
        }
    }
    out
}

/// The names of an index's columns made unique by a numeric suffix (`lower`, `lower1`) as
/// `ChooseIndexColumnNames` does.
pub fn index_column_names(original: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for name in original {
        let mut current = name.clone();
        let mut i = 1;
        while out.contains(&current) {
            let suffix = i.to_string();
            current = format!(
                "{}{suffix}",
                clip(name, MAX_IDENTIFIER_BYTES - suffix.len())
            );
            i += 1;
        }
        out.push(current);
    }
    out
}

/// `base`, or `base1`, `base2`, ... : the first that `taken` says is free. The numbering
/// PostgreSQL (and SQLite's readers, which give unnamed constraints PostgreSQL's names) use
/// for a generated name that is taken, without the 63-byte cut.
pub fn first_free(base: String, taken: impl Fn(&str) -> bool) -> String {
    if !taken(&base) {
        return base;
    }
    (1..)
        .map(|n| format!("{base}{n}"))
        .find(|candidate| !taken(candidate))
        .unwrap_or(base)
}

/// The names taken in one namespace: relations (tables, indexes, sequences) and constraints.
/// A generated name that is taken gets a number after its label (`t_check1`), as PostgreSQL
/// does when it looks the name up in its catalogs.
#[derive(Debug, Default)]
pub struct Taken {
    relations: BTreeSet<String>,
    constraints: BTreeSet<String>,
}

impl Taken {
    pub fn relation(&mut self, name: &str) {
        self.relations.insert(name.to_owned());
    }

    pub fn constraint(&mut self, name: &str) {
        self.constraints.insert(name.to_owned());
    }

    pub fn has_relation(&self, name: &str) -> bool {
        self.relations.contains(name)
    }

    /// `ChooseRelationName`: free among relations, and among constraints too when the
    /// relation is a constraint's index (primary key, unique). The name is taken.
    pub fn choose_relation(
        &mut self,
        name1: &str,
        name2: Option<&str>,
        label: &str,
        is_constraint: bool,
    ) -> String {
        let name = self.first_free(name1, name2, label, |taken, name| {
            taken.relations.contains(name) || (is_constraint && taken.constraints.contains(name))
        });
        self.relations.insert(name.clone());
        if is_constraint {
            self.constraints.insert(name.clone());
        }
        name
    }

    /// `ChooseConstraintName`: free among the namespace's constraints. The name is taken.
    pub fn choose_constraint(&mut self, name1: &str, name2: Option<&str>, label: &str) -> String {
        let name = self.first_free(name1, name2, label, |taken, name| {
            taken.constraints.contains(name)
        });
        self.constraints.insert(name.clone());
        name
    }

    fn first_free(
        &self,
        name1: &str,
        name2: Option<&str>,
        label: &str,
        used: impl Fn(&Taken, &str) -> bool,
    ) -> String {
        let mut candidate = make_object_name(name1, name2, label);
        let mut pass = 0u32;
        while used(self, &candidate) {
            pass += 1;
            candidate = make_object_name(name1, name2, &format!("{label}{pass}"));
        }
        candidate
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_longer_name_is_truncated_first() {
        let table = "t".repeat(40);
        let column = "c".repeat(40);
        let name = make_object_name(&table, Some(&column), "key");
        assert_eq!(name.len(), 63);
        assert_eq!(name, format!("{}_{}_key", "t".repeat(29), "c".repeat(29)));
        let short = make_object_name("users", Some(&"e".repeat(70)), "idx");
        assert_eq!(short, format!("users_{}_idx", "e".repeat(53)));
        let long = "x".repeat(70);
        assert_eq!(implicit_sequence_name(&long, "id").len(), 63);
    }

    #[test]
    fn truncation_keeps_whole_characters() {
        let name = make_object_name(&"é".repeat(40), None, "pkey");
        assert!(name.len() <= 63);
        assert!(name.ends_with("_pkey"));
        assert_eq!(truncate_identifier(&"é".repeat(40)).len(), 62);
        let old = with_suffix(&"é".repeat(40), "__old");
        assert!(old.len() <= 63 && old.ends_with("__old"), "{old}");
    }

    #[test]
    fn a_taken_name_gets_a_number_after_its_label() {
        let mut taken = Taken::default();
        assert_eq!(taken.choose_constraint("t", None, "check"), "t_check");
        assert_eq!(taken.choose_constraint("t", None, "check"), "t_check1");
        assert_eq!(taken.choose_constraint("t", None, "check"), "t_check2");
        assert_eq!(
            index_column_names(&["lower".into(), "lower".into(), "a".into()]),
            ["lower", "lower1", "a"]
        );
        assert_eq!(first_free("t_a_key".into(), |n| n == "t_a_key"), "t_a_key1");
    }
}

/// The names SQLite's introspector gives constraints its `CREATE TABLE` text leaves unnamed
/// (first free, in the order the text has them): `<table>_pkey`, `<table>_<columns>_key`,
/// `<table>_<columns>_fkey`, and `<table>_check` for a table check (`<table>_<column>_check`
/// for one written on a column). A constraint under such a name is written unnamed, so that
/// it follows the table when `ALTER TABLE .. RENAME TO` renames it.
pub mod sqlite {
    pub fn primary_key(table: &str) -> String {
        format!("{table}_pkey")
    }

    pub fn unique(table: &str, columns: &[String]) -> String {
        format!("{table}_{}_key", columns.join("_"))
    }

    pub fn foreign_key(table: &str, columns: &[String]) -> String {
        format!("{table}_{}_fkey", columns.join("_"))
    }

    pub fn check(table: &str, column: Option<&str>) -> String {
        match column {
            Some(c) => format!("{table}_{c}_check"),
            None => format!("{table}_check"),
        }
    }

    /// `name` with its table part `from` made `to`, when it is one of `from`'s unnamed forms
    /// (`kind` says which: the base before any number `first_free` added is compared).
    pub fn follow_rename(name: &str, from: &str, to: &str) -> Option<String> {
        let rest = name.strip_prefix(from)?.strip_prefix('_')?;
        let trimmed = rest.trim_end_matches(|c: char| c.is_ascii_digit());
        let generated = trimmed == "pkey"
            || trimmed == "check"
            || trimmed.ends_with("_key")
            || trimmed.ends_with("_fkey")
            || trimmed.ends_with("_check");
        generated.then(|| format!("{to}_{rest}"))
    }

    /// Whether `text` (a view's or trigger's statement) names `name`: an identifier, bare or
    /// quoted, equal to it but for case, as SQLite reads names. String literals and comments
    /// are skipped.
    pub fn names(text: &str, name: &str) -> bool {
        identifiers(text)
            .iter()
            .any(|(_, ident)| ident.eq_ignore_ascii_case(name))
    }

    /// `text` with every identifier naming `from` made `"to"`: what SQLite's
    /// `ALTER TABLE from RENAME TO to` does to the views and triggers that name the table.
    pub fn rename_in(text: &str, from: &str, to: &str) -> String {
        let quoted = format!("\"{}\"", to.replace('"', "\"\""));
        let mut out = String::with_capacity(text.len());
        let mut at = 0;
        for (range, ident) in identifiers(text) {
            if ident.eq_ignore_ascii_case(from) {
                out.push_str(&text[at..range.start]);
                out.push_str(&quoted);
                at = range.end;
            }
        }
        out.push_str(&text[at..]);
        out
    }

    /// The identifiers of `text` with where each is and its name unquoted.
    fn identifiers(text: &str) -> Vec<(std::ops::Range<usize>, String)> {
        let bytes = text.as_bytes();
        let mut out = Vec::new();
        let mut i = 0;
        let is_word = |b: u8| b.is_ascii_alphanumeric() || b == b'_' || b == b'$' || b >= 0x80;
        while i < bytes.len() {
            let b = bytes[i];
            match b {
                b'\'' => i = closing(bytes, i, b'\''),
                b'-' if bytes.get(i + 1) == Some(&b'-') => {
                    i = text[i..].find('\n').map_or(bytes.len(), |n| i + n + 1);
                }
                b'/' if bytes.get(i + 1) == Some(&b'*') => {
                    i = text[i + 2..]
                        .find("*/")
                        .map_or(bytes.len(), |n| i + 2 + n + 2);
                }
                b'"' | b'`' | b'[' => {
                    let close = if b == b'[' { b']' } else { b };
                    let end = closing(bytes, i, close);
                    let inner = &text[i + 1..end.saturating_sub(1).max(i + 1)];
                    let doubled = String::from_utf8(vec![close, close]).unwrap_or_default();
                    let single = String::from_utf8(vec![close]).unwrap_or_default();
                    out.push((i..end, inner.replace(&doubled, &single)));
                    i = end;
                }
                _ if is_word(b) && !b.is_ascii_digit() => {
                    let start = i;
                    while i < bytes.len() && is_word(bytes[i]) {
                        i += 1;
                    }
                    out.push((start..i, text[start..i].to_owned()));
                }
                _ if is_word(b) => {
                    while i < bytes.len() && is_word(bytes[i]) {
                        i += 1;
                    }
                }
                _ => i += 1,
            }
        }
        out
    }

    /// The index just past the quote closing the one at `open` (a doubled quote is one
    /// character of the text), or the end.
    fn closing(bytes: &[u8], open: usize, quote: u8) -> usize {
        let mut i = open + 1;
        while i < bytes.len() {
            if bytes[i] == quote {
                if quote != b']' && bytes.get(i + 1) == Some(&quote) {
                    i += 2;
                    continue;
                }
                return i + 1;
            }
            i += 1;
        }
        bytes.len()
    }

    #[cfg(test)]
    mod tests {
        #[test]
        fn identifiers_are_renamed_as_sqlite_renames_them() {
            let view = "CREATE VIEW v2 AS SELECT \"doc\".title, 'doc' FROM main.Doc -- doc\n WHERE [doc].x = `DOC`.y AND docs = 1";
            assert_eq!(
                super::rename_in(view, "doc", "page"),
                "CREATE VIEW v2 AS SELECT \"page\".title, 'doc' FROM main.\"page\" -- doc\n WHERE \"page\".x = \"page\".y AND docs = 1"
            );
            assert!(super::names(view, "DOC"));
            assert!(!super::names("SELECT 'doc' FROM docs", "doc"));
        }
    }
}
