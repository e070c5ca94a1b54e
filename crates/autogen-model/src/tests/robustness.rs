//! No input makes the reader panic: every prefix of a model file, the same file with tokens
//! swapped for attribute punctuation, and odd corners of Rust syntax all read to a schema or
//! to diagnostics whose rendering works.

use autogen_schema::Dialect;

use crate::{ModelOptions, SourceFile, read_models};

const MODEL: &str = r#"#[derive(autogen::Model)]
#[autogen(table = "t", schema = "s", index(columns("a DESC", b), where = "a > 0"))]
#[autogen(unique(expr = "lower(b), (a + 1)"), check(name = "c", expr = "a > 0"), primary_key(a))]
struct T {
    #[autogen(references = "s.t.a", on_delete = "set null", default = -1, check = "a < 9")]
    a: Option<Vec<i32>>,
    #[autogen(sql_type(postgres = "varchar(3)"), default_sql = "'x'", renamed_from = "é")]
    b: String,
    #[autogen(identity = "always", backfill = 1.5, precision = 3, scale = 1)]
    c: rust_decimal::Decimal,
}
#[derive(autogen::Enum)]
#[autogen(name = "e", rename_all = "kebab-case")]
enum E { A, #[autogen(value = "b", renamed_from = "c")] B }
"#;

fn read_and_render(text: &str) {
    let files = [SourceFile::new("m.rs", text)];
    for dialect in [Dialect::Postgres, Dialect::MySql, Dialect::Sqlite] {
        let output = read_models(&files, &ModelOptions::new(dialect));
        for d in &output.diagnostics {
            assert!(d.line >= 1 && d.column >= 1, "{d:?}");
            let _ = d.report(text);
            // A stale or wrong source text must not break rendering either.
            let _ = d.report("");
        }
    }
}

#[test]
fn every_prefix_of_a_model_file_reads_without_panic() {
    let boundaries = MODEL.char_indices().map(|(i, _)| i).chain([MODEL.len()]);
    for end in boundaries {
        read_and_render(&MODEL[..end]);
    }
}

#[test]
fn punctuation_in_every_place_reads_without_panic() {
    let replacements = ["(", ")", ",", "=", "\"", "-", ".", "#", "é", ""];
    for (i, (at, ch)) in MODEL.char_indices().enumerate() {
        let with = replacements[i % replacements.len()];
        let mut text = String::with_capacity(MODEL.len());
        text.push_str(&MODEL[..at]);
        text.push_str(with);
        text.push_str(&MODEL[at + ch.len_utf8()..]);
        read_and_render(&text);
    }
}

#[test]
fn odd_corners_read_without_panic() {
    let long = "é".repeat(70);
    let cases = [
        String::new(),
        "\u{feff}#[derive(autogen::Model)] struct T { #[autogen(primary_key)] id: i64 }".to_owned(),
        "#!/usr/bin/env run\n#![allow(x)]\nfn main() {}".to_owned(),
        "#[derive(autogen::Model)] struct T<U> where U: Copy { #[autogen(primary_key)] r#type: i64, u: U }".to_owned(),
        "#[derive(autogen::Model)] union U { a: i32 }".to_owned(),
        "#[derive(autogen::Model)] struct T;".to_owned(),
        "#[derive(autogen::Enum)] enum E {}".to_owned(),
        "#[derive(autogen::Enum)] enum E { A = 1, B }".to_owned(),
        format!("#[derive(autogen::Model)] #[autogen(table = \"{long}\")] struct T {{ #[autogen(primary_key)] id: i64 }}"),
        format!("#[derive(autogen::Model)] #[autogen(index(columns(a), name = \"{long}\"))] struct {long}X {{ #[autogen(primary_key)] a: i64 }}"),
        "#[derive(autogen::Model)] struct T { #[autogen(primary_key)] id: <i64 as Tr>::Out, f: fn(i32) -> i32, d: dyn Tr, i: impl Tr, p: *const u8, n: ! }".to_owned(),
        "#[derive(autogen::Model)] struct T { #[autogen(primary_key, default = 99999999999999999999999999999999999999999)] id: i64 }".to_owned(),
        "#[derive(autogen::Model)] struct T { #[autogen(primary_key, max_length = 99999999999999999999, default = b\"x\")] id: String }".to_owned(),
        "#[derive(autogen::Model)] #[autogen(index(columns(\"\\\"unterminated DESC\")))] struct T { #[autogen(primary_key)] id: i64 }".to_owned(),
        "#[derive(autogen::Model)] #[autogen(index(expr = \"\"), check(expr = \"((((\"))] struct T { #[autogen(primary_key)] id: i64 }".to_owned(),
        "mod a { mod b { #[derive(autogen::Enum)] enum E { X } } } #[derive(autogen::Model)] struct T { #[autogen(primary_key)] id: i64, e: Vec<Vec<Option<E>>> }".to_owned(),
    ];
    for case in &cases {
        read_and_render(case);
    }
}
