//! PostgreSQL objects beyond tables (views, materialized views, functions, procedures,
//! triggers, policies, domains, composite types, extensions): each kind created, altered and
//! dropped, up and down, on real PostgreSQL, judged by `pg_dump -s` as well as by autogen's
//! introspection. A case from an empty schema creates the object and, coming down, drops it.

use crate::support::pg::{Case, check_round_trips};

const TABLE: &str =
    "CREATE TABLE public.t (id integer PRIMARY KEY, name text NOT NULL, qty integer);";

#[test]
fn views_round_trip() {
    check_round_trips(&[Case {
        name: "a view is created",
        before: TABLE,
        after: concat!(
            "CREATE TABLE public.t (id integer PRIMARY KEY, name text NOT NULL, qty integer);",
            "CREATE VIEW public.v AS SELECT id, name FROM public.t WHERE qty > 0;"
        ),
    }]);
}
