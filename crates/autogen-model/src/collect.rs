//! Parses the files and finds what the reader reads: structs deriving `Model`, enums deriving
//! `Enum` (at any module depth) and every file's imports.

use syn::punctuated::Punctuated;
use syn::{Attribute, Item, ItemEnum, ItemStruct, Path, Token};

use crate::SourceFile;
use crate::diagnostics::{Loc, Sink};
use crate::imports::Imports;

pub(crate) struct Parsed {
    pub file: usize,
    pub ast: syn::File,
}

/// The text `syn` read: a byte-order mark becomes a space, so that columns on the first line
/// still count it (syn would drop it) and byte ranges of spans index this text.
pub(crate) fn parse_text(text: &str) -> std::borrow::Cow<'_, str> {
    match text.strip_prefix('\u{feff}') {
        Some(rest) => format!(" {rest}").into(),
        None => text.into(),
    }
}

/// Every file that parses; the others are reported with `syn`'s error and its span.
pub(crate) fn parse_files(files: &[SourceFile], sink: &mut Sink) -> Vec<Parsed> {
    let mut out = Vec::new();
    for (file, source) in files.iter().enumerate() {
        match syn::parse_file(&parse_text(&source.text)) {
            Ok(ast) => out.push(Parsed { file, ast }),
            Err(e) => sink.syn_error(file, e),
        }
    }
    out
}

pub(crate) struct Found<'a, T> {
    pub file: usize,
    pub item: &'a T,
}

pub(crate) struct Items<'a> {
    /// The text each file was parsed from, by file number, to quote a type in a message.
    pub texts: Vec<std::borrow::Cow<'a, str>>,
    pub models: Vec<Found<'a, ItemStruct>>,
    pub enums: Vec<Found<'a, ItemEnum>>,
    /// Every struct with named fields, model or not: what `#[sqlx(flatten)]` may name.
    pub structs: Vec<Found<'a, ItemStruct>>,
    /// Indexed by file number; files that did not parse have an empty map.
    pub imports: Vec<Imports>,
    /// Items deriving the wrong one of the two (`Model` on an enum, `Enum` on a struct), with
    /// what to say about them: rustc accepts the inert derives anywhere.
    pub misplaced: Vec<(Loc, String)>,
}

pub(crate) fn collect<'a>(files: &'a [SourceFile], parsed: &'a [Parsed]) -> Items<'a> {
    let mut items = Items {
        texts: files.iter().map(|f| parse_text(&f.text)).collect(),
        models: Vec::new(),
        enums: Vec::new(),
        structs: Vec::new(),
        imports: Vec::new(),
        misplaced: Vec::new(),
    };
    for p in parsed {
        while items.imports.len() <= p.file {
            items.imports.push(Imports::default());
        }
        walk(&p.ast.items, p.file, &mut items);
    }
    items
}

fn walk<'a>(list: &'a [Item], file: usize, items: &mut Items<'a>) {
    for item in list {
        if let Item::Struct(s) = item
            && matches!(s.fields, syn::Fields::Named(_))
        {
            items.structs.push(Found { file, item: s });
        }
        match item {
            Item::Struct(s) if derives(&s.attrs, "Model") => {
                items.models.push(Found { file, item: s });
            }
            Item::Enum(e) if derives(&e.attrs, "Enum") => {
                items.enums.push(Found { file, item: e });
            }
            Item::Enum(e) if derives(&e.attrs, "Model") => items.misplaced.push((
                Loc::new(file, e.ident.span()),
                format!(
                    "`{}` is an enum: a model is a struct; an enum type derives `autogen::Enum`",
                    e.ident
                ),
            )),
            Item::Struct(s) if derives(&s.attrs, "Enum") => items.misplaced.push((
                Loc::new(file, s.ident.span()),
                format!(
                    "`{}` is a struct: an enum type is an enum; a model derives `autogen::Model`",
                    s.ident
                ),
            )),
            Item::Union(u) if derives(&u.attrs, "Model") => items.misplaced.push((
                Loc::new(file, u.ident.span()),
                format!(
                    "`{}` is a union: a model is a struct with named fields",
                    u.ident
                ),
            )),
            Item::Use(u) => {
                if let Some(imports) = items.imports.get_mut(file) {
                    imports.add(&u.tree);
                }
            }
            Item::Mod(m) => {
                if let Some((_, inner)) = &m.content {
                    walk(inner, file, items);
                }
            }
            _ => {}
        }
    }
}

/// Whether a `#[derive(..)]` among `attrs` names `name` as its last path segment
/// (`autogen::Model` or an imported `Model`).
fn derives(attrs: &[Attribute], name: &str) -> bool {
    attrs
        .iter()
        .filter(|a| a.path().is_ident("derive"))
        .any(|a| {
            a.parse_args_with(Punctuated::<Path, Token![,]>::parse_terminated)
                .map(|paths| {
                    paths
                        .iter()
                        .any(|p| p.segments.last().is_some_and(|s| s.ident == name))
                })
                .unwrap_or(false)
        })
}
