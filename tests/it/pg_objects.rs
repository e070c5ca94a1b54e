//! PostgreSQL objects beyond tables (views, materialized views, functions, procedures,
//! triggers, policies, domains, composite types, extensions): each kind created, altered and
//! dropped, up and down, on real PostgreSQL, judged by `pg_dump -s` as well as by autogen's
//! introspection. A case from a schema without the object creates it and, coming down, drops
//! it; a case between two versions alters it both ways.

use crate::support::pg::{Case, check_round_trips};

/// A table the cases build on, and a statement list after it.
macro_rules! with_table {
    ($($sql:literal),* $(,)?) => {
        concat!(
            "CREATE TABLE public.t (id integer PRIMARY KEY, name text NOT NULL, qty integer);\n",
            $($sql, "\n"),*
        )
    };
}

#[test]
fn views_and_materialized_views() {
    check_round_trips(&[
        Case {
            name: "a view is created",
            before: with_table!(),
            after: with_table!(
                "CREATE VIEW public.v AS SELECT id, name FROM public.t WHERE qty > 0;"
            ),
        },
        Case {
            name: "a view's query changes",
            before: with_table!(
                "CREATE VIEW public.v AS SELECT id, name FROM public.t WHERE qty > 0;"
            ),
            after: with_table!(
                "CREATE VIEW public.v AS SELECT id, name, qty FROM public.t WHERE qty > 10;"
            ),
        },
        Case {
            name: "a view over a view changes under it",
            before: with_table!(
                "CREATE VIEW public.v AS SELECT id, name FROM public.t;",
                "CREATE VIEW public.w AS SELECT id FROM public.v;"
            ),
            after: with_table!(
                "CREATE VIEW public.v AS SELECT id, upper(name) AS name FROM public.t;",
                "CREATE VIEW public.w AS SELECT id FROM public.v;"
            ),
        },
        Case {
            name: "a view with options, a check option and comments",
            before: with_table!(),
            after: with_table!(
                "CREATE VIEW public.v WITH (security_barrier) AS SELECT id, qty FROM public.t WHERE qty > 0 WITH CASCADED CHECK OPTION;",
                "COMMENT ON VIEW public.v IS 'positive stock';",
                "COMMENT ON COLUMN public.v.qty IS 'how many';"
            ),
        },
        Case {
            name: "a column a view reads is retyped",
            before: with_table!("CREATE VIEW public.v AS SELECT id, qty FROM public.t;"),
            after: concat!(
                "CREATE TABLE public.t (id integer PRIMARY KEY, name text NOT NULL, qty bigint);\n",
                "CREATE VIEW public.v AS SELECT id, qty FROM public.t;"
            ),
        },
        Case {
            name: "a column a view reads is dropped with the view",
            before: with_table!("CREATE VIEW public.v AS SELECT id, qty FROM public.t;"),
            after: "CREATE TABLE public.t (id integer PRIMARY KEY, name text NOT NULL);",
        },
        Case {
            name: "a materialized view with an index",
            before: with_table!(),
            after: with_table!(
                "CREATE MATERIALIZED VIEW public.m WITH (fillfactor = 70) AS SELECT name, sum(qty) AS total FROM public.t GROUP BY name;",
                "CREATE UNIQUE INDEX m_name ON public.m (name);",
                "COMMENT ON MATERIALIZED VIEW public.m IS 'totals';"
            ),
        },
        Case {
            name: "a materialized view's query changes",
            before: with_table!(
                "CREATE MATERIALIZED VIEW public.m AS SELECT name, sum(qty) AS total FROM public.t GROUP BY name;"
            ),
            after: with_table!(
                "CREATE MATERIALIZED VIEW public.m AS SELECT name, max(qty) AS top FROM public.t GROUP BY name;"
            ),
        },
        Case {
            name: "a table and the view over it are dropped",
            before: with_table!("CREATE VIEW public.v AS SELECT id FROM public.t;"),
            after: "",
        },
    ]);
}

#[test]
fn functions_and_procedures() {
    check_round_trips(&[
        Case {
            name: "a function a default calls",
            before: "",
            after: concat!(
                "CREATE FUNCTION public.next_code() RETURNS text LANGUAGE sql AS $$ SELECT 'c' || floor(random() * 1000)::text $$;\n",
                "CREATE TABLE public.t (id integer PRIMARY KEY, code text DEFAULT public.next_code());"
            ),
        },
        Case {
            name: "a function's body changes in place",
            before: "CREATE FUNCTION public.add(a integer, b integer) RETURNS integer LANGUAGE sql IMMUTABLE AS $$ SELECT a + b $$;",
            after: "CREATE FUNCTION public.add(a integer, b integer) RETURNS integer LANGUAGE sql IMMUTABLE AS $$ SELECT a + b + 0 $$; COMMENT ON FUNCTION public.add(integer, integer) IS 'sum';",
        },
        Case {
            name: "a function's result type changes",
            before: "CREATE FUNCTION public.f(x integer) RETURNS integer LANGUAGE sql AS $$ SELECT x $$;",
            after: "CREATE FUNCTION public.f(x integer) RETURNS bigint LANGUAGE sql AS $$ SELECT x::bigint $$;",
        },
        Case {
            name: "overloads are told apart by their arguments",
            before: "CREATE FUNCTION public.f(x integer) RETURNS integer LANGUAGE sql AS $$ SELECT x $$;",
            after: concat!(
                "CREATE FUNCTION public.f(x integer) RETURNS integer LANGUAGE sql AS $$ SELECT x $$;\n",
                "CREATE FUNCTION public.f(x text) RETURNS text LANGUAGE sql AS $$ SELECT x $$;"
            ),
        },
        Case {
            name: "a function that a view uses changes its signature",
            before: with_table!(
                "CREATE FUNCTION public.label(n text) RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT upper(n) $$;",
                "CREATE VIEW public.v AS SELECT id, public.label(name) AS label FROM public.t;"
            ),
            after: with_table!(
                "CREATE FUNCTION public.label(n text) RETURNS varchar LANGUAGE sql IMMUTABLE AS $$ SELECT upper(n) $$;",
                "CREATE VIEW public.v AS SELECT id, public.label(name) AS label FROM public.t;"
            ),
        },
        Case {
            name: "a procedure",
            before: with_table!(),
            after: with_table!(
                "CREATE PROCEDURE public.restock(n integer) LANGUAGE plpgsql AS $$ BEGIN UPDATE public.t SET qty = qty + n; END $$;"
            ),
        },
        Case {
            name: "a function returning rows of a table",
            before: with_table!(),
            after: with_table!(
                "CREATE FUNCTION public.in_stock() RETURNS SETOF public.t LANGUAGE sql STABLE AS $$ SELECT * FROM public.t WHERE qty > 0 $$;"
            ),
        },
    ]);
}

#[test]
fn triggers() {
    check_round_trips(&[
        Case {
            name: "a trigger and its function",
            before: with_table!(),
            after: with_table!(
                "CREATE FUNCTION public.touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.qty := coalesce(NEW.qty, 0); RETURN NEW; END $$;",
                "CREATE TRIGGER t_touch BEFORE INSERT OR UPDATE ON public.t FOR EACH ROW EXECUTE FUNCTION public.touch();",
                "COMMENT ON TRIGGER t_touch ON public.t IS 'no NULL stock';"
            ),
        },
        Case {
            name: "a trigger's events change",
            before: with_table!(
                "CREATE FUNCTION public.touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;",
                "CREATE TRIGGER t_touch BEFORE INSERT ON public.t FOR EACH ROW EXECUTE FUNCTION public.touch();"
            ),
            after: with_table!(
                "CREATE FUNCTION public.touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;",
                "CREATE TRIGGER t_touch BEFORE INSERT OR UPDATE OF qty ON public.t FOR EACH ROW WHEN (NEW.qty IS NOT NULL) EXECUTE FUNCTION public.touch();"
            ),
        },
        Case {
            name: "a disabled trigger",
            before: with_table!(
                "CREATE FUNCTION public.touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;",
                "CREATE TRIGGER t_touch BEFORE INSERT ON public.t FOR EACH ROW EXECUTE FUNCTION public.touch();"
            ),
            after: with_table!(
                "CREATE FUNCTION public.touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;",
                "CREATE TRIGGER t_touch BEFORE INSERT ON public.t FOR EACH ROW EXECUTE FUNCTION public.touch();",
                "ALTER TABLE public.t DISABLE TRIGGER t_touch;"
            ),
        },
        Case {
            name: "two tables have triggers of the same name",
            before: "",
            after: concat!(
                "CREATE TABLE public.a (id integer); CREATE TABLE public.b (id integer);\n",
                "CREATE FUNCTION public.touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;\n",
                "CREATE TRIGGER audit AFTER INSERT ON public.a FOR EACH ROW EXECUTE FUNCTION public.touch();\n",
                "CREATE TRIGGER audit AFTER INSERT ON public.b FOR EACH ROW EXECUTE FUNCTION public.touch();"
            ),
        },
    ]);
}

#[test]
fn policies() {
    check_round_trips(&[
        Case {
            name: "a policy",
            before: with_table!(),
            after: with_table!(
                "CREATE POLICY positive ON public.t AS RESTRICTIVE FOR SELECT TO PUBLIC USING (qty > 0);",
                "COMMENT ON POLICY positive ON public.t IS 'only stock';"
            ),
        },
        Case {
            name: "a policy's expressions change",
            before: with_table!("CREATE POLICY p ON public.t FOR UPDATE USING (qty > 0);"),
            after: with_table!(
                "CREATE POLICY p ON public.t FOR UPDATE USING (qty > 1) WITH CHECK (qty < 100);"
            ),
        },
        Case {
            name: "a column a policy reads is dropped and another added",
            before: with_table!("CREATE POLICY p ON public.t USING (qty > 0);"),
            after: concat!(
                "CREATE TABLE public.t (id integer PRIMARY KEY, name text NOT NULL, stock integer);\n",
                "CREATE POLICY p ON public.t USING (stock > 0);"
            ),
        },
    ]);
}

#[test]
fn domains_and_composite_types() {
    check_round_trips(&[
        Case {
            name: "a domain a column uses",
            before: "",
            after: concat!(
                "CREATE DOMAIN public.positive AS integer DEFAULT 1 NOT NULL CONSTRAINT positive_check CHECK (VALUE > 0);\n",
                "COMMENT ON DOMAIN public.positive IS 'above zero';\n",
                "CREATE TABLE public.t (id integer PRIMARY KEY, qty public.positive);"
            ),
        },
        Case {
            name: "a domain's default, NOT NULL and check change in place",
            before: concat!(
                "CREATE DOMAIN public.positive AS integer DEFAULT 1 CONSTRAINT positive_check CHECK (VALUE > 0);\n",
                "CREATE TABLE public.t (id integer PRIMARY KEY, qty public.positive);"
            ),
            after: concat!(
                "CREATE DOMAIN public.positive AS integer NOT NULL CONSTRAINT positive_check CHECK (VALUE >= 0) CONSTRAINT small CHECK (VALUE < 1000);\n",
                "CREATE TABLE public.t (id integer PRIMARY KEY, qty public.positive);"
            ),
        },
        Case {
            name: "a domain over an enum",
            before: "",
            after: concat!(
                "CREATE TYPE public.mood AS ENUM ('sad', 'ok');\n",
                "CREATE DOMAIN public.known_mood AS public.mood CHECK (VALUE IS NOT NULL);"
            ),
        },
        Case {
            name: "a composite type a column and a domain use",
            before: "",
            after: concat!(
                "CREATE TYPE public.money_amount AS (amount numeric(12,2), currency text COLLATE \"C\");\n",
                "COMMENT ON TYPE public.money_amount IS 'an amount';\n",
                "CREATE DOMAIN public.price AS public.money_amount;\n",
                "CREATE TABLE public.t (id integer PRIMARY KEY, total public.money_amount, p public.price);"
            ),
        },
        Case {
            name: "a composite type no column uses changes",
            before: "CREATE TYPE public.pair AS (a integer, b integer);",
            after: "CREATE TYPE public.pair AS (a integer, b bigint, c text);",
        },
    ]);
}

#[test]
fn extensions() {
    check_round_trips(&[
        Case {
            name: "an extension a column uses",
            before: "",
            after: concat!(
                "CREATE EXTENSION IF NOT EXISTS citext WITH SCHEMA public;\n",
                "CREATE TABLE public.users (id integer PRIMARY KEY, email public.citext);"
            ),
        },
        Case {
            name: "an extension in a schema of its own",
            before: "",
            after: concat!(
                "CREATE SCHEMA ext;\n",
                "CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA ext;\n",
                "CREATE TABLE public.t (id integer PRIMARY KEY, name text);\n",
                "CREATE INDEX t_name_trgm ON public.t USING gin (name ext.gin_trgm_ops);"
            ),
        },
    ]);
}

/// Models cannot declare views, triggers or policies: `check` and `-m` leave the database's
/// as they are (never a drop because the models are silent), and a model change that
/// PostgreSQL refuses under a view (a column's type) drops and recreates the view around it.
#[test]
fn models_leave_objects_alone_and_carry_them_through_a_retype() {
    use crate::support::pg::dump_lines;
    use crate::support::scenario::Scenario;

    let db = autogen_testkit::postgres();
    let scenario = Scenario::new(db.url());
    let item = |qty: &str| {
        format!(
            "#[derive(autogen::Model)]\n#[autogen(table = \"items\")]\nstruct Item {{\n    \
             #[autogen(primary_key, identity = false)]\n    id: i64,\n    name: String,\n    \
             qty: {qty},\n}}\n"
        )
    };
    scenario.models(&item("i32"));
    scenario.ok(&[&["-m", "items"], &["upgrade"]]);
    db.execute(
        "INSERT INTO items VALUES (1, 'a', 5), (2, 'b', 0);
         CREATE VIEW in_stock AS SELECT id, name, qty FROM items WHERE qty > 0;
         CREATE VIEW names AS SELECT name FROM in_stock;
         CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
         CREATE TRIGGER items_touch BEFORE UPDATE ON items FOR EACH ROW EXECUTE FUNCTION touch();
         CREATE POLICY positive ON items USING (qty >= 0);",
    );
    let before = dump_lines(db.url()).expect("pg_dump");
    let (code, out) = scenario.autogen(&["check"]);
    assert_eq!(
        code, 0,
        "check proposes something for objects the models cannot say:\n{out}"
    );
    scenario.settled();

    scenario.models(&item("i64"));
    scenario.ok(&[&["-m", "wider qty"], &["upgrade"], &["check"]]);
    let after = dump_lines(db.url()).expect("pg_dump");
    let kept =
        |line: &str| line.contains("VIEW") || line.contains("TRIGGER") || line.contains("POLICY");
    assert_eq!(
        before.iter().filter(|l| kept(l)).collect::<Vec<_>>(),
        after.iter().filter(|l| kept(l)).collect::<Vec<_>>(),
        "the views, trigger and policy are not as they were"
    );
    assert!(
        after.iter().any(|l| l.trim() == "qty bigint NOT NULL"),
        "{after:#?}"
    );
    assert_eq!(
        db.query("SELECT name FROM names ORDER BY 1"),
        vec![vec![Some("a".to_owned())]]
    );
    scenario.ok(&[&["downgrade"]]);
    assert_eq!(
        dump_lines(db.url()).expect("pg_dump"),
        before,
        "the down does not restore"
    );
}

#[test]
fn privileges() {
    crate::support::pg::ensure_roles("CREATE ROLE autogen_reader;\nCREATE ROLE \"Auditor\";");
    check_round_trips(&[
        Case {
            name: "privileges are granted",
            before: with_table!(),
            after: with_table!(
                "GRANT SELECT, INSERT ON public.t TO autogen_reader;",
                "GRANT SELECT ON public.t TO \"Auditor\" WITH GRANT OPTION;",
                "GRANT UPDATE ON public.t TO \"Auditor\";",
                "GRANT SELECT ON public.t TO PUBLIC;"
            ),
        },
        Case {
            name: "a privilege is revoked and another changes its grant option",
            before: with_table!(
                "GRANT SELECT, INSERT ON public.t TO autogen_reader;",
                "GRANT SELECT ON public.t TO \"Auditor\" WITH GRANT OPTION;"
            ),
            after: with_table!(
                "GRANT SELECT ON public.t TO autogen_reader;",
                "GRANT SELECT ON public.t TO \"Auditor\";"
            ),
        },
        Case {
            name: "a privilege on a view",
            before: with_table!("CREATE VIEW public.v AS SELECT id FROM public.t;"),
            after: with_table!(
                "CREATE VIEW public.v AS SELECT id FROM public.t;",
                "GRANT SELECT ON public.v TO autogen_reader;"
            ),
        },
    ]);
}
