//! A compact text form of a schema for tests (test-only; production code never parses SQL).
//!
//! ```text
//! schema app                                  -- a namespace (public always exists)
//! enum status: a, b, c; comment Status        -- labels after `:`
//! seq t_id_seq; type bigint; start 5; owned t.id
//! table t; comment Things                     -- a table; its members are indented
//!   id integer; not null; default nextval('t_id_seq'::regclass); identity; collate C
//!   s @status[]; generated (x + 1); comment C  -- `@name` is an enum type
//!   pk t_pkey (id)
//!   unique t_s_key (s); nulls not distinct; deferrable
//!   check t_x_check (x > 0)
//!   fk t_u_fkey (u) -> app.u (id); on delete cascade; on update set null; deferrable; match full
//!   index t_idx (a, b desc, (lower(c))); unique; using gin; where (a > 1); include (d)
//!   comment Things
//! rename table a -> b / rename column t a -> b / rename value status a -> b   (diff options)
//! authority none; labels status; indexes t   (a source stating only the basics, widened)
//! ```
//! Names without a schema are in `public`.

use autogen_schema::{
    Authority, CheckConstraint, Column, ColumnType, Deferrable, Dialect, EnumType, Facts,
    ForeignKey, Generated, Identity, IdentityKind, Index, IndexKey, IndexTarget, MatchType,
    PrimaryKey, QualifiedName, ReferentialAction, Schema, Sequence, SequenceOptions, SequenceOwner,
    Table, UniqueConstraint,
};

use crate::DiffOptions;

/// `none`, then `; labels <enum>` or `; <fact> <table>` widening one enum or table.
fn authority(head: &str, widenings: &[String]) -> Authority {
    assert_eq!(head.trim(), "none", "authority starts with `none`: {head}");
    let mut out = Authority::of(Facts::NONE);
    for part in widenings {
        let (fact, target) = part.split_once(' ').expect("a fact and its table or enum");
        let target = qualified(target);
        let mut facts = out.tables.get(&target).copied().unwrap_or(Facts::NONE);
        match fact {
            "labels" => {
                out.enum_labels.insert(target);
                continue;
            }
            "defaults" => facts.defaults = true,
            "indexes" => facts.indexes = true,
            "fks" => facts.unlisted_foreign_keys = true,
            other => panic!("unknown fact `{other}`"),
        }
        out.tables.insert(target, facts);
    }
    out
}

pub(crate) fn parse(text: &str) -> (Schema, DiffOptions) {
    let mut schema = Schema::new(Dialect::Postgres);
    schema.namespace_mut("public");
    let mut options = DiffOptions::new();
    let mut table: Option<(QualifiedName, Table)> = None;
    for raw in text.lines() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let indented = raw.starts_with(' ');
        if indented {
            let (_, t) = table.as_mut().expect("a member line outside a table");
            member(t, line);
            continue;
        }
        if let Some((name, t)) = table.take() {
            schema
                .namespace_mut(&name.schema)
                .tables
                .insert(name.name, t);
        }
        let (head, attrs) = split_attrs(line);
        let (word, rest) = head.split_once(' ').unwrap_or((head.as_str(), ""));
        match word {
            "schema" => {
                schema.namespace_mut(rest.trim());
            }
            "enum" => {
                let (name, labels) = rest.split_once(':').expect("enum name: labels");
                let name = qualified(name);
                let labels = labels
                    .split(',')
                    .map(|l| l.trim().to_owned())
                    .filter(|l| !l.is_empty())
                    .collect();
                let comment = attrs
                    .iter()
                    .find_map(|a| a.strip_prefix("comment "))
                    .map(str::to_owned);
                schema.namespace_mut(&name.schema).enums.insert(
                    name.name.clone(),
                    EnumType {
                        name: name.name,
                        labels,
                        comment,
                    },
                );
            }
            "seq" => {
                let name = qualified(rest);
                let sequence = sequence(&name, &attrs);
                schema
                    .namespace_mut(&name.schema)
                    .sequences
                    .insert(name.name, sequence);
            }
            "table" => {
                let name = qualified(rest);
                let mut t = Table::new(name.name.clone());
                t.comment = attrs
                    .iter()
                    .find_map(|a| a.strip_prefix("comment "))
                    .map(str::to_owned);
                table = Some((name, t));
            }
            "authority" => options.authority = authority(rest, &attrs),
            "rename" => {
                let words: Vec<&str> = rest.split_whitespace().collect();
                options = match words.as_slice() {
                    ["table", from, "->", to] => {
                        options.rename_table(qualified(from), qualified(to))
                    }
                    ["column", t, from, "->", to] => {
                        options.rename_column(qualified(t), *from, *to)
                    }
                    ["value", e, from, "->", to] => {
                        options.rename_enum_value(qualified(e), *from, *to)
                    }
                    _ => panic!("cannot read rename: {line}"),
                };
            }
            _ => panic!("cannot read line: {line}"),
        }
    }
    if let Some((name, t)) = table.take() {
        schema
            .namespace_mut(&name.schema)
            .tables
            .insert(name.name, t);
    }
    (schema, options)
}

fn qualified(text: &str) -> QualifiedName {
    match text.trim().split_once('.') {
        Some((schema, name)) => QualifiedName::new(schema, name),
        None => QualifiedName::new("public", text.trim()),
    }
}

/// `head; attr; attr` -> (head, [attr, attr]).
fn split_attrs(line: &str) -> (String, Vec<String>) {
    let mut parts = line.split(';').map(|p| p.trim().to_owned());
    let head = parts.next().unwrap_or_default();
    (head, parts.filter(|p| !p.is_empty()).collect())
}

fn ty(text: &str) -> ColumnType {
    let text = text.trim();
    if let Some(name) = text.strip_prefix('@') {
        let dims = name.matches("[]").count() as u32;
        let e = ColumnType::Enum {
            name: qualified(name.trim_end_matches("[]")),
        };
        return if dims == 0 {
            e
        } else {
            ColumnType::Array {
                element: Box::new(e),
                dimensions: dims,
            }
        };
    }
    ColumnType::parse_postgres(text).expect("a type")
}

fn sequence(name: &QualifiedName, attrs: &[String]) -> Sequence {
    let data_type = attrs
        .iter()
        .find_map(|a| a.strip_prefix("type "))
        .map_or(ColumnType::BigInt, ty);
    let mut options = SequenceOptions::postgres_default(data_type);
    let mut owned_by = None;
    for a in attrs {
        let (key, value) = a.split_once(' ').unwrap_or((a.as_str(), ""));
        let number = || value.trim().parse::<i64>().expect("a number");
        match key {
            "type" => {}
            "start" => options.start = number(),
            "increment" => options.increment = number(),
            "min" => options.min_value = number(),
            "max" => options.max_value = number(),
            "cache" => options.cache = number(),
            "cycle" => options.cycle = true,
            "owned" => {
                let (table, column) = value.trim().rsplit_once('.').expect("owned table.column");
                owned_by = Some(SequenceOwner {
                    table: qualified(table),
                    column: column.to_owned(),
                });
            }
            _ => panic!("unknown sequence attribute {a}"),
        }
    }
    Sequence {
        name: name.name.clone(),
        options,
        owned_by,
    }
}

fn member(t: &mut Table, line: &str) {
    let (head, attrs) = split_attrs(line);
    let (word, rest) = head.split_once(' ').unwrap_or((head.as_str(), ""));
    match word {
        "pk" => {
            let (name, columns) = named_list(rest);
            t.primary_key = Some(PrimaryKey { name, columns });
        }
        "unique" => {
            let (name, columns) = named_list(rest);
            t.uniques.insert(
                name.clone(),
                UniqueConstraint {
                    name,
                    columns,
                    nulls_not_distinct: attrs.iter().any(|a| a == "nulls not distinct"),
                    deferrable: deferrable(&attrs),
                },
            );
        }
        "check" => {
            let (name, expression) = rest.split_once(' ').expect("check name expr");
            t.checks.insert(
                name.to_owned(),
                CheckConstraint {
                    not_valid: false,
                    name: name.to_owned(),
                    expression: expression.trim().to_owned(),
                    no_inherit: attrs.iter().any(|a| a == "no inherit"),
                },
            );
        }
        "fk" => {
            let (local, target) = rest.split_once("->").expect("fk .. -> ..");
            let (name, columns) = named_list(local);
            let (table, referenced_columns) = named_list(target);
            let mut fk = ForeignKey {
                not_valid: false,
                name: name.clone(),
                columns,
                referenced_table: qualified(&table),
                referenced_columns,
                on_delete: ReferentialAction::NoAction,
                on_update: ReferentialAction::NoAction,
                deferrable: deferrable(&attrs),
                match_type: MatchType::Simple,
            };
            for a in &attrs {
                if let Some(action) = a.strip_prefix("on delete ") {
                    fk.on_delete = referential(action);
                } else if let Some(action) = a.strip_prefix("on update ") {
                    fk.on_update = referential(action);
                } else if a == "match full" {
                    fk.match_type = MatchType::Full;
                }
            }
            t.foreign_keys.insert(name, fk);
        }
        "index" => {
            let (name, keys) = rest.split_once(' ').expect("index name (keys)");
            let mut index = Index {
                invalid: false,
                name: name.to_owned(),
                unique: false,
                keys: split_top(strip_parens(keys))
                    .iter()
                    .map(|k| index_key(k))
                    .collect(),
                method: "btree".into(),
                predicate: None,
                include: Vec::new(),
                nulls_not_distinct: false,
            };
            for a in &attrs {
                if a == "unique" {
                    index.unique = true;
                } else if let Some(m) = a.strip_prefix("using ") {
                    index.method = m.to_owned();
                } else if let Some(p) = a.strip_prefix("where ") {
                    index.predicate = Some(p.to_owned());
                } else if let Some(i) = a.strip_prefix("include ") {
                    index.include = split_top(strip_parens(i));
                } else if a == "nulls not distinct" {
                    index.nulls_not_distinct = true;
                } else {
                    panic!("unknown index attribute {a}");
                }
            }
            t.indexes.insert(name.to_owned(), index);
        }
        "comment" => t.comment = Some(rest.to_owned()),
        _ => t.columns.push(column(&head, &attrs)),
    }
}

fn column(head: &str, attrs: &[String]) -> Column {
    let (name, type_text) = head.split_once(' ').expect("column name type");
    let mut c = Column::new(name, ty(type_text));
    for a in attrs {
        let (key, value) = a.split_once(' ').unwrap_or((a.as_str(), ""));
        match key {
            "not" if value == "null" => c.nullable = false,
            "default" => c.default = Some(value.to_owned()),
            "identity" => {
                c.identity = Some(Identity {
                    kind: if value == "always" {
                        IdentityKind::Always
                    } else {
                        IdentityKind::ByDefault
                    },
                    sequence: None,
                })
            }
            "generated" => {
                c.generated = Some(Generated {
                    expression: value.to_owned(),
                    stored: true,
                })
            }
            "collate" => c.collation = Some(value.to_owned()),
            "comment" => c.comment = Some(value.to_owned()),
            _ => panic!("unknown column attribute {a}"),
        }
    }
    c
}

fn deferrable(attrs: &[String]) -> Deferrable {
    if attrs.iter().any(|a| a == "deferrable") {
        Deferrable::InitiallyDeferred
    } else {
        Deferrable::NotDeferrable
    }
}

fn referential(text: &str) -> ReferentialAction {
    match text.trim() {
        "cascade" => ReferentialAction::Cascade,
        "restrict" => ReferentialAction::Restrict,
        "set null" => ReferentialAction::SetNull,
        "set default" => ReferentialAction::SetDefault,
        "no action" => ReferentialAction::NoAction,
        other => panic!("unknown action {other}"),
    }
}

/// `name (a, b)` -> (name, [a, b]).
fn named_list(text: &str) -> (String, Vec<String>) {
    let text = text.trim();
    let open = text.find('(').expect("a (list)");
    (
        text[..open].trim().to_owned(),
        split_top(strip_parens(&text[open..])),
    )
}

fn strip_parens(text: &str) -> &str {
    let text = text.trim();
    text.strip_prefix('(')
        .and_then(|t| t.strip_suffix(')'))
        .unwrap_or(text)
}

/// Splits on commas outside parentheses.
fn split_top(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut depth = 0;
    let mut current = String::new();
    for ch in text.chars() {
        match ch {
            '(' => depth += 1,
            ')' => depth -= 1,
            ',' if depth == 0 => {
                out.push(current.trim().to_owned());
                current.clear();
                continue;
            }
            _ => {}
        }
        current.push(ch);
    }
    if !current.trim().is_empty() {
        out.push(current.trim().to_owned());
    }
    out
}

/// `col`, `col desc`, `(expr) desc nulls first`.
fn index_key(text: &str) -> IndexKey {
    let mut text = text.trim().to_owned();
    let mut nulls_first = None;
    for (suffix, value) in [(" nulls first", true), (" nulls last", false)] {
        if let Some(rest) = text.strip_suffix(suffix) {
            nulls_first = Some(value);
            text = rest.to_owned();
        }
    }
    let mut descending = false;
    if let Some(rest) = text.strip_suffix(" desc") {
        descending = true;
        text = rest.to_owned();
    }
    let target = if text.starts_with('(') {
        IndexTarget::Expression(strip_parens(&text).to_owned())
    } else {
        IndexTarget::Column(text)
    };
    IndexKey {
        target,
        descending,
        nulls_first,
        opclass: None,
        collation: None,
        length: None,
    }
}
