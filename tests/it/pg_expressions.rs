//! Expressions PostgreSQL prints in a form that does not print back the same: a check or index
//! predicate `c IN ('a', 'b')` over a `varchar` column. Created by a migration from the printed
//! text, it prints with the casts moved onto the array's elements; the round trip must still find
//! nothing to do after the up, and the down must restore the original (judged by `pg_dump -s`).

use crate::support::pg::{Case, check_round_trips};

#[test]
fn in_lists_over_varchar_round_trip() {
    check_round_trips(&[
        Case {
            name: "a check with IN over varchar is added",
            before: "CREATE TABLE public.t (id integer PRIMARY KEY, c varchar(10));",
            after: "CREATE TABLE public.t (id integer PRIMARY KEY, c varchar(10), CONSTRAINT t_c_check CHECK (c IN ('a', 'b')));",
        },
        Case {
            name: "a check with IN over varchar is dropped",
            before: "CREATE TABLE public.t (id integer PRIMARY KEY, c varchar(10) CHECK (c NOT IN ('x', 'it''s')));",
            after: "CREATE TABLE public.t (id integer PRIMARY KEY, c varchar(10));",
        },
        Case {
            name: "a partial index with IN over varchar is added",
            before: "CREATE TABLE public.t (id integer PRIMARY KEY, c varchar(10));",
            after: "CREATE TABLE public.t (id integer PRIMARY KEY, c varchar(10)); CREATE INDEX t_c ON public.t (id) WHERE c IN ('a', 'b');",
        },
        Case {
            name: "a table with such a check is created next to one that keeps it",
            before: "CREATE TABLE public.a (c varchar CHECK (c IN ('p', 'q')));",
            after: "CREATE TABLE public.a (c varchar CHECK (c IN ('p', 'q'))); CREATE TABLE public.b (c varchar CHECK (c IN ('p', 'q')));",
        },
    ]);
}
