//! The catalog queries: `sqlite_schema` joined with the pragma table-valued functions, each for
//! every table at once. `sqlite_%` tables are SQLite's own; `_sqlx_migrations` is left to the CLI.

/// `table, sql, without rowid, strict`: every table's stored `CREATE TABLE` text (for names,
/// checks, generated columns) and its options.
pub(super) const TABLES: &str = "SELECT m.name, m.sql, l.wr, l.strict FROM sqlite_schema AS m \
    JOIN pragma_table_list(m.name) AS l ON l.schema = 'main' \
    WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY m.name";

/// `type, name, table, sql`: every view and trigger, as SQLite keeps its statement.
pub(super) const VIEWS_AND_TRIGGERS: &str = "SELECT m.type, m.name, m.tbl_name, m.sql \
    FROM sqlite_schema AS m WHERE m.type IN ('view', 'trigger') \
    AND m.name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY m.type, m.name";

/// `table, cid, name, type, notnull, dflt_value, pk, hidden`, in column order.
pub(super) const COLUMNS: &str = "SELECT m.name, c.cid, c.name, c.type, c.\"notnull\", \
    c.dflt_value, c.pk, c.hidden \
    FROM sqlite_schema AS m JOIN pragma_table_xinfo(m.name) AS c \
    WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite\\_%' ESCAPE '\\' \
    ORDER BY m.name, c.cid";

/// `table, index, unique, origin, column names (\x1f-separated key columns, NULL for an
/// expression), sql`: one row per index.
pub(super) const INDEXES: &str = "SELECT m.name, il.name, il.\"unique\", il.origin, \
    (SELECT group_concat(coalesce(ix.name, ''), char(31)) FROM \
        (SELECT name FROM pragma_index_xinfo(il.name) WHERE key = 1 ORDER BY seqno) AS ix), \
    s.sql \
    FROM sqlite_schema AS m JOIN pragma_index_list(m.name) AS il \
    LEFT JOIN sqlite_schema AS s ON s.type = 'index' AND s.name = il.name \
    WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite\\_%' ESCAPE '\\' \
    ORDER BY m.name, il.name";

/// `table, id, seq, referenced table, from, to, on_update, on_delete`: one row per column of
/// each foreign key.
pub(super) const FOREIGN_KEYS: &str = "SELECT m.name, f.id, f.seq, f.\"table\", f.\"from\", \
    f.\"to\", f.on_update, f.on_delete \
    FROM sqlite_schema AS m JOIN pragma_foreign_key_list(m.name) AS f \
    WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite\\_%' ESCAPE '\\' \
    ORDER BY m.name, f.id, f.seq";
