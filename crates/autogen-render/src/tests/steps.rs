//! The step layer: hazards are judged on the steps, once, and everything downstream agrees
//! with them; each step knows its inverse.

use autogen_diff::{Change, HazardKind, Plan, diff};
use autogen_schema::{Dialect, Schema, Table};

use super::fixtures::*;
use crate::{Step, Transaction, json, lower, markdown, migration_text, render, summary};

fn plan_of(changes: Vec<Change>) -> Plan {
    Plan {
        changes,
        rename_hints: Vec::new(),
        before: None,
        partitioned: Default::default(),
    }
}

fn schema_of(dialect: Dialect, tables: Vec<Table>) -> Schema {
    let mut schema = Schema::new(dialect);
    let namespace = schema.namespace_mut(dialect.default_schema());
    for table in tables {
        namespace.tables.insert(table.name.clone(), table);
    }
    schema
}

fn hazard_lines(step_hazards: &[(usize, autogen_diff::Hazard)]) -> String {
    let mut out = String::new();
    for (i, h) in step_hazards {
        out.push_str(&format!("  {i} {:?} {}: {}\n", h.kind, h.object, h.reason));
    }
    out
}

fn all_hazards(steps: &[Step]) -> Vec<(usize, autogen_diff::Hazard)> {
    steps.iter().flat_map(|s| s.hazards.clone()).collect()
}

/// Moved from the differ's tests: the same plan has different hazards on each dialect because
/// each runs different SQL.
#[test]
fn hazards_depend_on_the_dialect() {
    let mut out = String::new();
    for dialect in [Dialect::Postgres, Dialect::MySql, Dialect::Sqlite] {
        let before = table(
            "t",
            vec![col("id", "integer").not_null(), col("n", "varchar(10)")],
        )
        .pk("t_pkey", &["id"]);
        let after = table(
            "t",
            vec![
                col("id", "bigint").not_null(),
                col("n", "varchar(20)").not_null(),
            ],
        )
        .pk("t_pkey", &["id"])
        .check(check("t_n_check", "length(n) > 0"));
        let plan = diff(
            &schema_of(dialect, vec![before]),
            &schema_of(dialect, vec![after]),
            &Default::default(),
        );
        let steps = lower(&plan, dialect).unwrap();
        out.push_str(&format!("{}:\n", dialect.name()));
        out.push_str(&hazard_lines(&all_hazards(&steps.up)));
    }
    insta::assert_snapshot!(out, @r"
    postgres:
      0 LocksTable public.t: ACCESS EXCLUSIVE lock: blocks reads and writes while the table is rewritten to change id to bigint
      1 MayFailOnExistingRows public.t.n: sets NOT NULL: fails if any row holds NULL
      1 LocksTable public.t: ACCESS EXCLUSIVE lock: blocks reads and writes while every row is scanned for NULL
      2 MayFailOnExistingRows public.t: adds check t_n_check: fails if any row violates it
      2 LocksTable public.t: ACCESS EXCLUSIVE lock: blocks reads and writes while every row is checked
    mysql:
      0 LocksTable main.t: copies the table to change id
      1 MayFailOnExistingRows main.t.n: sets NOT NULL: fails if any row holds NULL
      2 MayFailOnExistingRows main.t: adds check t_n_check: fails if any row violates it
    sqlite:
      0 LocksTable main.t: SQLite rebuilds the table to make this change
      1 MayFailOnExistingRows main.t.n: sets NOT NULL: fails if any row holds NULL
      1 LocksTable main.t: SQLite rebuilds the table to make this change
      2 MayFailOnExistingRows main.t: adds check t_n_check: fails if any row violates it
      2 LocksTable main.t: SQLite rebuilds the table to make this change
    ");
}

/// Defects 1 and 2: the SQL decides whether rows holding NULL get the default, and the hazards
/// follow the SQL. PostgreSQL writes an `UPDATE`, SQLite a `coalesce` in the rebuild's copy;
/// both are "irreversible" (the filled rows stay filled), never "fails if any row holds NULL".
/// MySQL fills nothing, so it may fail. An identity or generated column has no default to fill.
#[test]
fn the_hazards_say_what_the_sql_does_with_nulls() {
    let cases = [
        (
            "with a default",
            col("n", "integer").not_null().default("0"),
        ),
        ("without a default", col("n", "integer").not_null()),
    ];
    let mut out = String::new();
    for dialect in [Dialect::Postgres, Dialect::MySql, Dialect::Sqlite] {
        for (label, to) in &cases {
            let t = dialect_table(dialect);
            let before = table(
                "t",
                vec![col("id", "integer").not_null(), col("n", "integer")],
            )
            .pk("t_pkey", &["id"]);
            let plan = Plan {
                before: Some(schema_of(dialect, vec![before])),
                ..plan_of(vec![Change::AlterColumn {
                    table: t,
                    from: col("n", "integer"),
                    to: to.clone(),
                    backfill: None,
                }])
            };
            let steps = lower(&plan, dialect).unwrap();
            let sql = steps.up[0].sql.join("\n");
            let fills = sql.contains("UPDATE") || sql.contains("coalesce(");
            let hazards = all_hazards(&steps.up);
            let fails_on_null = hazards.iter().any(|(_, h)| {
                h.kind == HazardKind::MayFailOnExistingRows && h.reason.contains("holds NULL")
            });
            let keeps_default = hazards.iter().any(|(_, h)| {
                h.kind == HazardKind::Irreversible && h.reason.contains("get the default")
            });
            assert_eq!(fills, keeps_default, "{dialect:?} {label}:\n{sql}");
            assert_eq!(fills, !fails_on_null, "{dialect:?} {label}:\n{sql}");
            out.push_str(&format!(
                "{} {label}: {}\n",
                dialect.name(),
                if fills { "fills NULLs" } else { "may fail" }
            ));
        }
    }
    insta::assert_snapshot!(out, @r"
    postgres with a default: fills NULLs
    postgres without a default: may fail
    mysql with a default: fills NULLs
    mysql without a default: may fail
    sqlite with a default: fills NULLs
    sqlite without a default: may fail
    ");
}

fn dialect_table(dialect: Dialect) -> autogen_schema::QualifiedName {
    autogen_schema::QualifiedName::new(dialect.default_schema(), "t")
}

/// Defect 3: reversibility is the dialect's. Making a column NOT NULL with a default is
/// irreversible where the SQL fills NULLs with it (PostgreSQL), not where it does not (MySQL).
#[test]
fn reversibility_is_judged_per_dialect() {
    let plan = |dialect: Dialect| {
        let before = table(
            "t",
            vec![col("id", "integer").not_null(), col("n", "integer")],
        )
        .pk("t_pkey", &["id"]);
        Plan {
            before: Some(schema_of(dialect, vec![before])),
            ..plan_of(vec![Change::AlterColumn {
                table: dialect_table(dialect),
                from: col("n", "integer"),
                to: col("n", "integer").not_null().default("0"),
                backfill: None,
            }])
        }
    };
    // Every dialect's SQL now fills the NULLs with the default before NOT NULL (MySQL's used
    // to fail on them instead, and was reversible for it): each lowering says so itself.
    let reversible = |dialect: Dialect| lower(&plan(dialect), dialect).unwrap().is_reversible();
    assert!(!reversible(Dialect::Postgres));
    assert!(!reversible(Dialect::Sqlite));
    assert!(!reversible(Dialect::MySql));
    let report: serde_json::Value =
        serde_json::from_str(&json(&plan(Dialect::MySql), Dialect::MySql).unwrap()).unwrap();
    assert_eq!(report["reversible"], false);
}

/// A plan that creates `parent` and `child` (with a foreign key to `parent`), and changes an
/// existing table `t` in ways that have hazards.
fn creates_tables_and_alters_another() -> Plan {
    let t = public("t");
    let parent = table("parent", vec![col("id", "integer").not_null()]).pk("parent_pkey", &["id"]);
    let child = table(
        "child",
        vec![col("id", "integer").not_null(), col("parent_id", "integer")],
    )
    .pk("child_pkey", &["id"]);
    let before = table(
        "t",
        vec![
            col("id", "integer").not_null(),
            col("n", "text"),
            col("legacy", "text"),
        ],
    )
    .pk("t_pkey", &["id"]);
    Plan {
        before: Some(schema_of(Dialect::Postgres, vec![before])),
        ..plan_of(vec![
            Change::CreateTable {
                name: public("parent"),
                definition: parent,
            },
            Change::CreateTable {
                name: public("child"),
                definition: child,
            },
            Change::AddForeignKey {
                table: public("child"),
                constraint: foreign_key(
                    "child_parent_fkey",
                    &["parent_id"],
                    public("parent"),
                    &["id"],
                ),
            },
            Change::AddUnique {
                table: public("child"),
                constraint: unique("child_parent_key", &["parent_id"]),
            },
            Change::AlterColumn {
                table: t.clone(),
                from: col("n", "text"),
                to: col("n", "integer").not_null(),
                backfill: None,
            },
            Change::DropColumn {
                table: t,
                column: col("legacy", "text"),
            },
        ])
    }
}

/// `(kind, object, reason)` from a line like `! may fail on existing rows (obj): reason`.
fn parse_summary_hazard(line: &str) -> Option<(String, String, String)> {
    let rest = line.trim_start_matches(['-', ' ']).strip_prefix("! ")?;
    let (kind, rest) = rest.split_once(" (")?;
    let (object, reason) = rest.split_once("): ")?;
    Some((kind.to_owned(), object.to_owned(), reason.to_owned()))
}

/// From a line like ``- 🟠 **may fail on existing rows** on `obj` (change 3): reason``.
fn parse_markdown_hazard(line: &str) -> Option<(String, String, String)> {
    let rest = line.strip_prefix("- ")?;
    let (_, rest) = rest.split_once("**")?;
    let (kind, rest) = rest.split_once("** on `")?;
    let (object, rest) = rest.split_once("` (change ")?;
    let (_, reason) = rest.split_once("): ")?;
    Some((kind.to_owned(), object.to_owned(), reason.to_owned()))
}

/// Defect 4: the PR report (markdown, JSON, summary) and the migration file's header say the
/// same hazards for the same plan, and none of them warns about rows of a table the plan
/// creates.
#[test]
fn the_pr_report_and_the_file_header_agree_on_hazards() {
    let plan = creates_tables_and_alters_another();
    let dialect = Dialect::Postgres;
    let header: Vec<_> = migration_text(&plan, dialect, "m", None)
        .unwrap()
        .up
        .lines()
        .filter_map(parse_summary_hazard)
        .collect();
    let summary: Vec<_> = summary(&plan, dialect)
        .lines()
        .filter_map(parse_summary_hazard)
        .collect();
    let markdown: Vec<_> = markdown(&plan, dialect)
        .unwrap()
        .lines()
        .filter_map(parse_markdown_hazard)
        .collect();
    let report: serde_json::Value = serde_json::from_str(&json(&plan, dialect).unwrap()).unwrap();
    let from_json: Vec<_> = report["changes"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|c| c["hazards"].as_array().unwrap().clone())
        .map(|h| {
            let kind: HazardKind = serde_json::from_value(h["kind"].clone()).unwrap();
            (
                crate::describe::hazard_kind(kind).to_owned(),
                h["object"].as_str().unwrap().to_owned(),
                h["reason"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert!(!header.is_empty());
    assert_eq!(summary, header);
    assert_eq!(markdown, header);
    assert_eq!(from_json, header);
    for (_, object, reason) in &header {
        assert!(
            !object.contains("child") && !object.contains("parent"),
            "a hazard on a table the plan creates: {object}: {reason}"
        );
    }
}

/// Defect 5: the simulator's refusal is an error, not a down plan without its schema or a
/// SQLite rebuild of a stale table.
#[test]
fn a_plan_that_does_not_apply_is_an_error() {
    let t = autogen_schema::QualifiedName::new("main", "t");
    let before = table("t", vec![col("id", "integer").not_null()]).pk("t_pkey", &["id"]);
    // `t` has no column `n`: the change cannot apply to the schema the plan starts from.
    let plan = Plan {
        before: Some(schema_of(Dialect::Sqlite, vec![before])),
        ..plan_of(vec![Change::AlterColumn {
            table: t,
            from: col("n", "integer"),
            to: col("n", "integer").not_null(),
            backfill: None,
        }])
    };
    assert!(plan.inverse().is_err());
    for result in [
        render(&plan, Dialect::Sqlite).map(|_| ()),
        lower(&plan, Dialect::Sqlite).map(|_| ()),
        lower(&plan, Dialect::Postgres).map(|_| ()),
    ] {
        let error = result.unwrap_err().to_string();
        assert!(
            error.starts_with("the plan does not apply to the schema it starts from: "),
            "{error}"
        );
    }
}

/// Each step's inverse is what the down file runs to undo it: over every snapshotted case, the
/// up steps' inverses, last step first, are the down file's statements; and a down statement
/// belongs to one up step only.
#[test]
fn each_steps_inverse_is_what_the_down_file_runs() {
    let mut plans: Vec<(String, Plan, Dialect)> = Vec::new();
    for case in super::cases::all() {
        plans.push((
            case.name.to_owned(),
            plan_of(case.changes),
            Dialect::Postgres,
        ));
    }
    for case in super::sqlite::cases() {
        plans.push((
            case.name.to_owned(),
            super::sqlite::plan(&case),
            Dialect::Sqlite,
        ));
    }
    for (i, case) in super::mysql::cases().into_iter().enumerate() {
        plans.push((format!("mysql {i}"), plan_of(case.changes), Dialect::MySql));
    }
    let mut checked = 0;
    for (name, plan, dialect) in plans {
        let Ok(steps) = lower(&plan, dialect) else {
            continue;
        };
        let down: Vec<String> = steps.down.iter().flat_map(|s| s.sql.clone()).collect();
        let inverses: Vec<String> = steps
            .up
            .iter()
            .rev()
            .flat_map(|s| s.inverse.clone())
            .collect();
        let mut sorted = (down.clone(), inverses.clone());
        sorted.0.sort();
        sorted.1.sort();
        assert_eq!(sorted.0, sorted.1, "{name}: every down statement, once");
        // A MySQL key group realises changes that are not adjacent: its inverse sits where the
        // down plan puts it, which the reversed up order need not.
        if steps.up.iter().all(|s| is_contiguous(&s.changes)) {
            assert_eq!(inverses, down, "{name}");
        }
        // And the other way round: the down steps' inverses are the up file's statements.
        let up: Vec<String> = steps.up.iter().flat_map(|s| s.sql.clone()).collect();
        let mut back: Vec<String> = steps.down.iter().flat_map(|s| s.inverse.clone()).collect();
        back.sort();
        let mut up_sorted = up;
        up_sorted.sort();
        assert_eq!(back, up_sorted, "{name}: every up statement, once");
        // The statements of the down file are the down steps'.
        assert_eq!(
            crate::step::statements(dialect, &steps.down),
            steps.down_statements()
        );
        checked += 1;
    }
    assert!(checked > 50, "only {checked} plans lowered");
}

fn is_contiguous(changes: &[usize]) -> bool {
    changes.windows(2).all(|w| w[1] == w[0] + 1)
}

/// The transaction a step asks for is where the statements split: a new enum label used later
/// commits first on PostgreSQL; a SQLite rebuild runs in a transaction of its own.
#[test]
fn transactions_come_from_the_steps() {
    let sqlite = super::sqlite::cases()
        .into_iter()
        .find(|c| c.name == "drop_table")
        .unwrap();
    let steps = lower(&super::sqlite::plan(&sqlite), Dialect::Sqlite).unwrap();
    assert!(steps.up.iter().any(|s| s.transaction == Transaction::Own));
    let statements = steps.up_statements();
    assert_eq!(statements[0].sql, "PRAGMA foreign_keys = OFF");
    assert_eq!(
        statements,
        render(&super::sqlite::plan(&sqlite), Dialect::Sqlite).unwrap()
    );

    let commits: Vec<_> = super::cases::all()
        .into_iter()
        .filter_map(|case| {
            let steps = lower(&plan_of(case.changes), Dialect::Postgres).ok()?;
            steps
                .up
                .iter()
                .any(|s| s.transaction == Transaction::CommitAfter)
                .then_some(case.name)
        })
        .collect();
    assert!(!commits.is_empty());
}
