//! The catalog queries. Each reads one kind of object for every requested schema at once, so the
//! number of statements does not grow with the number of tables. `$1` is the schema-name array.
//! Identifiers are cast to `text` so they decode as strings whatever their catalog type.

/// Objects that belong to an extension are the extension's business, not the schema's.
macro_rules! not_from_extension {
    ($catalog:literal, $oid:literal) => {
        concat!(
            "NOT EXISTS (SELECT 1 FROM pg_depend ext WHERE ext.classid = '",
            $catalog,
            "'::regclass AND ext.objid = ",
            $oid,
            " AND ext.deptype = 'e')"
        )
    };
}

pub(crate) const SERVER_VERSION: &str = "SELECT current_setting('server_version_num')::int4";

/// One row: the database's name, the requested schemas that exist, and every non-system schema
/// (for the message when a requested one does not).
pub(crate) const SCHEMAS: &str = r"SELECT current_database()::text,
        ARRAY(SELECT n.nspname::text FROM pg_namespace n WHERE n.nspname = ANY($1) ORDER BY 1),
        ARRAY(SELECT n.nspname::text FROM pg_namespace n
              WHERE n.nspname NOT LIKE 'pg\_%' AND n.nspname <> 'information_schema' ORDER BY 1)";

/// Partitions are tables too (`relispartition`), with their parent and bound; a partitioned
/// table has its key. The replica identity's index is looked up only when the table uses one.
/// A partition's indexes attached to its parent's are read as two arrays in
/// the same order: the parent indexes', and their own.
pub(crate) const TABLES: &str = concat!(
    "SELECT n.nspname::text, c.relname::text, d.description,
        c.relpersistence::text, c.relrowsecurity, c.relforcerowsecurity, c.reloptions::text[],
        c.relreplident::text,
        CASE WHEN c.relreplident = 'i' THEN
            (SELECT ri.relname::text FROM pg_index x JOIN pg_class ri ON ri.oid = x.indexrelid
             WHERE x.indrelid = c.oid AND x.indisreplident) END,
        CASE WHEN c.relkind = 'p' THEN pg_get_partkeydef(c.oid) END,
        pn.nspname::text, pc.relname::text,
        CASE WHEN c.relispartition THEN pg_get_expr(c.relpartbound, c.oid) END,
        CASE WHEN c.relispartition THEN
            ARRAY(SELECT pi.relname::text FROM pg_index x JOIN pg_inherits xi ON xi.inhrelid = x.indexrelid
                  JOIN pg_class pi ON pi.oid = xi.inhparent
                  WHERE x.indrelid = c.oid ORDER BY x.indexrelid) END,
        CASE WHEN c.relispartition THEN
            ARRAY(SELECT ci.relname::text FROM pg_index x JOIN pg_inherits xi ON xi.inhrelid = x.indexrelid
                  JOIN pg_class ci ON ci.oid = x.indexrelid
                  WHERE x.indrelid = c.oid ORDER BY x.indexrelid) END
     FROM pg_class c
     JOIN pg_namespace n ON n.oid = c.relnamespace
     LEFT JOIN pg_description d ON d.objoid = c.oid AND d.classoid = 'pg_class'::regclass AND d.objsubid = 0
     LEFT JOIN pg_inherits ih ON ih.inhrelid = c.oid AND c.relispartition
     LEFT JOIN pg_class pc ON pc.oid = ih.inhparent
     LEFT JOIN pg_namespace pn ON pn.oid = pc.relnamespace
     WHERE c.relkind IN ('r', 'p') AND n.nspname = ANY($1) AND ",
    not_from_extension!("pg_class", "c.oid"),
    " ORDER BY 1, 2"
);

pub(crate) const COLUMNS: &str = concat!(
    "SELECT n.nspname::text, c.relname::text, a.attname::text,
        format_type(a.atttypid, a.atttypmod),
        t.typtype::text, tn.nspname::text, t.typname::text,
        (t.typcategory = 'A') AS is_array,
        format_type(t.typelem, a.atttypmod) AS element_text,
        et.typtype::text, etn.nspname::text, et.typname::text,
        a.attndims::int4,
        a.attnotnull,
        pg_get_expr(ad.adbin, ad.adrelid) AS default_expr,
        a.attidentity::text,
        a.attgenerated::text,
        CASE WHEN a.attcollation <> 0 AND a.attcollation <> t.typcollation THEN co.collname::text END,
        d.description,
        format_type(s.seqtypid, NULL), s.seqstart, s.seqincrement, s.seqmin, s.seqmax, s.seqcache, s.seqcycle
     FROM pg_attribute a
     JOIN pg_class c ON c.oid = a.attrelid
     JOIN pg_namespace n ON n.oid = c.relnamespace
     JOIN pg_type t ON t.oid = a.atttypid
     JOIN pg_namespace tn ON tn.oid = t.typnamespace
     LEFT JOIN pg_type et ON et.oid = t.typelem AND t.typcategory = 'A'
     LEFT JOIN pg_namespace etn ON etn.oid = et.typnamespace
     LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
     LEFT JOIN pg_collation co ON co.oid = a.attcollation
     LEFT JOIN pg_description d ON d.objoid = c.oid AND d.classoid = 'pg_class'::regclass AND d.objsubid = a.attnum
     LEFT JOIN pg_depend idep ON idep.refobjid = c.oid AND idep.refobjsubid = a.attnum
        AND idep.classid = 'pg_class'::regclass AND idep.deptype = 'i' AND a.attidentity <> ''
     LEFT JOIN pg_sequence s ON s.seqrelid = idep.objid
     WHERE a.attnum > 0 AND NOT a.attisdropped
        AND c.relkind IN ('r', 'p') AND n.nspname = ANY($1) AND ",
    not_from_extension!("pg_class", "c.oid"),
    " ORDER BY 1, 2, a.attnum"
);

/// `{nulls_not_distinct}` is replaced by `i.indnullsnotdistinct` on PostgreSQL 15+ and `false` before.
/// A partition's constraints that come from its parent (`conparentid`, a check not local) are
/// the parent's, not read for it. A primary key's or unique constraint's index has its own
/// comment and storage options (the index is named as the constraint).
/// Key columns are looked up one by one on `pg_attribute`'s index (a join hashed every
/// attribute of the table once per constraint).
pub(crate) const CONSTRAINTS: &str = concat!(
    "SELECT n.nspname::text, c.relname::text, con.conname::text, con.contype::text,
        ARRAY(SELECT (SELECT a.attname::text FROM pg_attribute a
                      WHERE a.attrelid = con.conrelid AND a.attnum = k.num)
              FROM unnest(con.conkey) WITH ORDINALITY k(num, ord) WHERE k.num <> 0 ORDER BY k.ord),
        fn.nspname::text, fc.relname::text,
        ARRAY(SELECT (SELECT a.attname::text FROM pg_attribute a
                      WHERE a.attrelid = con.confrelid AND a.attnum = k.num)
              FROM unnest(con.confkey) WITH ORDINALITY k(num, ord) ORDER BY k.ord),
        con.confupdtype::text, con.confdeltype::text, con.confmatchtype::text,
        con.condeferrable, con.condeferred,
        CASE WHEN con.contype = 'c' THEN pg_get_expr(con.conbin, con.conrelid) END,
        con.connoinherit,
        COALESCE({nulls_not_distinct}, false),
        con.convalidated,
        dc.description,
        CASE WHEN con.contype = 'x' THEN pg_get_constraintdef(con.oid) END,
        CASE WHEN con.contype IN ('p', 'u') THEN
            (SELECT di.description FROM pg_description di
             WHERE di.objoid = con.conindid AND di.classoid = 'pg_class'::regclass AND di.objsubid = 0) END,
        CASE WHEN con.contype IN ('p', 'u') THEN
            (SELECT ki.reloptions::text[] FROM pg_class ki WHERE ki.oid = con.conindid) END
     FROM pg_constraint con
     JOIN pg_class c ON c.oid = con.conrelid
     JOIN pg_namespace n ON n.oid = c.relnamespace
     LEFT JOIN pg_class fc ON fc.oid = con.confrelid
     LEFT JOIN pg_namespace fn ON fn.oid = fc.relnamespace
     LEFT JOIN pg_index i ON i.indexrelid = con.conindid AND con.contype = 'u'
     LEFT JOIN pg_description dc ON dc.objoid = con.oid AND dc.classoid = 'pg_constraint'::regclass
     WHERE con.contype IN ('p', 'u', 'c', 'f', 'x') AND c.relkind IN ('r', 'p')
        AND con.conparentid = 0 AND (con.conislocal OR NOT c.relispartition)
        AND n.nspname = ANY($1) AND ",
    not_from_extension!("pg_class", "c.oid"),
    " ORDER BY 1, 2, 3"
);

/// Indexes that back no constraint. An operator class is named with its schema unless it is
/// PostgreSQL's own or in `public` (where models name it bare, and every search_path finds it):
/// one an extension put in a schema of its own is not found by its name alone. `pg_get_indexdef` is called only for indexes with expression
/// keys: it dominates the cost of this query on big catalogs. The per-key lookups (attribute,
/// operator class, collation) are scalar subqueries on the catalogs' oid indexes: written as
/// joins, the planner hashes all of `pg_collation` (800 rows) and `pg_opclass` once per index,
/// which made this query the slowest of all (two thirds of introspection at 1,000 tables).
/// A partition's index attached to its parent's (a row in `pg_inherits`) is the parent's.
pub(crate) const INDEXES: &str = concat!(
    "SELECT n.nspname::text, c.relname::text, ic.relname::text, i.indisunique, am.amname::text,
        i.indnkeyatts::int4,
        ARRAY(SELECT (SELECT a.attname::text FROM pg_attribute a
                      WHERE a.attrelid = i.indrelid AND a.attnum = k.num)
              FROM unnest(i.indkey::int2[]) WITH ORDINALITY k(num, ord) ORDER BY k.ord),
        CASE WHEN i.indexprs IS NOT NULL THEN
            ARRAY(SELECT pg_get_indexdef(i.indexrelid, k::int4, false) FROM generate_series(1, i.indnkeyatts) k)
        END,
        ARRAY(SELECT o::int4 FROM unnest(i.indoption::int2[]) WITH ORDINALITY x(o, ord) ORDER BY ord),
        ARRAY(SELECT (SELECT CASE WHEN opc.opcdefault THEN NULL
                                  WHEN opn.nspname IN ('pg_catalog', 'public') THEN opc.opcname::text
                                  ELSE quote_ident(opn.nspname) || '.' || quote_ident(opc.opcname) END
                      FROM pg_opclass opc JOIN pg_namespace opn ON opn.oid = opc.opcnamespace
                      WHERE opc.oid = x.opc_oid)
              FROM unnest(i.indclass::oid[]) WITH ORDINALITY x(opc_oid, ord) ORDER BY x.ord),
        ARRAY(SELECT CASE WHEN y.coll_oid = 0 OR y.coll_oid = COALESCE(y.attcollation, 0)
                               OR (y.attcollation IS NULL AND y.coll_oid = 100) THEN NULL
                          ELSE (SELECT co.collname::text FROM pg_collation co WHERE co.oid = y.coll_oid) END
              FROM (SELECT x.coll_oid, x.ord,
                           (SELECT a.attcollation FROM pg_attribute a
                            WHERE a.attrelid = i.indrelid AND a.attnum = i.indkey[x.ord - 1]) AS attcollation
                    FROM unnest(i.indcollation::oid[]) WITH ORDINALITY x(coll_oid, ord)) y
              ORDER BY y.ord),
        pg_get_expr(i.indpred, i.indrelid),
        COALESCE({nulls_not_distinct}, false),
        i.indisvalid,
        d.description,
        ic.reloptions::text[]
     FROM pg_index i
     JOIN pg_class ic ON ic.oid = i.indexrelid
     JOIN pg_class c ON c.oid = i.indrelid
     JOIN pg_namespace n ON n.oid = c.relnamespace
     JOIN pg_am am ON am.oid = ic.relam
     LEFT JOIN pg_description d ON d.objoid = ic.oid AND d.classoid = 'pg_class'::regclass AND d.objsubid = 0
     WHERE c.relkind IN ('r', 'p') AND n.nspname = ANY($1)
        AND NOT EXISTS (SELECT 1 FROM pg_constraint con
                        WHERE con.conindid = i.indexrelid AND con.conrelid = i.indrelid
                          AND con.contype IN ('p', 'u', 'x'))
        AND NOT EXISTS (SELECT 1 FROM pg_inherits ih WHERE ih.inhrelid = i.indexrelid)
        AND ",
    not_from_extension!("pg_class", "c.oid"),
    " ORDER BY 1, 2, 3"
);

pub(crate) const ENUMS: &str = concat!(
    "SELECT n.nspname::text, t.typname::text,
        ARRAY(SELECT e.enumlabel::text FROM pg_enum e WHERE e.enumtypid = t.oid ORDER BY e.enumsortorder),
        d.description
     FROM pg_type t
     JOIN pg_namespace n ON n.oid = t.typnamespace
     LEFT JOIN pg_description d ON d.objoid = t.oid AND d.classoid = 'pg_type'::regclass
     WHERE t.typtype = 'e' AND n.nspname = ANY($1) AND ",
    not_from_extension!("pg_type", "t.oid"),
    " ORDER BY 1, 2"
);

/// Standalone sequences: identity columns' own sequences are read with their column.
pub(crate) const SEQUENCES: &str = concat!(
    "SELECT n.nspname::text, c.relname::text, format_type(s.seqtypid, NULL),
        s.seqstart, s.seqincrement, s.seqmin, s.seqmax, s.seqcache, s.seqcycle,
        tn.nspname::text, tc.relname::text, ta.attname::text, d.description
     FROM pg_sequence s
     JOIN pg_class c ON c.oid = s.seqrelid
     JOIN pg_namespace n ON n.oid = c.relnamespace
     LEFT JOIN pg_description d ON d.objoid = c.oid AND d.classoid = 'pg_class'::regclass AND d.objsubid = 0
     LEFT JOIN pg_depend dep ON dep.classid = 'pg_class'::regclass AND dep.objid = c.oid
        AND dep.refclassid = 'pg_class'::regclass AND dep.deptype = 'a' AND dep.refobjsubid > 0
     LEFT JOIN pg_class tc ON tc.oid = dep.refobjid
     LEFT JOIN pg_namespace tn ON tn.oid = tc.relnamespace
     LEFT JOIN pg_attribute ta ON ta.attrelid = dep.refobjid AND ta.attnum = dep.refobjsubid
     WHERE n.nspname = ANY($1)
        AND NOT EXISTS (SELECT 1 FROM pg_depend idep WHERE idep.classid = 'pg_class'::regclass
                        AND idep.objid = c.oid AND idep.deptype = 'i')
        AND ",
    not_from_extension!("pg_class", "c.oid"),
    " ORDER BY 1, 2"
);

/// Objects of the kinds autogen does not compare yet, each with a text that tells two versions
/// apart: read so that a comparison between two databases never reports "no difference" while
/// such objects differ (`autogen diff` lists them). One row per object: kind, schema, name,
/// definition. Objects of an extension are left out (the extension is listed instead).
pub(crate) const UNCOMPARED: &str = concat!(
    "SELECT kind, nsp, name, coalesce(definition, '') FROM (
     SELECT CASE p.prokind WHEN 'a' THEN 'aggregate' ELSE 'window function' END AS kind,
        n.nspname::text AS nsp, p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ')' AS name,
        concat_ws(' ', format_type(p.prorettype, NULL), 'sfunc', a.aggtransfn::regproc::text,
            'stype', format_type(a.aggtranstype, NULL), 'finalfunc', nullif(a.aggfinalfn::oid, 0)::regproc::text,
            'combinefunc', nullif(a.aggcombinefn::oid, 0)::regproc::text, 'initcond', a.agginitval,
            'sortop', nullif(a.aggsortop, 0)::regoperator::text) AS definition
     FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
     LEFT JOIN pg_aggregate a ON a.aggfnoid = p.oid
     WHERE p.prokind IN ('a', 'w') AND n.nspname = ANY($1) AND ",
    not_from_extension!("pg_proc", "p.oid"),
    "
     UNION ALL
     SELECT 'rule', n.nspname::text, c.relname || '.' || r.rulename, pg_get_ruledef(r.oid)
     FROM pg_rewrite r JOIN pg_class c ON c.oid = r.ev_class JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE r.rulename <> '_RETURN' AND n.nspname = ANY($1)
     UNION ALL
     SELECT 'storage options', n.nspname::text, c.relname::text, array_to_string(c.reloptions, ', ')
     FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE c.reloptions IS NOT NULL AND n.nspname = ANY($1)
        AND c.relkind IN ('i', 'I')
        AND EXISTS (SELECT 1 FROM pg_constraint con WHERE con.conindid = c.oid
                    AND (con.contype NOT IN ('p', 'u') OR con.conparentid <> 0)) AND ",
    not_from_extension!("pg_class", "c.oid"),
    "
     UNION ALL
     SELECT 'collation', n.nspname::text, co.collname::text,
        (to_jsonb(co) - 'oid' - 'collnamespace' - 'collowner' - 'collversion')::text
     FROM pg_collation co JOIN pg_namespace n ON n.oid = co.collnamespace
     WHERE n.nspname = ANY($1) AND ",
    not_from_extension!("pg_collation", "co.oid"),
    "
     UNION ALL
     SELECT 'range type', n.nspname::text, t.typname::text,
        concat_ws(' ', 'subtype', format_type(r.rngsubtype, NULL),
            'opclass', (SELECT opc.opcname::text FROM pg_opclass opc WHERE opc.oid = r.rngsubopc),
            'collation', nullif(r.rngcollation, 0)::regcollation::text,
            'canonical', nullif(r.rngcanonical::oid, 0)::regproc::text,
            'subtype_diff', nullif(r.rngsubdiff::oid, 0)::regproc::text)
     FROM pg_range r JOIN pg_type t ON t.oid = r.rngtypid JOIN pg_namespace n ON n.oid = t.typnamespace
     WHERE n.nspname = ANY($1) AND ",
    not_from_extension!("pg_type", "t.oid"),
    "
     UNION ALL
     SELECT 'operator', n.nspname::text,
        o.oprname || '(' || coalesce(format_type(nullif(o.oprleft, 0), NULL), 'NONE') || ', '
            || coalesce(format_type(nullif(o.oprright, 0), NULL), 'NONE') || ')',
        concat_ws(' ', o.oprcode::regproc::text, format_type(o.oprresult, NULL),
            nullif(o.oprcom, 0)::regoperator::text, nullif(o.oprnegate, 0)::regoperator::text)
     FROM pg_operator o JOIN pg_namespace n ON n.oid = o.oprnamespace
     WHERE n.nspname = ANY($1) AND ",
    not_from_extension!("pg_operator", "o.oid"),
    "
     UNION ALL
     SELECT 'statistics', n.nspname::text, st.stxname::text, pg_get_statisticsobjdef(st.oid)
     FROM pg_statistic_ext st JOIN pg_namespace n ON n.oid = st.stxnamespace
     WHERE n.nspname = ANY($1)
     UNION ALL
     SELECT 'foreign table', n.nspname::text, c.relname::text,
        array_to_string(ARRAY(SELECT a.attname || ' ' || format_type(a.atttypid, a.atttypmod)
                              FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attnum > 0
                              AND NOT a.attisdropped ORDER BY a.attnum), ', ')
     FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE c.relkind = 'f' AND n.nspname = ANY($1)
     UNION ALL
     SELECT 'comment on index', n.nspname::text, c.relname::text, d.description
     FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     JOIN pg_index i ON i.indexrelid = c.oid
     JOIN pg_description d ON d.objoid = c.oid AND d.classoid = 'pg_class'::regclass AND d.objsubid = 0
     WHERE n.nspname = ANY($1)
        AND (EXISTS (SELECT 1 FROM pg_constraint con WHERE con.conindid = c.oid AND con.conrelid = i.indrelid
                     AND (con.contype NOT IN ('p', 'u') OR con.conparentid <> 0))
             OR EXISTS (SELECT 1 FROM pg_inherits ih WHERE ih.inhrelid = c.oid))
     ) o ORDER BY 2, 1, 3"
);
