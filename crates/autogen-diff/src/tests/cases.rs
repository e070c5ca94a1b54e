use insta::assert_snapshot;

use super::check;

const USERS: &str = "
table users
  id bigint; not null; identity
  email varchar(200); not null
  name text
  pk users_pkey (id)
  unique users_email_key (email)
";

#[test]
fn nothing_to_do() {
    assert_snapshot!(check(USERS, USERS), @"(no changes)");
}

#[test]
fn create_table_with_constraints_and_indexes() {
    assert_snapshot!(check("", "
table users; comment People
  id bigint; not null; identity always
  email varchar(200); not null; collate C
  name text; default 'anon'::text; comment Display name
  age integer
  pk users_pkey (id)
  unique users_email_key (email)
  check users_age_check (age >= 0)
  index users_name_idx ((lower(name)) desc nulls last, age); where (age > 18); include (email)
"), @"create table public.users (id bigint not null identity Always, email character varying(200) not null collate C, name text default 'anon'::text comment 'Display name', age integer) pk users_pkey (id) unique users_email_key (email) check users_age_check (age >= 0) index users_name_idx ((lower(name)) desc nulls last, age) include (email) where (age > 18) comment 'People'");
}

#[test]
fn drop_table() {
    assert_snapshot!(check(USERS, ""), @r"
        drop table public.users (id bigint not null identity ByDefault, email character varying(200) not null, name text) pk users_pkey (id) unique users_email_key (email)
            ! DataLoss public.users: drops the table and every row in it
        irreversible
        ");
}

#[test]
fn column_order_is_not_a_difference() {
    assert_snapshot!(check("
table t
  a integer
  b text
  c boolean
", "
table t
  c boolean
  a integer
  b text
"), @"(no changes)");
}

#[test]
fn new_columns_are_appended_and_dropped_columns_go() {
    assert_snapshot!(check("
table t
  a integer
  b text
", "
table t
  z text
  a integer
  y integer; not null; default 0
  x integer; not null
"), @r"
        add column public.t.z text
        add column public.t.y integer not null default 0
        add column public.t.x integer not null
            ! MayFailOnExistingRows public.t.x: adds a NOT NULL column without a default: existing rows need a backfill
        drop column public.t.b text
            ! DataLoss public.t.b: drops the column and every value in it
        hint: column public.t.b -> z may be a rename
        irreversible
        ");
}

#[test]
fn alter_every_column_attribute() {
    assert_snapshot!(check("
table t
  ty varchar(50)
  nul text
  def text; default 'a'::text
  ident integer; not null
  gen integer
  coll text
  com text; comment old
", "
table t
  ty varchar(100)
  nul text; not null
  def text; default 'b'::text
  ident integer; not null; identity
  gen integer; generated (ident * 2)
  coll text; collate C
  com text; comment new
"), @r"
        alter column public.t.ty: type character varying(50) -> character varying(100)
        alter column public.t.nul: null -> not null
            ! MayFailOnExistingRows public.t.nul: sets NOT NULL: fails if any row holds NULL
            ! LocksTable public.t: ACCESS EXCLUSIVE lock: blocks reads and writes while every row is scanned for NULL
        alter column public.t.def: default ''a'::text' -> ''b'::text'
        alter column public.t.ident: identity NULL -> 'ByDefault'
        alter column public.t.coll: collate NULL -> 'C'
        alter column public.t.com: comment 'old' -> 'new'
        drop column public.t.gen integer
            ! DataLoss public.t.gen: drops the column and every value in it
        add column public.t.gen integer generated (ident * 2)
        irreversible
        ");
}

#[test]
fn widening_types_is_not_data_loss() {
    assert_snapshot!(check("
table t
  a varchar(50)
  b varchar(50)
  c integer
  d numeric(10,2)
  e timestamp(3)
", "
table t
  a varchar(100)
  b text
  c bigint
  d numeric(12,2)
  e timestamp
"), @r"
        alter column public.t.a: type character varying(50) -> character varying(100)
        alter column public.t.b: type character varying(50) -> text
        alter column public.t.c: type integer -> bigint
            ! LocksTable public.t: ACCESS EXCLUSIVE lock: blocks reads and writes while the table is rewritten to change c to bigint
        alter column public.t.d: type numeric(10,2) -> numeric(12,2)
        alter column public.t.e: type timestamp(3) without time zone -> timestamp without time zone
        ");
}

#[test]
fn narrowing_types_is_data_loss() {
    assert_snapshot!(check("
table t
  a varchar(100)
  b bigint
  c text
  d numeric(12,4)
", "
table t
  a varchar(50)
  b integer
  c integer
  d numeric(10,2)
"), @"
    alter column public.t.a: type character varying(100) -> character varying(50)
        ! DataLoss public.t.a: changes the type from character varying(100) to character varying(50), which holds less than the old type
        ! MayFailOnExistingRows public.t.a: casts character varying(100) to character varying(50): fails on any value the new type cannot hold
        ! LocksTable public.t: ACCESS EXCLUSIVE lock: blocks reads and writes while the table is rewritten to change a to character varying(50)
    alter column public.t.b: type bigint -> integer
        ! DataLoss public.t.b: changes the type from bigint to integer, which holds less than the old type
        ! MayFailOnExistingRows public.t.b: casts bigint to integer: fails on any value the new type cannot hold
        ! LocksTable public.t: ACCESS EXCLUSIVE lock: blocks reads and writes while the table is rewritten to change b to integer
    alter column public.t.c: type text -> integer
        ! MayFailOnExistingRows public.t.c: casts text to integer: fails on any value the new type cannot hold
        ! LocksTable public.t: ACCESS EXCLUSIVE lock: blocks reads and writes while the table is rewritten to change c to integer
    alter column public.t.d: type numeric(12,4) -> numeric(10,2)
        ! DataLoss public.t.d: changes the type from numeric(12,4) to numeric(10,2), which holds less than the old type
        ! MayFailOnExistingRows public.t.d: casts numeric(12,4) to numeric(10,2): fails on any value the new type cannot hold
        ! LocksTable public.t: ACCESS EXCLUSIVE lock: blocks reads and writes while the table is rewritten to change d to numeric(10,2)
    irreversible
    ");
}

#[test]
fn primary_key_change_recreates_the_foreign_keys_that_use_it() {
    assert_snapshot!(check("
table a
  id integer; not null
  code text; not null
  pk a_pkey (id)
table b
  a_id integer
  fk b_a_id_fkey (a_id) -> a (id)
", "
table a
  id integer; not null
  code text; not null
  pk a_pkey (code, id)
  unique a_id_key (id)
table b
  a_id integer
  fk b_a_id_fkey (a_id) -> a (id)
"), @r"
        drop fk public.b b_a_id_fkey (a_id) -> public.a (id)
        drop primary key public.a a_pkey (id)
        add primary key public.a a_pkey (code, id)
            ! MayFailOnExistingRows public.a: adds primary key a_pkey: fails on duplicate or NULL keys
            ! LocksTable public.a: ACCESS EXCLUSIVE lock: blocks reads and writes while the unique index is built
        add unique public.a a_id_key (id)
            ! MayFailOnExistingRows public.a: adds unique constraint a_id_key: fails on duplicates
            ! LocksTable public.a: ACCESS EXCLUSIVE lock: blocks reads and writes while the unique index is built
        add fk public.b b_a_id_fkey (a_id) -> public.a (id)
            ! MayFailOnExistingRows public.b: adds foreign key b_a_id_fkey: fails if any row has no match in public.a
            ! LocksTable public.b: SHARE ROW EXCLUSIVE lock on it and the referenced table: blocks writes to both while every row is checked
        ");
}

#[test]
fn constraints_are_compared_by_whole_definition() {
    assert_snapshot!(check("
table u
  id integer; not null
  pk u_pkey (id)
table t
  a integer
  b integer
  u integer
  unique t_a_key (a)
  check t_a_check (a > 0)
  check t_b_check (b > 0)
  fk t_u_fkey (u) -> u (id)
", "
table u
  id integer; not null
  pk u_pkey (id)
table t
  a integer
  b integer
  u integer
  unique t_a_key (a, b)
  check t_a_check (a > 1)
  check t_b_check (b > 0)
  check t_ab_check (a < b)
  fk t_u_fkey (u) -> u (id); on delete cascade
"), @r"
        drop fk public.t t_u_fkey (u) -> public.u (id)
        drop unique public.t t_a_key (a)
        drop check public.t t_a_check (a > 0)
        add unique public.t t_a_key (a, b)
            ! MayFailOnExistingRows public.t: adds unique constraint t_a_key: fails on duplicates
            ! LocksTable public.t: ACCESS EXCLUSIVE lock: blocks reads and writes while the unique index is built
        add check public.t t_a_check (a > 1)
            ! MayFailOnExistingRows public.t: adds check t_a_check: fails if any row violates it
            ! LocksTable public.t: ACCESS EXCLUSIVE lock: blocks reads and writes while every row is checked
        add check public.t t_ab_check (a < b)
            ! MayFailOnExistingRows public.t: adds check t_ab_check: fails if any row violates it
            ! LocksTable public.t: ACCESS EXCLUSIVE lock: blocks reads and writes while every row is checked
        add fk public.t t_u_fkey (u) -> public.u (id) on delete CASCADE
            ! MayFailOnExistingRows public.t: adds foreign key t_u_fkey: fails if any row has no match in public.u
            ! LocksTable public.t: SHARE ROW EXCLUSIVE lock on it and the referenced table: blocks writes to both while every row is checked
        ");
}

#[test]
fn foreign_key_differences() {
    assert_snapshot!(check("
table u
  id integer; not null
  pk u_pkey (id)
table t
  a integer
  b integer
  c integer
  d integer
  fk t_a_fkey (a) -> u (id)
  fk t_b_fkey (b) -> u (id)
  fk t_c_fkey (c) -> u (id)
  fk t_d_fkey (d) -> u (id); on update cascade
", "
table u
  id integer; not null
  pk u_pkey (id)
table t
  a integer
  b integer
  c integer
  d integer
  fk t_a_fkey (a) -> u (id); deferrable
  fk t_b_fkey (b) -> u (id); match full
  fk t_c_fkey (c) -> u (id)
  fk t_d_fkey (d) -> u (id); on update set null
"), @r"
        drop fk public.t t_a_fkey (a) -> public.u (id)
        drop fk public.t t_b_fkey (b) -> public.u (id)
        drop fk public.t t_d_fkey (d) -> public.u (id) on update CASCADE
        add fk public.t t_a_fkey (a) -> public.u (id) DEFERRABLE INITIALLY DEFERRED
            ! MayFailOnExistingRows public.t: adds foreign key t_a_fkey: fails if any row has no match in public.u
            ! LocksTable public.t: SHARE ROW EXCLUSIVE lock on it and the referenced table: blocks writes to both while every row is checked
        add fk public.t t_b_fkey (b) -> public.u (id) match Full
            ! MayFailOnExistingRows public.t: adds foreign key t_b_fkey: fails if any row has no match in public.u
            ! LocksTable public.t: SHARE ROW EXCLUSIVE lock on it and the referenced table: blocks writes to both while every row is checked
        add fk public.t t_d_fkey (d) -> public.u (id) on update SET NULL
            ! MayFailOnExistingRows public.t: adds foreign key t_d_fkey: fails if any row has no match in public.u
            ! LocksTable public.t: SHARE ROW EXCLUSIVE lock on it and the referenced table: blocks writes to both while every row is checked
        ");
}

#[test]
fn every_index_difference_is_drop_and_create() {
    assert_snapshot!(check("
table t
  a integer
  b integer
  c text
  index keys (a)
  index expr ((lower(c)))
  index ord (a)
  index uniq (a)
  index pred (a); where (a > 0)
  index meth (c)
  index incl (a)
  index nulls (a); unique
  index nord (a)
  index same (a, b)
", "
table t
  a integer
  b integer
  c text
  index keys (a, b)
  index expr ((upper(c)))
  index ord (a desc)
  index uniq (a); unique
  index pred (a); where (a > 1)
  index meth (c); using hash
  index incl (a); include (b)
  index nulls (a); unique; nulls not distinct
  index nord (a nulls first)
  index same (a, b)
"), @r"
        drop index public.t expr ((lower(c)))
        drop index public.t incl (a)
        drop index public.t keys (a)
        drop index public.t meth (c)
        drop index public.t nord (a)
        drop index public.t unique nulls (a)
        drop index public.t ord (a)
        drop index public.t pred (a) where (a > 0)
        drop index public.t uniq (a)
        create index public.t expr ((upper(c)))
            ! LocksTable public.t: SHARE lock: blocks writes (reads continue) for the whole index build
        create index public.t incl (a) include (b)
            ! LocksTable public.t: SHARE lock: blocks writes (reads continue) for the whole index build
        create index public.t keys (a, b)
            ! LocksTable public.t: SHARE lock: blocks writes (reads continue) for the whole index build
        create index public.t meth (c) using hash
            ! LocksTable public.t: SHARE lock: blocks writes (reads continue) for the whole index build
        create index public.t nord (a nulls first)
            ! LocksTable public.t: SHARE lock: blocks writes (reads continue) for the whole index build
        create index public.t unique nulls (a) nulls not distinct
            ! MayFailOnExistingRows public.t: creates unique index nulls: fails on duplicates
            ! LocksTable public.t: SHARE lock: blocks writes (reads continue) for the whole index build
        create index public.t ord (a desc)
            ! LocksTable public.t: SHARE lock: blocks writes (reads continue) for the whole index build
        create index public.t pred (a) where (a > 1)
            ! LocksTable public.t: SHARE lock: blocks writes (reads continue) for the whole index build
        create index public.t unique uniq (a)
            ! MayFailOnExistingRows public.t: creates unique index uniq: fails on duplicates
            ! LocksTable public.t: SHARE lock: blocks writes (reads continue) for the whole index build
        ");
}

#[test]
fn foreign_key_cycle_and_self_reference_are_created_after_the_tables() {
    assert_snapshot!(check("", "
table a
  id integer; not null
  b_id integer
  parent integer
  pk a_pkey (id)
  fk a_b_fkey (b_id) -> b (id)
  fk a_parent_fkey (parent) -> a (id)
table b
  id integer; not null
  a_id integer
  pk b_pkey (id)
  fk b_a_fkey (a_id) -> a (id)
"), @r"
        create table public.a (id integer not null, b_id integer, parent integer) pk a_pkey (id)
        create table public.b (id integer not null, a_id integer) pk b_pkey (id)
        add fk public.a a_b_fkey (b_id) -> public.b (id)
        add fk public.a a_parent_fkey (parent) -> public.a (id)
        add fk public.b b_a_fkey (a_id) -> public.a (id)
        ");
}

#[test]
fn foreign_key_cycle_is_dropped_before_the_tables() {
    assert_snapshot!(check("
table a
  id integer; not null
  b_id integer
  pk a_pkey (id)
  fk a_b_fkey (b_id) -> b (id)
table b
  id integer; not null
  a_id integer
  pk b_pkey (id)
  fk b_a_fkey (a_id) -> a (id)
table c
  id integer
", "
table c
  id integer
"), @r"
        drop fk public.a a_b_fkey (b_id) -> public.b (id)
        drop fk public.b b_a_fkey (a_id) -> public.a (id)
        drop table public.a (id integer not null, b_id integer) pk a_pkey (id)
            ! DataLoss public.a: drops the table and every row in it
        drop table public.b (id integer not null, a_id integer) pk b_pkey (id)
            ! DataLoss public.b: drops the table and every row in it
        irreversible
        ");
}

#[test]
fn foreign_key_into_a_new_table_of_an_old_one() {
    assert_snapshot!(check("
table orders
  id integer; not null
  pk orders_pkey (id)
", "
table customers
  id integer; not null
  pk customers_pkey (id)
table orders
  id integer; not null
  customer_id integer; not null
  pk orders_pkey (id)
  index orders_customer_id_idx (customer_id)
  fk orders_customer_id_fkey (customer_id) -> customers (id); on delete cascade
"), @r"
        create table public.customers (id integer not null) pk customers_pkey (id)
        add column public.orders.customer_id integer not null
            ! MayFailOnExistingRows public.orders.customer_id: adds a NOT NULL column without a default: existing rows need a backfill
        create index public.orders orders_customer_id_idx (customer_id)
            ! LocksTable public.orders: SHARE lock: blocks writes (reads continue) for the whole index build
        add fk public.orders orders_customer_id_fkey (customer_id) -> public.customers (id) on delete CASCADE
            ! MayFailOnExistingRows public.orders: adds foreign key orders_customer_id_fkey: fails if any row has no match in public.customers
            ! LocksTable public.orders: SHARE ROW EXCLUSIVE lock on it and the referenced table: blocks writes to both while every row is checked
        ");
}

#[test]
fn retyped_columns_recreate_the_foreign_keys_over_them() {
    assert_snapshot!(check("
table users
  id integer; not null
  pk users_pkey (id)
table posts
  user_id integer
  fk posts_user_id_fkey (user_id) -> users (id)
  index posts_user_id_idx (user_id)
", "
table users
  id bigint; not null
  pk users_pkey (id)
table posts
  user_id bigint
  fk posts_user_id_fkey (user_id) -> users (id)
  index posts_user_id_idx (user_id)
"), @r"
        drop fk public.posts posts_user_id_fkey (user_id) -> public.users (id)
        alter column public.posts.user_id: type integer -> bigint
            ! LocksTable public.posts: ACCESS EXCLUSIVE lock: blocks reads and writes while the table is rewritten to change user_id to bigint
        alter column public.users.id: type integer -> bigint
            ! LocksTable public.users: ACCESS EXCLUSIVE lock: blocks reads and writes while the table is rewritten to change id to bigint
        add fk public.posts posts_user_id_fkey (user_id) -> public.users (id)
            ! MayFailOnExistingRows public.posts: adds foreign key posts_user_id_fkey: fails if any row has no match in public.users
            ! LocksTable public.posts: SHARE ROW EXCLUSIVE lock on it and the referenced table: blocks writes to both while every row is checked
        ");
}

#[test]
fn enum_created_before_and_dropped_after_its_columns() {
    assert_snapshot!(check("
table t
  id integer
", "
enum mood: sad, ok, happy
table t
  id integer
  mood @mood; not null; default 'ok'::mood
table u
  moods @mood[]
"), @r#"
        create enum public.mood (sad, ok, happy)
        create table public.u (moods "public"."mood"[])
        add column public.t.mood "public"."mood" not null default 'ok'::mood
        "#);
    assert_snapshot!(check("
enum mood: sad, ok, happy
table t
  id integer
  mood @mood
table u
  moods @mood[]
", "
table t
  id integer
"), @r#"
        drop column public.t.mood "public"."mood"
            ! DataLoss public.t.mood: drops the column and every value in it
        drop table public.u (moods "public"."mood"[])
            ! DataLoss public.u: drops the table and every row in it
        drop enum public.mood (sad, ok, happy)
        irreversible
        "#);
}

#[test]
fn enum_values_added_in_the_middle_at_the_end_and_at_the_start() {
    assert_snapshot!(check("
enum status: pending, done
table t
  s @status
", "
enum status: new, pending, active, paused, done, archived
table t
  s @status
"), @r"
        add value 'new' before 'pending' to public.status: (pending, done) -> (new, pending, done) [columns: public.t.s]
        add value 'active' after 'pending' to public.status: (new, pending, done) -> (new, pending, active, done) [columns: public.t.s]
        add value 'paused' after 'active' to public.status: (new, pending, active, done) -> (new, pending, active, paused, done) [columns: public.t.s]
        add value 'archived' after 'done' to public.status: (new, pending, active, paused, done) -> (new, pending, active, paused, done, archived) [columns: public.t.s]
        ");
}

#[test]
fn enum_values_added_to_an_empty_enum() {
    assert_snapshot!(check("
enum e:
", "
enum e: a, b
"), @r"
        add value 'a' at the end to public.e: () -> (a)
        add value 'b' after 'a' to public.e: (a) -> (a, b)
        ");
}

#[test]
fn removing_or_reordering_enum_values_rebuilds_it() {
    assert_snapshot!(check("
enum status: pending, active, done
table t
  s @status; default 'pending'::status
  gone @status
  moved @status
table u
  ss @status[]
table v
  s @status
", "
enum status: pending, done
table t
  s @status; default 'pending'::status
  later @status
  moved text
table u
  ss @status[]
"), @r#"
        alter column public.t.moved: type "public"."status" -> text
            ! LocksTable public.t: ACCESS EXCLUSIVE lock: blocks reads and writes while the table is rewritten to change moved to text
        drop column public.t.gone "public"."status"
            ! DataLoss public.t.gone: drops the column and every value in it
        drop table public.v (s "public"."status")
            ! DataLoss public.v: drops the table and every row in it
        rebuild enum public.status: (pending, active, done) -> (pending, done) [columns: public.t.s, public.u.ss]
            ! DataLoss public.status: removes label(s) 'active'
            ! MayFailOnExistingRows public.status: fails if any row holds 'active'
            ! LocksTable public.t: ACCESS EXCLUSIVE lock: blocks reads and writes while the table is rewritten to cast its columns to the rebuilt type
            ! LocksTable public.u: ACCESS EXCLUSIVE lock: blocks reads and writes while the table is rewritten to cast its columns to the rebuilt type
        add column public.t.later "public"."status"
        hint: column public.t.gone -> later may be a rename
        irreversible
        "#);
    assert_snapshot!(check("
enum status: a, b, c
", "
enum status: c, b, a
"), @"rebuild enum public.status: (a, b, c) -> (c, b, a)");
}

#[test]
fn enum_column_altered_after_the_rebuild_sees_the_new_labels() {
    assert_snapshot!(check("
enum status: a, b, c
table t
  s @status; default 'a'::status
", "
enum status: a, c, d
table t
  s @status; not null; default 'd'::status
"), @r"
        alter column public.t.s: default ''a'::status' -> NULL
        rebuild enum public.status: (a, b, c) -> (a, c, d) [columns: public.t.s]
            ! DataLoss public.status: removes label(s) 'b'
            ! MayFailOnExistingRows public.status: fails if any row holds 'b'
            ! LocksTable public.t: ACCESS EXCLUSIVE lock: blocks reads and writes while the table is rewritten to cast its columns to the rebuilt type
        alter column public.t.s: null -> not null, default NULL -> ''d'::status'
            ! LocksTable public.t: ACCESS EXCLUSIVE lock: blocks reads and writes while every row is scanned for NULL
            ! Irreversible public.t.s: sets NOT NULL: rows holding NULL get the default, and keep it when reverted
        irreversible
        ");
}

/// A default dropped and a label added: dropping the default runs on the labels as they were
/// (before the new one), so the label change carries the column without its default (found by
/// the property tests: the simulator refused the plan, "columns typed with public.mood ..").
#[test]
fn enum_value_added_after_a_default_is_dropped() {
    assert_snapshot!(check("
enum mood: happy
table t
  m @mood; not null; default 'happy'::mood
", "
enum mood: happy, meh
table t
  m @mood; not null
"), @r"
        alter column public.t.m: default ''happy'::mood' -> NULL
        add value 'meh' after 'happy' to public.mood: (happy) -> (happy, meh) [columns: public.t.m]
        ");
}

/// PostgreSQL re-reads a check's or index's text when a column under it is cast, and there
/// `'x'::mood` names the old type: a rebuild detaches what names the enum or its columns, and
/// what the plan changes anyway is dropped before it and added after.
#[test]
fn enum_rebuilt_under_checks_indexes_and_foreign_keys_that_name_it() {
    let table_with = |labels: &str, check: &str, generated: &str| {
        format!(
            "
enum mood: {labels}
table p
  m @mood; not null
  pk p_pkey (m)
table t
  id integer; not null
  m @mood; default 'ok'::mood
  n @mood
  note text
  happy boolean; generated ({generated})
  pk t_pkey (id)
  unique t_happy_key (happy, id)
  check t_m_check ({check})
  check t_note_check (length(note) > 0)
  check t_pair_check (m <> n)
  index t_ok_idx (id); where (m = 'ok'::mood)
  index t_m_idx (m)
  fk t_m_fkey (m) -> p (m)
"
        )
    };
    let table = |labels: &str, check: &str| table_with(labels, check, "m = 'ok'::mood");
    assert_snapshot!(check(
        &table("sad, ok, happy", "m <> 'sad'::mood"),
        &table("ok, happy, sad", "m <> 'happy'::mood"),
    ), @r"
    drop check public.t t_m_check (m <> 'sad'::mood)
    rebuild enum public.mood: (sad, ok, happy) -> (ok, happy, sad) [columns: public.p.m, public.t.m, public.t.n] [detaches: check public.t.t_pair_check, index public.t.t_ok_idx, fk public.t.t_m_fkey, unique public.t.t_happy_key, column public.t.happy]
        ! LocksTable public.p: ACCESS EXCLUSIVE lock: blocks reads and writes while the table is rewritten to cast its columns to the rebuilt type
        ! LocksTable public.t: ACCESS EXCLUSIVE lock: blocks reads and writes while the table is rewritten to cast its columns to the rebuilt type
    add check public.t t_m_check (m <> 'happy'::mood)
        ! MayFailOnExistingRows public.t: adds check t_m_check: fails if any row violates it
        ! LocksTable public.t: ACCESS EXCLUSIVE lock: blocks reads and writes while every row is checked
    ");
    assert_snapshot!(check(
        &table("sad, ok", "m <> 'sad'::mood"),
        &table("sad, ok, happy", "m <> 'sad'::mood"),
    ), @"add value 'happy' after 'ok' to public.mood: (sad, ok) -> (sad, ok, happy) [columns: public.p.m, public.t.m, public.t.n] [detaches: check public.t.t_m_check, check public.t.t_pair_check, index public.t.t_ok_idx, fk public.t.t_m_fkey, unique public.t.t_happy_key, column public.t.happy]");
    // The generated column changes too: it goes before the rebuild and comes back after.
    assert_snapshot!(check(
        &table("sad, ok, happy", "m <> 'sad'::mood"),
        &table_with("ok, happy, sad", "m <> 'sad'::mood", "m <> 'ok'::mood"),
    ), @r"
    drop unique public.t t_happy_key (happy, id)
    drop column public.t.happy boolean generated (m = 'ok'::mood)
    rebuild enum public.mood: (sad, ok, happy) -> (ok, happy, sad) [columns: public.p.m, public.t.m, public.t.n] [detaches: check public.t.t_m_check, check public.t.t_pair_check, index public.t.t_ok_idx, fk public.t.t_m_fkey]
        ! LocksTable public.p: ACCESS EXCLUSIVE lock: blocks reads and writes while the table is rewritten to cast its columns to the rebuilt type
        ! LocksTable public.t: ACCESS EXCLUSIVE lock: blocks reads and writes while the table is rewritten to cast its columns to the rebuilt type
    add column public.t.happy boolean generated (m <> 'ok'::mood)
    add unique public.t t_happy_key (happy, id)
        ! MayFailOnExistingRows public.t: adds unique constraint t_happy_key: fails on duplicates
        ! LocksTable public.t: ACCESS EXCLUSIVE lock: blocks reads and writes while the unique index is built
    ");
}

#[test]
fn enum_value_rename_with_a_hint_and_without() {
    let before = "
enum status: active, inactive
table t
  s @status; default 'inactive'::status
";
    assert_snapshot!(check(before, "
enum status: active, disabled
table t
  s @status; default 'disabled'::status
rename value status inactive -> disabled
"), @"rename value 'inactive' of public.status to 'disabled'");
    assert_snapshot!(check(before, "
enum status: active, disabled
table t
  s @status; default 'disabled'::status
"), @r"
        alter column public.t.s: default ''inactive'::status' -> NULL
        rebuild enum public.status: (active, inactive) -> (active, disabled) [columns: public.t.s]
            ! DataLoss public.status: removes label(s) 'inactive'
            ! MayFailOnExistingRows public.status: fails if any row holds 'inactive'
            ! LocksTable public.t: ACCESS EXCLUSIVE lock: blocks reads and writes while the table is rewritten to cast its columns to the rebuilt type
        alter column public.t.s: default NULL -> ''disabled'::status'
        hint: label public.status 'inactive' -> 'disabled' may be a rename
        irreversible
        ");
}

#[test]
fn enum_comment() {
    assert_snapshot!(check("
enum e: a; comment old
", "
enum e: a, b; comment new
"), @r"
        add value 'b' after 'a' to public.e: (a) comment 'old' -> (a, b) comment 'old'
        comment on enum public.e: 'old' -> 'new'
        ");
}

#[test]
fn table_rename_with_a_hint_and_without() {
    let before = "
table people
  id integer; not null
  name text
  pk people_pkey (id)
table pets
  owner integer
  fk pets_owner_fkey (owner) -> people (id)
";
    let after = "
table persons
  id integer; not null
  name text
  pk people_pkey (id)
table pets
  owner integer
  fk pets_owner_fkey (owner) -> persons (id)
";
    assert_snapshot!(check(before, &format!("{after}\nrename table people -> persons")), @"rename table public.people -> public.persons");
    assert_snapshot!(check(before, after), @r"
        drop fk public.pets pets_owner_fkey (owner) -> public.people (id)
        drop table public.people (id integer not null, name text) pk people_pkey (id)
            ! DataLoss public.people: drops the table and every row in it
        create table public.persons (id integer not null, name text) pk people_pkey (id)
        add fk public.pets pets_owner_fkey (owner) -> public.persons (id)
            ! MayFailOnExistingRows public.pets: adds foreign key pets_owner_fkey: fails if any row has no match in public.persons
            ! LocksTable public.pets: SHARE ROW EXCLUSIVE lock on it and the referenced table: blocks writes to both while every row is checked
        hint: table public.people -> public.persons may be a rename
        irreversible
        ");
}

#[test]
fn column_rename_with_a_hint_and_without() {
    let before = "
table t
  id integer; not null
  priority integer
  pk t_pkey (id)
  index t_priority_idx (priority)
  check t_priority_check (priority > 0)
table u
  t_priority integer
  unique u_key (t_priority)
";
    let after = "
table t
  id integer; not null
  priority_level integer
  pk t_pkey (id)
  index t_priority_idx (priority_level)
  check t_priority_check (priority_level > 0)
table u
  t_priority integer
  unique u_key (t_priority)
";
    assert_snapshot!(check(before, &format!("{after}\nrename column t priority -> priority_level")), @r"
        drop check public.t t_priority_check (priority > 0)
        rename column public.t.priority -> priority_level
        add check public.t t_priority_check (priority_level > 0)
            ! MayFailOnExistingRows public.t: adds check t_priority_check: fails if any row violates it
            ! LocksTable public.t: ACCESS EXCLUSIVE lock: blocks reads and writes while every row is checked
        ");
    assert_snapshot!(check(before, after), @r"
        drop check public.t t_priority_check (priority > 0)
        drop index public.t t_priority_idx (priority)
        add column public.t.priority_level integer
        drop column public.t.priority integer
            ! DataLoss public.t.priority: drops the column and every value in it
        add check public.t t_priority_check (priority_level > 0)
            ! MayFailOnExistingRows public.t: adds check t_priority_check: fails if any row violates it
            ! LocksTable public.t: ACCESS EXCLUSIVE lock: blocks reads and writes while every row is checked
        create index public.t t_priority_idx (priority_level)
            ! LocksTable public.t: SHARE lock: blocks writes (reads continue) for the whole index build
        hint: column public.t.priority -> priority_level may be a rename
        irreversible
        ");
}

#[test]
fn renamed_table_and_column_referenced_by_foreign_keys() {
    assert_snapshot!(check("
table a
  id integer; not null
  code text; not null
  pk a_pkey (id)
  unique a_code_key (code)
table b
  a_code text
  fk b_a_code_fkey (a_code) -> a (code)
", "
table alpha
  id integer; not null
  key text; not null
  pk a_pkey (id)
  unique a_code_key (key)
table b
  a_code text
  fk b_a_code_fkey (a_code) -> alpha (key)
rename table a -> alpha
rename column a code -> key
"), @r"
        rename table public.a -> public.alpha
        rename column public.alpha.code -> key
        ");
}

#[test]
fn table_moved_to_a_new_schema() {
    assert_snapshot!(check("
table t
  id integer
", "
schema archive
table archive.t
  id integer
rename table t -> archive.t
"), @r"
        create schema archive
        rename table public.t -> archive.t
        ");
}

#[test]
fn stale_hints_are_ignored() {
    assert_snapshot!(check(USERS, &format!("{USERS}
rename table nobody -> users
rename column users nothing -> name
rename value nothing a -> b
")), @"(no changes)");
}

#[test]
fn owned_sequence_with_its_table() {
    assert_snapshot!(check("", "
seq t_id_seq; type integer; owned t.id
table t
  id integer; not null; default nextval('t_id_seq'::regclass)
  pk t_pkey (id)
"), @r"
        create sequence public.t_id_seq (integer start 1 increment 1)
        create table public.t (id integer not null default nextval('t_id_seq'::regclass)) pk t_pkey (id)
        alter sequence public.t_id_seq: (integer start 1 increment 1) -> (integer start 1 increment 1 owned by public.t.id)
        ");
    assert_snapshot!(check("
seq t_id_seq; type integer; owned t.id
table t
  id integer; not null; default nextval('t_id_seq'::regclass)
  pk t_pkey (id)
", ""), @r"
        alter sequence public.t_id_seq: (integer start 1 increment 1 owned by public.t.id) -> (integer start 1 increment 1)
        drop table public.t (id integer not null default nextval('t_id_seq'::regclass)) pk t_pkey (id)
            ! DataLoss public.t: drops the table and every row in it
        drop sequence public.t_id_seq (integer start 1 increment 1)
            ! Irreversible public.t_id_seq: the sequence's current value is lost; recreated, it starts over
        irreversible
        ");
}

#[test]
fn owned_sequence_with_a_column() {
    assert_snapshot!(check("
table t
  name text
", "
seq t_id_seq; type integer; owned t.id
table t
  name text
  id integer; not null; default nextval('t_id_seq'::regclass)
"), @r"
        create sequence public.t_id_seq (integer start 1 increment 1)
        add column public.t.id integer not null default nextval('t_id_seq'::regclass)
        alter sequence public.t_id_seq: (integer start 1 increment 1) -> (integer start 1 increment 1 owned by public.t.id)
        ");
}

/// The identity's own sequence and the `serial` one are both `t_id_seq`: the counter that goes
/// is removed in a step of its own before the one that comes takes the name.
#[test]
fn serial_and_identity_trade_places() {
    let serial = "
seq t_id_seq; type integer; owned t.id
table t
  id integer; not null; default nextval('t_id_seq'::regclass)
  pk t_pkey (id)
";
    let identity = "
table t
  id integer; not null; identity
  pk t_pkey (id)
";
    assert_snapshot!(check(serial, identity), @r"
    alter sequence public.t_id_seq: (integer start 1 increment 1 owned by public.t.id) -> (integer start 1 increment 1)
    alter column public.t.id: default 'nextval('t_id_seq'::regclass)' -> NULL
    drop sequence public.t_id_seq (integer start 1 increment 1)
        ! Irreversible public.t_id_seq: the sequence's current value is lost; recreated, it starts over
    alter column public.t.id: identity NULL -> 'ByDefault'
    irreversible
    ");
    assert_snapshot!(check(identity, serial), @r"
    alter column public.t.id: identity 'ByDefault' -> NULL
        ! Irreversible public.t.id: drops the identity; restored, its counter starts over
    create sequence public.t_id_seq (integer start 1 increment 1)
    alter column public.t.id: default NULL -> 'nextval('t_id_seq'::regclass)'
    alter sequence public.t_id_seq: (integer start 1 increment 1) -> (integer start 1 increment 1 owned by public.t.id)
    irreversible
    ");
}

#[test]
fn sequence_options_and_owner() {
    assert_snapshot!(check("
seq s; start 1
seq shared
table t
  a bigint; default nextval('shared'::regclass)
  b bigint
", "
seq s; start 100; increment 5; cycle
seq shared; owned t.b
table t
  a bigint
  b bigint; default nextval('shared'::regclass)
"), @r"
        alter column public.t.a: default 'nextval('shared'::regclass)' -> NULL
        alter column public.t.b: default NULL -> 'nextval('shared'::regclass)'
        alter sequence public.s: (bigint start 1 increment 1) -> (bigint start 100 increment 5 cycle)
        alter sequence public.shared: (bigint start 1 increment 1) -> (bigint start 1 increment 1 owned by public.t.b)
        ");
}

#[test]
fn schemas_are_created_first_and_dropped_last() {
    assert_snapshot!(check("
schema old
enum old.kind: a, b
seq old.s
table old.t
  k @old.kind
  n bigint; default nextval('old.s'::regclass)
", "
schema app
enum app.kind: a, b
table app.t
  k @app.kind
  u integer; not null
  pk t_pkey (u)
table app.u
  t integer
  fk u_t_fkey (t) -> app.t (u)
"), @r#"
        create schema app
        create enum app.kind (a, b)
        create table app.t (k "app"."kind", u integer not null) pk t_pkey (u)
        create table app.u (t integer)
        drop table old.t (k "old"."kind", n bigint default nextval('old.s'::regclass))
            ! DataLoss old.t: drops the table and every row in it
        add fk app.u u_t_fkey (t) -> app.t (u)
        drop sequence old.s (bigint start 1 increment 1)
            ! Irreversible old.s: the sequence's current value is lost; recreated, it starts over
        drop enum old.kind (a, b)
        drop schema old
        irreversible
        "#);
}

#[test]
fn table_comment() {
    assert_snapshot!(check("
table t; comment old
  a integer
", "
table t; comment new
  a integer
"), @"comment on table public.t: 'old' -> 'new'");
}

#[test]
fn index_name_moved_to_another_table() {
    assert_snapshot!(check("
table a
  x integer
  index shared_idx (x)
table b
  x integer
", "
table a
  x integer
table b
  x integer
  index shared_idx (x)
"), @r"
        drop index public.a shared_idx (x)
        create index public.b shared_idx (x)
            ! LocksTable public.b: SHARE lock: blocks writes (reads continue) for the whole index build
        ");
}

#[test]
fn dropped_column_loses_its_indexes_and_constraints_first() {
    assert_snapshot!(check("
table u
  id integer; not null
  pk u_pkey (id)
table t
  id integer; not null
  u_id integer
  code text
  pk t_pkey (id)
  unique t_code_key (code)
  index t_code_idx ((lower(code)))
  check t_code_check (length(code) > 2)
  fk t_u_id_fkey (u_id) -> u (id)
", "
table u
  id integer; not null
  pk u_pkey (id)
table t
  id integer; not null
"), @r"
        drop fk public.t t_u_id_fkey (u_id) -> public.u (id)
        drop primary key public.t t_pkey (id)
        drop unique public.t t_code_key (code)
        drop check public.t t_code_check (length(code) > 2)
        drop index public.t t_code_idx ((lower(code)))
        drop column public.t.u_id integer
            ! DataLoss public.t.u_id: drops the column and every value in it
        drop column public.t.code text
            ! DataLoss public.t.code: drops the column and every value in it
        irreversible
        ");
}

#[test]
fn unique_index_backing_a_foreign_key_is_replaced() {
    assert_snapshot!(check("
table a
  code text
  index a_code_idx (code); unique
table b
  code text
  fk b_code_fkey (code) -> a (code)
", "
table a
  code text; not null
  unique a_code_key (code)
table b
  code text
  fk b_code_fkey (code) -> a (code)
"), @r"
        drop fk public.b b_code_fkey (code) -> public.a (code)
        drop index public.a unique a_code_idx (code)
        alter column public.a.code: null -> not null
            ! MayFailOnExistingRows public.a.code: sets NOT NULL: fails if any row holds NULL
            ! LocksTable public.a: ACCESS EXCLUSIVE lock: blocks reads and writes while every row is scanned for NULL
        add unique public.a a_code_key (code)
            ! MayFailOnExistingRows public.a: adds unique constraint a_code_key: fails on duplicates
            ! LocksTable public.a: ACCESS EXCLUSIVE lock: blocks reads and writes while the unique index is built
        add fk public.b b_code_fkey (code) -> public.a (code)
            ! MayFailOnExistingRows public.b: adds foreign key b_code_fkey: fails if any row has no match in public.a
            ! LocksTable public.b: SHARE ROW EXCLUSIVE lock on it and the referenced table: blocks writes to both while every row is checked
        ");
}

#[test]
fn a_realistic_revision() {
    assert_snapshot!(check("
enum task_status: pending, completed
table users
  id bigint; not null; identity
  email varchar(100); not null
  pk users_pkey (id)
  unique users_email_key (email)
table tasks
  id bigint; not null; identity
  title varchar(200); not null
  priority integer
  status @task_status; not null; default 'pending'::task_status
  user_id bigint; not null
  legacy text
  pk tasks_pkey (id)
  fk tasks_user_id_fkey (user_id) -> users (id)
", "
enum task_status: pending, in_progress, completed
table users
  id bigint; not null; identity
  email varchar(255); not null
  pk users_pkey (id)
  unique users_email_key (email)
table tasks
  id bigint; not null; identity
  title varchar(200); not null
  priority_level integer
  status @task_status; not null; default 'pending'::task_status
  user_id bigint; not null
  due_date date
  pk tasks_pkey (id)
  index tasks_user_id_status_idx (user_id, status)
  fk tasks_user_id_fkey (user_id) -> users (id); on delete cascade
table tags
  id bigint; not null; identity
  name text; not null
  pk tags_pkey (id)
rename column tasks priority -> priority_level
"), @r"
        drop fk public.tasks tasks_user_id_fkey (user_id) -> public.users (id)
        rename column public.tasks.priority -> priority_level
        add value 'in_progress' after 'pending' to public.task_status: (pending, completed) -> (pending, in_progress, completed) [columns: public.tasks.status]
        create table public.tags (id bigint not null identity ByDefault, name text not null) pk tags_pkey (id)
        add column public.tasks.due_date date
        alter column public.users.email: type character varying(100) -> character varying(255)
        drop column public.tasks.legacy text
            ! DataLoss public.tasks.legacy: drops the column and every value in it
        create index public.tasks tasks_user_id_status_idx (user_id, status)
            ! LocksTable public.tasks: SHARE lock: blocks writes (reads continue) for the whole index build
        add fk public.tasks tasks_user_id_fkey (user_id) -> public.users (id) on delete CASCADE
            ! MayFailOnExistingRows public.tasks: adds foreign key tasks_user_id_fkey: fails if any row has no match in public.users
            ! LocksTable public.tasks: SHARE ROW EXCLUSIVE lock on it and the referenced table: blocks writes to both while every row is checked
        irreversible
        ");
}

/// PostgreSQL 15 cannot change a generation expression, nor the type of a column one reads:
/// the generated column goes and comes back (values recomputed, no data lost), and what is
/// built on it goes before and comes back after.
#[test]
fn generated_column_recreated_with_what_is_built_on_it() {
    let table = |price: &str, expression: &str| {
        format!(
            "
table t
  id integer; not null
  price {price}
  total bigint; generated ({expression})
  pk t_pkey (id)
  unique t_total_key (total)
  check t_total_check (total >= 0)
  index t_total_idx (total, id)
table u
  total bigint
  fk u_total_fkey (total) -> t (total)
"
        )
    };
    assert_snapshot!(check(
        &table("integer", "price * 2"),
        &table("bigint", "price * 2"),
    ), @r"
    drop fk public.u u_total_fkey (total) -> public.t (total)
    drop unique public.t t_total_key (total)
    drop check public.t t_total_check (total >= 0)
    drop index public.t t_total_idx (total, id)
    drop column public.t.total bigint generated (price * 2)
    alter column public.t.price: type integer -> bigint
        ! LocksTable public.t: ACCESS EXCLUSIVE lock: blocks reads and writes while the table is rewritten to change price to bigint
    add column public.t.total bigint generated (price * 2)
    add unique public.t t_total_key (total)
        ! MayFailOnExistingRows public.t: adds unique constraint t_total_key: fails on duplicates
        ! LocksTable public.t: ACCESS EXCLUSIVE lock: blocks reads and writes while the unique index is built
    add check public.t t_total_check (total >= 0)
        ! MayFailOnExistingRows public.t: adds check t_total_check: fails if any row violates it
        ! LocksTable public.t: ACCESS EXCLUSIVE lock: blocks reads and writes while every row is checked
    create index public.t t_total_idx (total, id)
        ! LocksTable public.t: SHARE lock: blocks writes (reads continue) for the whole index build
    add fk public.u u_total_fkey (total) -> public.t (total)
        ! MayFailOnExistingRows public.u: adds foreign key u_total_fkey: fails if any row has no match in public.t
        ! LocksTable public.u: SHARE ROW EXCLUSIVE lock on it and the referenced table: blocks writes to both while every row is checked
    ");
    assert_snapshot!(check(
        &table("integer", "price * 2"),
        &table("integer", "price * 3"),
    ), @r"
    drop fk public.u u_total_fkey (total) -> public.t (total)
    drop unique public.t t_total_key (total)
    drop check public.t t_total_check (total >= 0)
    drop index public.t t_total_idx (total, id)
    drop column public.t.total bigint generated (price * 2)
    add column public.t.total bigint generated (price * 3)
    add unique public.t t_total_key (total)
        ! MayFailOnExistingRows public.t: adds unique constraint t_total_key: fails on duplicates
        ! LocksTable public.t: ACCESS EXCLUSIVE lock: blocks reads and writes while the unique index is built
    add check public.t t_total_check (total >= 0)
        ! MayFailOnExistingRows public.t: adds check t_total_check: fails if any row violates it
        ! LocksTable public.t: ACCESS EXCLUSIVE lock: blocks reads and writes while every row is checked
    create index public.t t_total_idx (total, id)
        ! LocksTable public.t: SHARE lock: blocks writes (reads continue) for the whole index build
    add fk public.u u_total_fkey (total) -> public.t (total)
        ! MayFailOnExistingRows public.u: adds foreign key u_total_fkey: fails if any row has no match in public.t
        ! LocksTable public.u: SHARE ROW EXCLUSIVE lock on it and the referenced table: blocks writes to both while every row is checked
    ");
}

#[test]
fn column_becomes_generated_or_loses_its_identity() {
    assert_snapshot!(check("
table t
  a integer
  b integer
  id integer; not null; identity
", "
table t
  a integer
  b integer; generated (a * 2)
  id integer; not null
"), @r"
        alter column public.t.id: identity 'ByDefault' -> NULL
            ! Irreversible public.t.id: drops the identity; restored, its counter starts over
        drop column public.t.b integer
            ! DataLoss public.t.b: drops the column and every value in it
        add column public.t.b integer generated (a * 2)
        irreversible
        ");
}

#[test]
fn text_column_becomes_a_new_enum() {
    assert_snapshot!(check("
table t
  s text; default 'a'::text
", "
enum e: a, b
table t
  s @e; default 'a'::e
"), @r#"
    create enum public.e (a, b)
    alter column public.t.s: type text -> "public"."e", default ''a'::text' -> ''a'::e'
        ! MayFailOnExistingRows public.t.s: casts text to "public"."e": fails on any value the new type cannot hold
        ! LocksTable public.t: ACCESS EXCLUSIVE lock: blocks reads and writes while the table is rewritten to change s to "public"."e"
    "#);
}

#[test]
fn enum_value_renamed_and_added() {
    assert_snapshot!(check("
enum e: a, b
table t
  s @e; default 'b'::e
", "
enum e: a, bee, c
table t
  s @e; default 'bee'::e
  u @e
rename value e b -> bee
"), @r#"
        rename value 'b' of public.e to 'bee'
        add value 'c' after 'bee' to public.e: (a, bee) -> (a, bee, c) [columns: public.t.s]
        add column public.t.u "public"."e"
        "#);
}

#[test]
fn renamed_table_with_changed_index_and_check() {
    assert_snapshot!(check("
table a
  id integer; not null
  x integer
  pk a_pkey (id)
  index a_x_idx (x)
  check a_x_check (x > 0)
", "
table b
  id integer; not null
  x integer
  y integer
  pk a_pkey (id)
  index a_x_idx (x, y)
  check a_x_check (x > 1)
rename table a -> b
"), @r"
        drop check public.a a_x_check (x > 0)
        drop index public.a a_x_idx (x)
        rename table public.a -> public.b
        add column public.b.y integer
        add check public.b a_x_check (x > 1)
            ! MayFailOnExistingRows public.b: adds check a_x_check: fails if any row violates it
            ! LocksTable public.b: ACCESS EXCLUSIVE lock: blocks reads and writes while every row is checked
        create index public.b a_x_idx (x, y)
            ! LocksTable public.b: SHARE lock: blocks writes (reads continue) for the whole index build
        ");
}

#[test]
fn swapped_and_chained_rename_hints_are_ignored() {
    assert_snapshot!(check("
table a
  x integer
table b
  y integer
", "
table a
  y integer
table b
  x integer
rename table a -> b
rename table b -> a
"), @r"
        add column public.a.y integer
        add column public.b.x integer
        drop column public.a.x integer
            ! DataLoss public.a.x: drops the column and every value in it
        drop column public.b.y integer
            ! DataLoss public.b.y: drops the column and every value in it
        hint: column public.a.x -> y may be a rename
        hint: column public.b.y -> x may be a rename
        irreversible
        ");
}

#[test]
fn old_name_reused_by_a_new_table_after_a_rename() {
    assert_snapshot!(check("
table events
  id integer; not null
  pk events_pkey (id)
", "
table events_archive
  id integer; not null
  pk events_pkey (id)
table events
  id integer; not null
  at timestamptz
  pk events_pkey2 (id)
rename table events -> events_archive
"), @r"
        rename table public.events -> public.events_archive
        create table public.events (id integer not null, at timestamp with time zone) pk events_pkey2 (id)
        ");
}

#[test]
fn cross_schema_foreign_keys() {
    assert_snapshot!(check("
table users
  id integer; not null
  pk users_pkey (id)
", "
schema billing
table users
  id integer; not null
  pk users_pkey (id)
table billing.invoices
  id integer; not null
  user_id integer
  pk invoices_pkey (id)
  fk invoices_user_id_fkey (user_id) -> users (id)
"), @r"
        create schema billing
        create table billing.invoices (id integer not null, user_id integer) pk invoices_pkey (id)
        add fk billing.invoices invoices_user_id_fkey (user_id) -> public.users (id)
        ");
}

#[test]
fn column_hint_may_name_the_table_by_its_new_name() {
    assert_snapshot!(check("
table a
  code text
", "
table alpha
  key text
rename table a -> alpha
rename column alpha code -> key
"), @r"
        rename table public.a -> public.alpha
        rename column public.alpha.code -> key
        ");
}

#[test]
fn default_on_a_removed_label_is_dropped_before_the_rebuild() {
    assert_snapshot!(check("
enum status: pending, active, done
table t
  s @status; not null; default 'pending'::status
  other @status; default 'done'::status
", "
enum status: queued, active, done
table t
  s @status; not null; default 'queued'::status
  other @status; default 'done'::status
"), @r"
        alter column public.t.s: default ''pending'::status' -> NULL
        rebuild enum public.status: (pending, active, done) -> (queued, active, done) [columns: public.t.other, public.t.s]
            ! DataLoss public.status: removes label(s) 'pending'
            ! MayFailOnExistingRows public.status: fails if any row holds 'pending'
            ! LocksTable public.t: ACCESS EXCLUSIVE lock: blocks reads and writes while the table is rewritten to cast its columns to the rebuilt type
        alter column public.t.s: default NULL -> ''queued'::status'
        hint: label public.status 'pending' -> 'queued' may be a rename
        irreversible
        ");
}

#[test]
fn renamed_table_loses_its_owned_sequence() {
    assert_snapshot!(check("
seq a_id_seq; type integer; owned a.id
table a
  id integer; not null; default nextval('a_id_seq'::regclass)
  gone text
", "
table b
  id integer; not null
rename table a -> b
"), @r"
        rename table public.a -> public.b
        drop column public.b.gone text
            ! DataLoss public.b.gone: drops the column and every value in it
        alter sequence public.a_id_seq: (integer start 1 increment 1 owned by public.b.id) -> (integer start 1 increment 1)
        alter column public.b.id: default 'nextval('a_id_seq'::regclass)' -> NULL
        drop sequence public.a_id_seq (integer start 1 increment 1)
            ! Irreversible public.a_id_seq: the sequence's current value is lost; recreated, it starts over
        irreversible
        ");
}
