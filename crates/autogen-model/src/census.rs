//! What a set of Rust files holds, whatever its source: native autogen models, SeaORM
//! entities, Diesel tables, sqlx `FromRow` structs. It picks the reader when no source is
//! given, and it is what a models path that yields no model reports instead of an empty plan.

#![allow(
    clippy::wildcard_enum_match_arm,
    reason = "matches over syn's enums, not ours: they grow with each release and a wildcard is the intent"
)]

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::{Delimiter, TokenTree};
use syn::{Attribute, Item};

use crate::SourceFile;
use crate::collect::{FileScan, derives, scan_file};
use crate::source::Source;

/// One kind of thing the census counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    /// A struct deriving `autogen::Model`.
    NativeModel,
    /// An enum deriving `autogen::Enum`.
    NativeEnum,
    /// A struct deriving `DeriveEntityModel`, or carrying `#[sea_orm::model]` (2.0 dense).
    SeaOrmEntity,
    /// An enum deriving `DeriveActiveEnum`.
    SeaOrmEnum,
    /// One table of a `table!` / `diesel::table!` invocation.
    DieselTable,
    /// A struct deriving sqlx's `FromRow` and not `autogen::Model`: sqlx alone says nothing
    /// about keys or types, so it is not a source.
    SqlxFromRow,
}

impl Kind {
    /// The source that reads this kind, if any.
    pub fn source(self) -> Option<Source> {
        match self {
            Kind::NativeModel | Kind::NativeEnum => Some(Source::Autogen),
            Kind::SeaOrmEntity | Kind::SeaOrmEnum => Some(Source::SeaOrm),
            Kind::DieselTable => Some(Source::Diesel),
            Kind::SqlxFromRow => None,
        }
    }

    /// `3 SeaORM entities`.
    pub fn count(self, n: usize) -> String {
        let (one, many) = match self {
            Kind::NativeModel => ("autogen model", "autogen models"),
            Kind::NativeEnum => ("autogen enum", "autogen enums"),
            Kind::SeaOrmEntity => ("SeaORM entity", "SeaORM entities"),
            Kind::SeaOrmEnum => ("SeaORM active enum", "SeaORM active enums"),
            Kind::DieselTable => ("Diesel table", "Diesel tables"),
            Kind::SqlxFromRow => ("sqlx FromRow struct", "sqlx FromRow structs"),
        };
        format!("{n} {}", if n == 1 { one } else { many })
    }
}

/// One item found: its file and name.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Found {
    pub file: String,
    pub name: String,
}

/// What the files hold, by kind, in file order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Census {
    /// How many files were read.
    pub files: usize,
    /// Files that are not Rust `syn` can read (their content is not counted).
    pub unparsed: Vec<String>,
    pub found: BTreeMap<Kind, Vec<Found>>,
}

impl Census {
    pub fn of(files: &[SourceFile]) -> Census {
        let scans: Vec<FileScan> = files.iter().map(scan_file).collect();
        Census::of_scans(files, &scans)
    }

    /// The census of `files` from their scans (one per file, in order), which the native
    /// reader then reads on from ([`crate::read_models_scanned`]): each file parsed once.
    pub fn of_scans(files: &[SourceFile], scans: &[FileScan]) -> Census {
        let mut census = Census {
            files: files.len(),
            ..Census::default()
        };
        for (file, scan) in files.iter().zip(scans) {
            if scan.error.is_some() {
                census.unparsed.push(file.path.clone());
                continue;
            }
            for (kind, name) in &scan.found {
                census.found.entry(*kind).or_default().push(Found {
                    file: file.path.clone(),
                    name: name.clone(),
                });
            }
        }
        census
    }

    pub fn count(&self, kind: Kind) -> usize {
        self.found.get(&kind).map_or(0, Vec::len)
    }

    /// The sources something was found for.
    pub fn sources(&self) -> BTreeSet<Source> {
        self.found
            .iter()
            .filter(|(_, items)| !items.is_empty())
            .filter_map(|(kind, _)| kind.source())
            .collect()
    }

    /// Whether `source` finds anything to read here.
    pub fn has(&self, source: Source) -> bool {
        self.sources().contains(&source)
    }

    /// `2 autogen models, 15 SeaORM entities`, or `nothing autogen can read` when empty.
    pub fn summary(&self) -> String {
        let parts: Vec<String> = self
            .found
            .iter()
            .filter(|(_, items)| !items.is_empty())
            .map(|(kind, items)| kind.count(items.len()))
            .collect();
        if parts.is_empty() {
            "no model, entity or table".to_owned()
        } else {
            parts.join(", ")
        }
    }

    /// The files holding items of `source`, at most `limit`, and how many there are.
    pub fn files_of(&self, source: Source, limit: usize) -> (Vec<String>, usize) {
        let files: BTreeSet<&str> = self
            .found
            .iter()
            .filter(|(kind, _)| kind.source() == Some(source))
            .flat_map(|(_, items)| items.iter().map(|f| f.file.as_str()))
            .collect();
        let total = files.len();
        (
            files.into_iter().take(limit).map(str::to_owned).collect(),
            total,
        )
    }

    /// The source to read with when none is given: the only one something was found for.
    pub fn detect(&self) -> Detected {
        let sources = self.sources();
        let mut iter = sources.iter();
        match (iter.next(), iter.next()) {
            (None, _) => Detected::Nothing,
            (Some(one), None) => Detected::One(*one),
            (Some(_), Some(_)) => Detected::Mixed(sources.into_iter().collect()),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Detected {
    Nothing,
    One(Source),
    /// Several sources in one path, in `Source` order.
    Mixed(Vec<Source>),
}

/// What the census counts in one item (not looking into modules: the caller walks those).
pub(crate) fn classify(item: &Item) -> Vec<(Kind, String)> {
    match item {
        Item::Struct(s) => {
            let name = s.ident.to_string();
            let kind = if derives(&s.attrs, "Model") {
                Some(Kind::NativeModel)
            } else if derives(&s.attrs, "DeriveEntityModel") || sea_orm_model(&s.attrs) {
                Some(Kind::SeaOrmEntity)
            } else if derives(&s.attrs, "FromRow") {
                Some(Kind::SqlxFromRow)
            } else {
                None
            };
            kind.map(|k| (k, name)).into_iter().collect()
        }
        Item::Enum(e) => {
            let name = e.ident.to_string();
            let kind = if derives(&e.attrs, "Enum") {
                Some(Kind::NativeEnum)
            } else if derives(&e.attrs, "DeriveActiveEnum") {
                Some(Kind::SeaOrmEnum)
            } else {
                None
            };
            kind.map(|k| (k, name)).into_iter().collect()
        }
        Item::Macro(m)
            if m.mac
                .path
                .segments
                .last()
                .is_some_and(|s| s.ident == "table") =>
        {
            diesel_tables(m.mac.tokens.clone())
                .into_iter()
                .map(|name| (Kind::DieselTable, name))
                .collect()
        }
        _ => Vec::new(),
    }
}

/// The table names of one `table! { .. }`: each table is `name (keys)? { columns }`, maybe
/// after `#[..]` attributes and `schema.` (a `use a::{b, c};` inside has its brace after `::`).
fn diesel_tables(tokens: proc_macro2::TokenStream) -> Vec<String> {
    let mut out = Vec::new();
    let mut last_ident: Option<String> = None;
    let mut previous_is_punct = false;
    for tree in tokens {
        match &tree {
            TokenTree::Ident(ident) => {
                last_ident = Some(ident.to_string());
                previous_is_punct = false;
            }
            TokenTree::Group(g) if g.delimiter() == Delimiter::Brace => {
                if !previous_is_punct && let Some(name) = last_ident.take() {
                    out.push(name);
                }
                previous_is_punct = false;
            }
            TokenTree::Group(g) if g.delimiter() == Delimiter::Parenthesis => {
                previous_is_punct = false;
            }
            TokenTree::Group(_) => previous_is_punct = false,
            TokenTree::Punct(_) => previous_is_punct = true,
            TokenTree::Literal(_) => previous_is_punct = false,
        }
    }
    out
}

/// `#[sea_orm::model]`, SeaORM 2.0's dense entity format.
fn sea_orm_model(attrs: &[Attribute]) -> bool {
    attrs.iter().any(|a| {
        let segments: Vec<String> = a
            .path()
            .segments
            .iter()
            .map(|s| s.ident.to_string())
            .collect();
        segments == ["sea_orm", "model"]
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn census(files: &[(&str, &str)]) -> Census {
        let files: Vec<SourceFile> = files
            .iter()
            .map(|(path, text)| SourceFile::new(*path, *text))
            .collect();
        Census::of(&files)
    }

    const SEAORM: &str = r#"
use sea_orm::entity::prelude::*;
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "cake")]
pub struct Model { #[sea_orm(primary_key)] pub id: i32, pub name: String }
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}
#[derive(EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "Enum", enum_name = "tea")]
pub enum Tea { #[sea_orm(string_value = "EverydayTea")] EverydayTea }
"#;

    const SEAORM_DENSE: &str = r#"
#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "user")]
pub struct Model { #[sea_orm(primary_key)] pub id: i32 }
"#;

    const DIESEL: &str = r#"
// @generated automatically by Diesel CLI.
pub mod sql_types {
    #[derive(diesel::query_builder::QueryId, diesel::sql_types::SqlType)]
    #[diesel(postgres_type(name = "mood"))]
    pub struct Mood;
}
diesel::table! {
    use diesel::sql_types::*;
    use super::sql_types::Mood;
    posts (id) {
        id -> Int4,
        #[max_length = 200]
        title -> Varchar,
        mood -> Mood,
    }
}
table! {
    #[sql_name = "user_accounts"]
    users {
        id -> Int4,
    }
    tags (post_id, name) {
        post_id -> Int4,
        name -> Text,
    }
}
diesel::joinable!(posts -> users (id));
diesel::allow_tables_to_appear_in_same_query!(posts, users, tags);
"#;

    #[test]
    fn each_source_is_counted_and_detected() {
        let c = census(&[("cake.rs", SEAORM), ("user.rs", SEAORM_DENSE)]);
        assert_eq!(c.count(Kind::SeaOrmEntity), 2);
        assert_eq!(c.count(Kind::SeaOrmEnum), 1);
        assert_eq!(c.detect(), Detected::One(Source::SeaOrm));
        assert_eq!(c.summary(), "2 SeaORM entities, 1 SeaORM active enum");

        let c = census(&[("schema.rs", DIESEL)]);
        let tables: Vec<&str> = c.found[&Kind::DieselTable]
            .iter()
            .map(|f| f.name.as_str())
            .collect();
        assert_eq!(tables, ["posts", "users", "tags"]);
        assert_eq!(c.detect(), Detected::One(Source::Diesel));

        let c = census(&[(
            "row.rs",
            "#[derive(sqlx::FromRow)] struct A { id: i64 }\n#[derive(FromRow, autogen::Model)] struct B { id: i64 }",
        )]);
        assert_eq!(c.count(Kind::SqlxFromRow), 1);
        assert_eq!(c.count(Kind::NativeModel), 1);
        assert_eq!(c.detect(), Detected::One(Source::Autogen));

        let c = census(&[("row.rs", "#[derive(sqlx::FromRow)] struct A { id: i64 }")]);
        assert_eq!(c.detect(), Detected::Nothing);
        assert_eq!(c.summary(), "1 sqlx FromRow struct");
        assert_eq!(census(&[]).summary(), "no model, entity or table");
        assert_eq!(census(&[("bad.rs", "struct {")]).unparsed, ["bad.rs"]);
    }

    #[test]
    fn a_path_mixing_sources_is_detected_as_mixed() {
        let c = census(&[
            ("a.rs", "#[derive(autogen::Model)] struct A { id: i64 }"),
            ("cake.rs", SEAORM),
            ("schema.rs", DIESEL),
        ]);
        assert_eq!(
            c.detect(),
            Detected::Mixed(vec![Source::Autogen, Source::SeaOrm, Source::Diesel])
        );
        assert_eq!(
            c.files_of(Source::SeaOrm, 5),
            (vec!["cake.rs".to_owned()], 1)
        );
    }
}
