//! A desired side whose source states only some facts (a Diesel `schema.rs`): what it does not
//! state is neither added, dropped nor altered, on the way up or down.

use insta::assert_snapshot;

use super::check;

/// A database built by migrations: defaults, an identity, indexes, a unique, a check, named
/// foreign keys with actions, enum labels, comments, precise types.
const DATABASE: &str = "
enum status: draft, published; comment Lifecycle
seq posts_id_seq; type integer; owned posts.id
table users; comment People
  id bigint; not null; identity
  email varchar(200); not null
  created_at timestamp with time zone; not null; default now()
  pk users_pk (id)
  unique users_email_key (email)
  index users_created_idx (created_at)
table posts
  id integer; not null; default nextval('posts_id_seq'::regclass)
  author_id bigint; not null
  editor_id bigint
  status @status; not null; default 'draft'::status
  price numeric(10,2)
  pk posts_pkey (id)
  check posts_price_check (price >= 0)
  fk posts_author_fk (author_id) -> users (id); on delete cascade
  fk posts_editor_id_fkey (editor_id) -> users (id); on delete set null
  index posts_status_idx (status)
";

/// What `schema.rs` says about the same database: no default, index, unique, check, label,
/// comment, identity or sequence, no foreign-key name or action, `numeric` bare, and only one
/// of the two foreign keys (`joinable!` takes one per pair of tables).
const SCHEMA_RS: &str = "
authority none
enum status:
table users
  id bigint; not null
  email varchar(200); not null
  created_at timestamp with time zone; not null
  pk users_pkey (id)
table posts
  id integer; not null
  author_id bigint; not null
  editor_id bigint
  status @status; not null
  price numeric
  pk posts_pkey (id)
  fk posts_author_id_fkey (author_id) -> users (id)
";

#[test]
fn what_the_source_does_not_state_is_no_difference() {
    assert_snapshot!(check(DATABASE, SCHEMA_RS), @"(no changes)");
}

#[test]
fn a_stated_type_change_alters_the_column_and_keeps_the_rest() {
    let changed = SCHEMA_RS.replace("  editor_id bigint\n", "  editor_id integer\n");
    assert_snapshot!(check(DATABASE, &changed), @r"
        drop fk public.posts posts_editor_id_fkey (editor_id) -> public.users (id) on delete SET NULL
        alter column public.posts.editor_id: type bigint -> integer
            ! DataLoss public.posts.editor_id: changes the type from bigint to integer, which holds less than the old type
            ! MayFailOnExistingRows public.posts.editor_id: casts bigint to integer: fails on any value the new type cannot hold
            ! LocksTable public.posts: ACCESS EXCLUSIVE lock: blocks reads and writes while the table is rewritten to change editor_id to integer
        add fk public.posts posts_editor_id_fkey (editor_id) -> public.users (id) on delete SET NULL
            ! MayFailOnExistingRows public.posts: adds foreign key posts_editor_id_fkey: fails if any row has no match in public.users
            ! LocksTable public.posts: SHARE ROW EXCLUSIVE lock on it and the referenced table: blocks writes to both while every row is checked
        irreversible
        ");
}

#[test]
fn a_stated_column_and_table_are_added_without_inventing_facts() {
    let changed = format!(
        "{SCHEMA_RS}  title text; not null\ntable tags\n  id integer; not null\n  post_id integer; not null\n  pk tags_pkey (id)\n  fk tags_post_id_fkey (post_id) -> posts (id)\n"
    );
    assert_snapshot!(check(DATABASE, &changed), @r"
        create table public.tags (id integer not null, post_id integer not null) pk tags_pkey (id)
        add column public.posts.title text not null
            ! MayFailOnExistingRows public.posts.title: adds a NOT NULL column without a default: existing rows need a backfill
        add fk public.tags tags_post_id_fkey (post_id) -> public.posts (id)
        ");
}

#[test]
fn a_table_the_source_no_longer_lists_is_dropped() {
    let without_posts = SCHEMA_RS
        .split("table posts")
        .next()
        .unwrap_or_default()
        .to_owned();
    assert_snapshot!(check(DATABASE, &without_posts), @r#"
        drop fk public.posts posts_author_fk (author_id) -> public.users (id) on delete CASCADE
        drop fk public.posts posts_editor_id_fkey (editor_id) -> public.users (id) on delete SET NULL
        alter sequence public.posts_id_seq: (integer start 1 increment 1 owned by public.posts.id) -> (integer start 1 increment 1)
        drop table public.posts (id integer not null default nextval('posts_id_seq'::regclass), author_id bigint not null, editor_id bigint, status "public"."status" not null default 'draft'::status, price numeric(10,2)) pk posts_pkey (id) check posts_price_check (price >= 0) index posts_status_idx (status)
            ! DataLoss public.posts: drops the table and every row in it
        drop sequence public.posts_id_seq (integer start 1 increment 1)
            ! Irreversible public.posts_id_seq: the sequence's current value is lost; recreated, it starts over
        irreversible
        "#);
}

#[test]
fn an_overlay_states_labels_and_indexes_for_what_it_names() {
    let widened = SCHEMA_RS
        .replace(
            "authority none",
            "authority none; labels status; indexes posts",
        )
        .replace("enum status:", "enum status: draft, published, archived");
    assert_snapshot!(check(DATABASE, &widened), @r"
        drop index public.posts posts_status_idx (status)
        add value 'archived' after 'published' to public.status: (draft, published) comment 'Lifecycle' -> (draft, published, archived) comment 'Lifecycle' [columns: public.posts.status]
        ");
}

#[test]
fn a_rename_keeps_the_unstated_facts_of_the_renamed_column() {
    let renamed = SCHEMA_RS.replace("  editor_id bigint\n", "  reviewer_id bigint\n")
        + "rename column posts editor_id -> reviewer_id\n";
    assert_snapshot!(check(DATABASE, &renamed), @r"
    rename column public.posts.editor_id -> reviewer_id
    ");
}

#[test]
fn unstated_foreign_keys_into_a_dropped_table_go_with_it() {
    let without_users = SCHEMA_RS
        .replace("table users\n  id bigint; not null\n  email varchar(200); not null\n  created_at timestamp with time zone; not null\n  pk users_pkey (id)\n", "")
        .replace("  fk posts_author_id_fkey (author_id) -> users (id)\n", "");
    assert_snapshot!(check(DATABASE, &without_users), @r"
    drop fk public.posts posts_author_fk (author_id) -> public.users (id) on delete CASCADE
    drop fk public.posts posts_editor_id_fkey (editor_id) -> public.users (id) on delete SET NULL
    drop table public.users (id bigint not null identity ByDefault, email character varying(200) not null, created_at timestamp with time zone not null default now()) pk users_pk (id) unique users_email_key (email) index users_created_idx (created_at) comment 'People'
        ! DataLoss public.users: drops the table and every row in it
    irreversible
    ");
}
