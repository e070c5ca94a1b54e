//! The catalog query for objects beyond tables (views, materialized views, functions,
//! procedures, triggers, policies, domains, composite types, extensions) and its rows into
//! [`DbObject`]s. One statement for every schema at once; what each object depends on comes
//! from `pg_depend` in the same statement.

use autogen_schema::{DbObject, Dependency, DomainParts, ObjectKind, QualifiedName, Schema};
use sqlx::postgres::PgRow;

use super::build::get;
use crate::IntrospectError;

/// One `pg_depend` row `d` as the thing it points at, fields joined by U+001F:
/// `table<US>schema<US>name[<US>column]`, `object<US>schema<US>key`, `enum<US>schema<US>name`,
/// `sequence<US>schema<US>name`; NULL for what autogen does not track (languages, collations,
/// built-in types, indexes).
macro_rules! dependency_of {
    () => {
        "CASE
  WHEN d.refclassid = 'pg_class'::regclass THEN
    (SELECT CASE WHEN rc.relkind IN ('r', 'p') THEN concat_ws(chr(31), 'table', rn.nspname, rc.relname,
                      (SELECT ra.attname FROM pg_attribute ra
                       WHERE ra.attrelid = rc.oid AND ra.attnum = d.refobjsubid AND d.refobjsubid > 0))
                 WHEN rc.relkind = 'v' THEN concat_ws(chr(31), 'object', rn.nspname, 'view ' || rc.relname)
                 WHEN rc.relkind = 'm' THEN concat_ws(chr(31), 'object', rn.nspname, 'materialized view ' || rc.relname)
                 WHEN rc.relkind = 'S' THEN concat_ws(chr(31), 'sequence', rn.nspname, rc.relname)
                 WHEN rc.relkind = 'c' THEN concat_ws(chr(31), 'object', rn.nspname, 'composite type ' || rc.relname)
            END
     FROM pg_class rc JOIN pg_namespace rn ON rn.oid = rc.relnamespace WHERE rc.oid = d.refobjid)
  WHEN d.refclassid = 'pg_proc'::regclass THEN
    (SELECT concat_ws(chr(31), 'object', rn.nspname,
                CASE rp.prokind WHEN 'p' THEN 'procedure ' ELSE 'function ' END
                || rp.proname || '(' || pg_get_function_identity_arguments(rp.oid) || ')')
     FROM pg_proc rp JOIN pg_namespace rn ON rn.oid = rp.pronamespace
     WHERE rp.oid = d.refobjid AND rp.prokind IN ('f', 'p'))
  WHEN d.refclassid = 'pg_type'::regclass THEN
    (SELECT CASE et.typtype
              WHEN 'd' THEN concat_ws(chr(31), 'object', rn.nspname, 'domain ' || et.typname)
              WHEN 'e' THEN concat_ws(chr(31), 'enum', rn.nspname, et.typname)
              WHEN 'c' THEN (SELECT CASE WHEN tc.relkind = 'c' THEN concat_ws(chr(31), 'object', rn.nspname, 'composite type ' || et.typname)
                                         WHEN tc.relkind IN ('r', 'p') THEN concat_ws(chr(31), 'table', rn.nspname, tc.relname)
                                         WHEN tc.relkind = 'v' THEN concat_ws(chr(31), 'object', rn.nspname, 'view ' || tc.relname)
                                         WHEN tc.relkind = 'm' THEN concat_ws(chr(31), 'object', rn.nspname, 'materialized view ' || tc.relname)
                                    END
                             FROM pg_class tc WHERE tc.oid = et.typrelid)
            END
     FROM pg_type rt
     JOIN pg_type et ON et.oid = CASE WHEN rt.typcategory = 'A' AND rt.typelem <> 0 THEN rt.typelem ELSE rt.oid END
     JOIN pg_namespace rn ON rn.oid = et.typnamespace
     WHERE rt.oid = d.refobjid)
  WHEN d.refclassid = 'pg_extension'::regclass THEN
    (SELECT concat_ws(chr(31), 'object', rn.nspname, 'extension ' || e.extname)
     FROM pg_extension e JOIN pg_namespace rn ON rn.oid = e.extnamespace WHERE e.oid = d.refobjid)
END"
    };
}

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

/// Each branch filters on the namespace oid in the scan itself (an initplan array), so the
/// server prints (`pg_get_viewdef`, `pg_get_functiondef`) only the objects of `$1`: joined on
/// the name instead, the planner printed every view of `pg_catalog` and `information_schema`
/// first (five seconds on an empty database).
///
/// One row per object: kind, schema, name, identity arguments, table, create statements,
/// comment, signature, domain default, domain NOT NULL, domain checks (`name<US>definition`),
/// dependencies (see [`dependency_of`]). `$1` is the schema-name array.
pub(crate) const OBJECTS: &str = concat!(
    "SELECT o.kind, o.nsp, o.name, o.args, o.tbl, o.creates, o.comment, o.signature,
        o.dom_default, o.dom_not_null, o.dom_checks,
        ARRAY(SELECT DISTINCT r FROM (
            SELECT ",
    dependency_of!(),
    " AS r
            FROM pg_depend d
            JOIN unnest(o.dep_classes, o.dep_objids) u(c, i) ON u.c = d.classid AND u.i = d.objid
            WHERE d.deptype IN ('n', 'a')) x WHERE r IS NOT NULL ORDER BY 1)
     FROM (
     SELECT CASE c.relkind WHEN 'v' THEN 'view' ELSE 'materialized view' END AS kind,
        n.nspname::text AS nsp, c.relname::text AS name, NULL::text AS args, NULL::text AS tbl,
        ARRAY[format('CREATE %sVIEW %I.%I%s AS%s',
                     CASE c.relkind WHEN 'm' THEN 'MATERIALIZED ' ELSE '' END, n.nspname, c.relname,
                     ' WITH (' || array_to_string(c.reloptions, ', ') || ')',
                     E'\n' || rtrim(pg_get_viewdef(c.oid), ';'))]
          || ARRAY(SELECT pg_get_indexdef(i.indexrelid) FROM pg_index i WHERE i.indrelid = c.oid
                   ORDER BY 1)
          || ARRAY(SELECT format('COMMENT ON COLUMN %I.%I.%I IS %L', n.nspname, c.relname, a.attname, cd.description)
                   FROM pg_description cd JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = cd.objsubid
                   WHERE cd.objoid = c.oid AND cd.classoid = 'pg_class'::regclass AND cd.objsubid > 0
                   ORDER BY a.attnum) AS creates,
        (SELECT de.description FROM pg_description de
         WHERE de.objoid = c.oid AND de.classoid = 'pg_class'::regclass AND de.objsubid = 0) AS comment,
        NULL::text AS signature, NULL::text AS dom_default, false AS dom_not_null, NULL::text[] AS dom_checks,
        ARRAY(SELECT 'pg_rewrite'::regclass::oid FROM pg_rewrite rw WHERE rw.ev_class = c.oid) AS dep_classes,
        ARRAY(SELECT rw.oid FROM pg_rewrite rw WHERE rw.ev_class = c.oid) AS dep_objids
     FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE c.relkind IN ('v', 'm') AND c.relnamespace = ANY(ARRAY(SELECT sn.oid FROM pg_namespace sn WHERE sn.nspname = ANY($1))) AND ",
    not_from_extension!("pg_class", "c.oid"),
    "
     UNION ALL
     SELECT CASE p.prokind WHEN 'p' THEN 'procedure' ELSE 'function' END,
        n.nspname::text, p.proname::text, pg_get_function_identity_arguments(p.oid), NULL,
        ARRAY[rtrim(pg_get_functiondef(p.oid), E'\n')],
        (SELECT de.description FROM pg_description de
         WHERE de.objoid = p.oid AND de.classoid = 'pg_proc'::regclass AND de.objsubid = 0),
        coalesce(pg_get_function_result(p.oid), '') || ' ' || pg_get_function_arguments(p.oid),
        NULL, false, NULL,
        ARRAY['pg_proc'::regclass::oid], ARRAY[p.oid]
     FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
     WHERE p.prokind IN ('f', 'p') AND p.pronamespace = ANY(ARRAY(SELECT sn.oid FROM pg_namespace sn WHERE sn.nspname = ANY($1)))
        -- A range type's constructors are the type's own (made and dropped with it).
        AND NOT EXISTS (SELECT 1 FROM pg_depend own WHERE own.classid = 'pg_proc'::regclass
                        AND own.objid = p.oid AND own.deptype = 'i')
        AND ",
    not_from_extension!("pg_proc", "p.oid"),
    "
     UNION ALL
     SELECT 'trigger', n.nspname::text, t.tgname::text, NULL, c.relname::text,
        ARRAY[pg_get_triggerdef(t.oid)]
          || CASE t.tgenabled
               WHEN 'D' THEN ARRAY[format('ALTER TABLE %I.%I DISABLE TRIGGER %I', n.nspname, c.relname, t.tgname)]
               WHEN 'R' THEN ARRAY[format('ALTER TABLE %I.%I ENABLE REPLICA TRIGGER %I', n.nspname, c.relname, t.tgname)]
               WHEN 'A' THEN ARRAY[format('ALTER TABLE %I.%I ENABLE ALWAYS TRIGGER %I', n.nspname, c.relname, t.tgname)]
               ELSE ARRAY[]::text[] END,
        (SELECT de.description FROM pg_description de
         WHERE de.objoid = t.oid AND de.classoid = 'pg_trigger'::regclass),
        NULL, NULL, false, NULL,
        ARRAY['pg_trigger'::regclass::oid], ARRAY[t.oid]
     FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE NOT t.tgisinternal AND t.tgparentid = 0
        AND c.relnamespace = ANY(ARRAY(SELECT sn.oid FROM pg_namespace sn WHERE sn.nspname = ANY($1)))
     UNION ALL
     SELECT 'policy', n.nspname::text, p.polname::text, NULL, c.relname::text,
        ARRAY[format('CREATE POLICY %I ON %I.%I AS %s FOR %s TO %s%s%s', p.polname, n.nspname, c.relname,
            CASE WHEN p.polpermissive THEN 'PERMISSIVE' ELSE 'RESTRICTIVE' END,
            CASE p.polcmd WHEN 'r' THEN 'SELECT' WHEN 'a' THEN 'INSERT' WHEN 'w' THEN 'UPDATE'
                          WHEN 'd' THEN 'DELETE' ELSE 'ALL' END,
            (SELECT string_agg(CASE WHEN r = 0 THEN 'PUBLIC' ELSE quote_ident(pg_get_userbyid(r)) END, ', ' ORDER BY 1)
             FROM unnest(p.polroles) r),
            ' USING (' || pg_get_expr(p.polqual, p.polrelid) || ')',
            ' WITH CHECK (' || pg_get_expr(p.polwithcheck, p.polrelid) || ')')],
        (SELECT de.description FROM pg_description de
         WHERE de.objoid = p.oid AND de.classoid = 'pg_policy'::regclass),
        NULL, NULL, false, NULL,
        ARRAY['pg_policy'::regclass::oid], ARRAY[p.oid]
     FROM pg_policy p JOIN pg_class c ON c.oid = p.polrelid JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE c.relnamespace = ANY(ARRAY(SELECT sn.oid FROM pg_namespace sn WHERE sn.nspname = ANY($1)))
     UNION ALL
     SELECT 'domain', n.nspname::text, t.typname::text, NULL, NULL,
        ARRAY[format('CREATE DOMAIN %I.%I AS %s%s', n.nspname, t.typname, format_type(t.typbasetype, t.typtypmod),
            (SELECT ' COLLATE ' || quote_ident(cn.nspname) || '.' || quote_ident(co.collname)
             FROM pg_collation co JOIN pg_namespace cn ON cn.oid = co.collnamespace JOIN pg_type bt ON bt.oid = t.typbasetype
             WHERE co.oid = t.typcollation AND t.typcollation <> bt.typcollation))],
        (SELECT de.description FROM pg_description de
         WHERE de.objoid = t.oid AND de.classoid = 'pg_type'::regclass),
        NULL, t.typdefault, t.typnotnull,
        ARRAY(SELECT con.conname || chr(31) || pg_get_constraintdef(con.oid)
              FROM pg_constraint con WHERE con.contypid = t.oid AND con.contype = 'c' ORDER BY con.conname),
        ARRAY['pg_type'::regclass::oid] || ARRAY(SELECT 'pg_constraint'::regclass::oid FROM pg_constraint con WHERE con.contypid = t.oid),
        ARRAY[t.oid] || ARRAY(SELECT con.oid FROM pg_constraint con WHERE con.contypid = t.oid)
     FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
     WHERE t.typtype = 'd' AND t.typnamespace = ANY(ARRAY(SELECT sn.oid FROM pg_namespace sn WHERE sn.nspname = ANY($1))) AND ",
    not_from_extension!("pg_type", "t.oid"),
    "
     UNION ALL
     SELECT 'composite type', n.nspname::text, t.typname::text, NULL, NULL,
        ARRAY[format('CREATE TYPE %I.%I AS (%s)', n.nspname, t.typname,
            (SELECT string_agg(quote_ident(a.attname) || ' ' || format_type(a.atttypid, a.atttypmod)
                               || CASE WHEN a.attcollation <> 0 AND a.attcollation <> at.typcollation
                                       THEN ' COLLATE ' || (SELECT quote_ident(cn.nspname) || '.' || quote_ident(co.collname)
                                                           FROM pg_collation co JOIN pg_namespace cn ON cn.oid = co.collnamespace
                                                           WHERE co.oid = a.attcollation)
                                       ELSE '' END,
                               ', ' ORDER BY a.attnum)
             FROM pg_attribute a JOIN pg_type at ON at.oid = a.atttypid
             WHERE a.attrelid = t.typrelid AND a.attnum > 0 AND NOT a.attisdropped))],
        (SELECT de.description FROM pg_description de
         WHERE de.objoid = t.oid AND de.classoid = 'pg_type'::regclass),
        NULL, NULL, false, NULL,
        ARRAY['pg_class'::regclass::oid], ARRAY[t.typrelid]
     FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
     JOIN pg_class tc ON tc.oid = t.typrelid AND tc.relkind = 'c'
     WHERE t.typtype = 'c' AND t.typnamespace = ANY(ARRAY(SELECT sn.oid FROM pg_namespace sn WHERE sn.nspname = ANY($1))) AND ",
    not_from_extension!("pg_type", "t.oid"),
    "
     UNION ALL
     SELECT 'privilege', n.nspname::text,
        CASE WHEN g.grantee = 0 THEN 'PUBLIC' ELSE pg_get_userbyid(g.grantee)::text END, NULL, c.relname::text,
        ARRAY(SELECT format('GRANT %s ON TABLE %I.%I TO %s%s',
                            string_agg(x.privilege_type, ', ' ORDER BY x.privilege_type), n.nspname, c.relname,
                            CASE WHEN g.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(pg_get_userbyid(g.grantee)) END,
                            CASE WHEN x.is_grantable THEN ' WITH GRANT OPTION' ELSE '' END)
              FROM aclexplode(c.relacl) x WHERE x.grantee = g.grantee
              GROUP BY x.is_grantable ORDER BY x.is_grantable),
        NULL, NULL, NULL, false, NULL,
        ARRAY[]::oid[], ARRAY[]::oid[]
     FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     CROSS JOIN LATERAL (SELECT DISTINCT a.grantee FROM aclexplode(c.relacl) a
                         WHERE a.grantee <> c.relowner) g
     WHERE c.relkind IN ('r', 'p', 'v', 'm') AND c.relacl IS NOT NULL AND NOT c.relispartition
        AND c.relnamespace = ANY(ARRAY(SELECT sn.oid FROM pg_namespace sn WHERE sn.nspname = ANY($1)))
     UNION ALL
     SELECT 'extension', n.nspname::text, e.extname::text, NULL, NULL,
        ARRAY[format('CREATE EXTENSION IF NOT EXISTS %I WITH SCHEMA %I', e.extname, n.nspname)],
        (SELECT de.description FROM pg_description de
         WHERE de.objoid = e.oid AND de.classoid = 'pg_extension'::regclass),
        NULL, NULL, false, NULL, ARRAY[]::oid[], ARRAY[]::oid[]
     FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
     WHERE e.extnamespace = ANY(ARRAY(SELECT sn.oid FROM pg_namespace sn WHERE sn.nspname = ANY($1)))
     ) o ORDER BY 2, 1, 3, 4, 5"
);

/// One row of [`OBJECTS`] into its namespace.
pub(super) fn object(schema: &mut Schema, row: &PgRow) -> Result<(), IntrospectError> {
    let kind_word: String = get(row, 0)?;
    let kind = kind_of(&kind_word).ok_or_else(|| IntrospectError::Catalog {
        object: format!("an object of kind {kind_word}"),
        reason: "the catalog query gave a kind autogen does not know".to_owned(),
    })?;
    let namespace: String = get(row, 1)?;
    let domain = match kind {
        ObjectKind::Domain => {
            let checks: Vec<String> = get(row, 10)?;
            Some(DomainParts {
                default: get(row, 8)?,
                not_null: get(row, 9)?,
                checks: checks
                    .iter()
                    .map(|c| {
                        let (name, definition) = c.split_once('\u{1f}').unwrap_or((c, ""));
                        (name.to_owned(), definition.to_owned())
                    })
                    .collect(),
            })
        }
        ObjectKind::Extension
        | ObjectKind::CompositeType
        | ObjectKind::Function
        | ObjectKind::Procedure
        | ObjectKind::View
        | ObjectKind::MaterializedView
        | ObjectKind::Trigger
        | ObjectKind::Policy
        | ObjectKind::Privilege => None,
    };
    let mut object = DbObject {
        kind,
        name: get(row, 2)?,
        arguments: get(row, 3)?,
        table: get(row, 4)?,
        create: get(row, 5)?,
        comment: get(row, 6)?,
        signature: get(row, 7)?,
        domain,
        depends_on: Vec::new(),
    };
    let key = object.key();
    let references: Vec<String> = get(row, 11)?;
    object.depends_on = references
        .iter()
        .filter_map(|r| dependency(r))
        .filter(|d| !matches!(d, Dependency::Object { schema, key: k } if *schema == namespace && *k == key))
        .collect();
    // A privilege depends on the relation it is on, which `pg_depend` does not record.
    if object.kind == ObjectKind::Privilege
        && let Some(table) = &object.table
    {
        object.depends_on.push(Dependency::Table {
            table: QualifiedName::new(&namespace, table),
            column: None,
        });
    }
    object.depends_on.sort();
    object.depends_on.dedup();
    schema.namespace_mut(&namespace).objects.insert(key, object);
    Ok(())
}

fn kind_of(word: &str) -> Option<ObjectKind> {
    [
        ObjectKind::Extension,
        ObjectKind::Domain,
        ObjectKind::CompositeType,
        ObjectKind::Function,
        ObjectKind::Procedure,
        ObjectKind::View,
        ObjectKind::MaterializedView,
        ObjectKind::Trigger,
        ObjectKind::Policy,
        ObjectKind::Privilege,
    ]
    .into_iter()
    .find(|k| k.word() == word)
}

/// One encoded reference of [`dependency_of`].
fn dependency(text: &str) -> Option<Dependency> {
    let mut parts = text.split('\u{1f}');
    let (what, schema, name) = (parts.next()?, parts.next()?, parts.next()?);
    let column = parts.next().map(str::to_owned);
    Some(match what {
        "table" => Dependency::Table {
            table: QualifiedName::new(schema, name),
            column,
        },
        "object" => Dependency::Object {
            schema: schema.to_owned(),
            key: name.to_owned(),
        },
        "enum" => Dependency::Enum {
            name: QualifiedName::new(schema, name),
        },
        "sequence" => Dependency::Sequence {
            name: QualifiedName::new(schema, name),
        },
        _ => return None,
    })
}
