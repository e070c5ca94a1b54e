//! Parses the files and finds what the reader reads: structs deriving `Model`, enums deriving
//! `Enum` (at any module depth) and every file's imports.

#![allow(
    clippy::wildcard_enum_match_arm,
    reason = "matches over syn's enums, not ours: they grow with each release and a wildcard is the intent"
)]

use syn::punctuated::Punctuated;
use syn::{Attribute, Item, ItemEnum, ItemStruct, Path, Token};

use std::collections::BTreeSet;

use crate::SourceFile;
use crate::census::{self, Kind};
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

/// What the reader needs of one file's models: the models themselves (borrowed from that
/// file's syntax tree, which lives only while the file is read) and what every file shares.
pub(crate) struct Items<'a> {
    /// The text each file was parsed from, by file number, to quote a type in a message.
    pub texts: &'a [std::borrow::Cow<'a, str>],
    pub models: Vec<Found<'a, ItemStruct>>,
    pub enums: Vec<Found<'a, ItemEnum>>,
    /// Every struct with named fields that `#[sqlx(flatten)]` may name: the ones that are not
    /// models, and the models some flattened field names.
    pub structs: &'a [Found<'a, ItemStruct>],
    /// Indexed by file number; files that did not parse have an empty map.
    pub imports: &'a [Imports],
}

/// What the reader keeps of every file once its syntax tree is gone. Syntax trees are about
/// thirty times the size of their text: holding every file's at once made reading 5,000
/// models take 430 MB, so each file is parsed, read and dropped, twice (enums first, since a
/// model may use an enum of a later file, then the models).
pub(crate) struct Kept<'t> {
    pub texts: Vec<std::borrow::Cow<'t, str>>,
    /// Whether each file parsed; the others have their error in the sink already.
    pub parsed: Vec<bool>,
    pub enums: Vec<(usize, ItemEnum)>,
    pub structs: Vec<(usize, ItemStruct)>,
    pub imports: Vec<Imports>,
    /// Items deriving the wrong one of the two (`Model` on an enum, `Enum` on a struct), with
    /// what to say about them: rustc accepts the inert derives anywhere.
    pub misplaced: Vec<(Loc, String)>,
}

impl<'t> Kept<'t> {
    /// The view `read_enums` reads: every enum, no model.
    pub fn enum_items(&self) -> Items<'_> {
        Items {
            texts: &self.texts,
            models: Vec::new(),
            enums: self
                .enums
                .iter()
                .map(|(file, item)| Found { file: *file, item })
                .collect(),
            structs: &[],
            imports: &self.imports,
        }
    }
}

/// One file parsed once, for everything that is read before the models themselves: what the
/// census counts, and what the models of any file may refer to (enums, structs a model
/// flattens, imports) or get wrong (items deriving the wrong thing). The census and the
/// reader's first pass share it, so a file is parsed once for both.
pub struct FileScan {
    pub(crate) error: Option<syn::Error>,
    /// What the census counts, in file order.
    pub(crate) found: Vec<(Kind, String)>,
    enums: Vec<ItemEnum>,
    /// Structs with named fields that are not models: what `#[sqlx(flatten)]` may name.
    structs: Vec<ItemStruct>,
    imports: Imports,
    misplaced: Vec<(proc_macro2::Span, String)>,
    /// The models' names, and the names their flattened fields mention.
    models: Vec<String>,
    flattened: BTreeSet<String>,
}

impl std::fmt::Debug for FileScan {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FileScan")
            .field("parsed", &self.error.is_none())
            .field("found", &self.found)
            .finish_non_exhaustive()
    }
}

/// Parses `file` once and keeps what [`FileScan`] says; the syntax tree is dropped. Its spans
/// stay valid until [`crate::forget_parsed_texts`].
pub fn scan_file(file: &SourceFile) -> FileScan {
    let mut scan = FileScan {
        error: None,
        found: Vec::new(),
        enums: Vec::new(),
        structs: Vec::new(),
        imports: Imports::default(),
        misplaced: Vec::new(),
        models: Vec::new(),
        flattened: BTreeSet::new(),
    };
    let ast = match syn::parse_file(&parse_text(&file.text)) {
        Ok(ast) => ast,
        Err(e) => {
            scan.error = Some(e);
            return scan;
        }
    };
    each_owned(ast.items, &mut |item| {
        scan.found.extend(census::classify(&item));
        match item {
            Item::Struct(s) if derives(&s.attrs, "Model") => {
                scan.models.push(s.ident.to_string());
                scan.flattened.extend(flattened_names(&s));
            }
            Item::Struct(s) if derives(&s.attrs, "Enum") => scan.misplaced.push((
                s.ident.span(),
                format!(
                    "`{}` is a struct: an enum type is an enum; a model derives `autogen::Model`",
                    s.ident
                ),
            )),
            Item::Struct(s) => {
                if matches!(s.fields, syn::Fields::Named(_)) {
                    scan.structs.push(s);
                }
            }
            Item::Enum(e) if derives(&e.attrs, "Enum") => scan.enums.push(e),
            Item::Enum(e) if derives(&e.attrs, "Model") => scan.misplaced.push((
                e.ident.span(),
                format!(
                    "`{}` is an enum: a model is a struct; an enum type derives `autogen::Enum`",
                    e.ident
                ),
            )),
            Item::Union(u) if derives(&u.attrs, "Model") => scan.misplaced.push((
                u.ident.span(),
                format!(
                    "`{}` is a union: a model is a struct with named fields",
                    u.ident
                ),
            )),
            Item::Use(u) => scan.imports.add(&u.tree),
            _ => {}
        }
    });
    scan
}

/// The first pass over `files`, from their scans (one per file, in order): syntax errors and
/// misplaced derives reported, enums, flattenable structs and imports kept by file number.
pub(crate) fn prescan<'t>(
    files: &'t [SourceFile],
    scans: Vec<FileScan>,
    sink: &mut Sink,
) -> Kept<'t> {
    let mut kept = Kept {
        texts: files.iter().map(|f| parse_text(&f.text)).collect(),
        parsed: vec![false; files.len()],
        enums: Vec::new(),
        structs: Vec::new(),
        imports: Vec::with_capacity(files.len()),
        misplaced: Vec::new(),
    };
    // Models by name, and the names a flattened field mentions: a model that is flattened
    // into another is kept too, after the pass that learns which ones are.
    let mut models: Vec<(usize, String)> = Vec::new();
    let mut flattened = BTreeSet::new();
    for (file, scan) in scans.into_iter().enumerate() {
        kept.imports.push(scan.imports);
        if let Some(e) = scan.error {
            sink.syn_error(file, e);
            continue;
        }
        kept.parsed[file] = true;
        kept.enums.extend(scan.enums.into_iter().map(|e| (file, e)));
        kept.structs
            .extend(scan.structs.into_iter().map(|s| (file, s)));
        kept.misplaced.extend(
            scan.misplaced
                .into_iter()
                .map(|(span, message)| (Loc::new(file, span), message)),
        );
        models.extend(scan.models.into_iter().map(|name| (file, name)));
        flattened.extend(scan.flattened);
    }
    kept.imports.resize_with(files.len(), Imports::default);
    let wanted: BTreeSet<usize> = models
        .iter()
        .filter(|(_, name)| flattened.contains(name))
        .map(|(file, _)| *file)
        .collect();
    for file in wanted {
        let Ok(ast) = syn::parse_file(&kept.texts[file]) else {
            continue;
        };
        each_owned(ast.items, &mut |item| {
            if let Item::Struct(s) = item
                && derives(&s.attrs, "Model")
                && matches!(s.fields, syn::Fields::Named(_))
                && flattened.contains(&s.ident.to_string())
            {
                kept.structs.push((file, s));
            }
        });
    }
    kept.structs.sort_by_key(|(file, _)| *file);
    kept
}

/// The second pass: each file that parsed, parsed again, and its models handed to `read`
/// with what every file shares; the syntax tree is dropped before the next file.
pub(crate) fn each_file_models(kept: &Kept<'_>, mut read: impl FnMut(&Items<'_>)) {
    let structs: Vec<Found<'_, ItemStruct>> = kept
        .structs
        .iter()
        .map(|(file, item)| Found { file: *file, item })
        .collect();
    for (file, text) in kept.texts.iter().enumerate() {
        if !kept.parsed[file] {
            continue;
        }
        let Ok(ast) = syn::parse_file(text) else {
            continue;
        };
        let mut owned = Vec::new();
        each_owned(ast.items, &mut |item| {
            if let Item::Struct(s) = item
                && derives(&s.attrs, "Model")
            {
                owned.push(s);
            }
        });
        if owned.is_empty() {
            continue;
        }
        read(&Items {
            texts: &kept.texts,
            models: owned.iter().map(|item| Found { file, item }).collect(),
            enums: Vec::new(),
            structs: &structs,
            imports: &kept.imports,
        });
        drop(owned);
        if kept.structs.is_empty() {
            // What was read holds places as lines and columns, and no kept struct holds a
            // span: this file's copy of its text goes before the next file is parsed.
            crate::forget_parsed_texts();
        }
    }
}

/// Every item of `list`, and of the inline modules in it, at any depth, by value: what the
/// first pass keeps is moved out of the tree, not copied.
fn each_owned(list: Vec<Item>, visit: &mut impl FnMut(Item)) {
    for item in list {
        match item {
            Item::Mod(syn::ItemMod {
                content: Some((_, inner)),
                ..
            }) => each_owned(inner, visit),
            other => visit(other),
        }
    }
}

/// The names a model's `#[sqlx(flatten)]` fields mention (their type's path segments, and
/// every word of their `sqlx` attributes, which is where `try_from = ".."` names a type): the
/// structs it may flatten.
fn flattened_names(s: &ItemStruct) -> Vec<String> {
    let mut out = Vec::new();
    for field in &s.fields {
        let sqlx: Vec<proc_macro2::TokenStream> = field
            .attrs
            .iter()
            .filter(|a| a.path().is_ident("sqlx"))
            .filter_map(|a| match &a.meta {
                syn::Meta::List(list) => Some(list.tokens.clone()),
                syn::Meta::Path(_) | syn::Meta::NameValue(_) => None,
            })
            .collect();
        let mut words = Vec::new();
        for tokens in sqlx {
            words_of(tokens, &mut words);
        }
        if !words.iter().any(|w| w == "flatten") {
            continue;
        }
        if let syn::Type::Path(path) = &field.ty {
            out.extend(path.path.segments.iter().map(|s| s.ident.to_string()));
        }
        out.extend(words);
    }
    out
}

fn words_of(tokens: proc_macro2::TokenStream, out: &mut Vec<String>) {
    for token in tokens {
        match token {
            proc_macro2::TokenTree::Ident(i) => out.push(i.to_string()),
            proc_macro2::TokenTree::Group(g) => words_of(g.stream(), out),
            proc_macro2::TokenTree::Literal(l) => out.extend(
                l.to_string()
                    .split(|c: char| !(c.is_alphanumeric() || c == '_'))
                    .filter(|w| !w.is_empty())
                    .map(str::to_owned),
            ),
            proc_macro2::TokenTree::Punct(_) => {}
        }
    }
}

/// Whether a `#[derive(..)]` among `attrs` names `name` as its last path segment
/// (`autogen::Model` or an imported `Model`).
pub(crate) fn derives(attrs: &[Attribute], name: &str) -> bool {
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
