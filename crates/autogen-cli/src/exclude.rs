//! What autogen manages. `include_schemas` in autogen.toml: the schemas compared, as globs over
//! the database's schema names (`tenant_*`), beside `schemas`/`--schema`; the models' tables in
//! other schemas are left out too. `exclude_tables`: tables another tool owns (PostGIS's `spatial_ref_sys`, a
//! queue's tables, a legacy schema's leftovers), like Alembic's `include_object`. They are
//! removed from both sides of every comparison (the database read and the models, `diff
//! --from/--to` on both databases) and from `inspect`, so no plan creates, alters or drops them.

use autogen_schema::{QualifiedName, Schema};

/// One pattern of autogen.toml as a glob; the error names the pattern and says what was
/// `expected` instead of an empty one.
fn glob_of(text: &str, expected: &str) -> Result<glob::Pattern, String> {
    if text.trim().is_empty() {
        return Err(format!("an empty pattern; expected {expected}"));
    }
    glob::Pattern::new(text).map_err(|e| format!("pattern {text:?} is not a glob: {}", e.msg))
}

/// The patterns, each a glob (`*`, `?`, `[..]`): one without a dot matches a table's name in
/// any schema (`tmp_*`), one with a dot matches `schema.table` (`audit.*`).
#[derive(Debug, Clone, Default)]
pub struct TableFilter {
    patterns: Vec<Pattern>,
}

#[derive(Debug, Clone)]
struct Pattern {
    glob: glob::Pattern,
    qualified: bool,
}

impl TableFilter {
    /// The filter of `patterns`; the error names the pattern and what is wrong with it.
    pub fn parse(patterns: &[String]) -> Result<TableFilter, String> {
        let patterns = patterns
            .iter()
            .map(|text| {
                let glob = glob_of(
                    text,
                    "a table name or a glob such as \"tmp_*\" or \"audit.*\"",
                )?;
                Ok(Pattern {
                    glob,
                    qualified: text.contains('.'),
                })
            })
            .collect::<Result<_, String>>()?;
        Ok(TableFilter { patterns })
    }

    pub fn excludes(&self, table: &QualifiedName) -> bool {
        self.patterns.iter().any(|p| {
            if p.qualified {
                p.glob.matches(&format!("{}.{}", table.schema, table.name))
            } else {
                p.glob.matches(&table.name)
            }
        })
    }

    /// `schema` without the excluded tables.
    pub fn apply(&self, schema: Schema) -> Schema {
        self.remove(schema).0
    }

    /// Both sides of a comparison without the excluded tables. A schema (namespace) that held
    /// an excluded table on the current side is kept on the desired side, so the plan does not
    /// drop the schema the excluded tables live in (`audit.*`).
    pub fn apply_to_both(&self, current: Schema, desired: Schema) -> (Schema, Schema) {
        let (current, holding) = self.remove(current);
        let (mut desired, _) = self.remove(desired);
        for namespace in holding {
            desired.schemas.entry(namespace).or_default();
        }
        (current, desired)
    }

    /// `schema` without the excluded tables, and the namespaces that held one.
    fn remove(&self, mut schema: Schema) -> (Schema, Vec<String>) {
        let mut holding = Vec::new();
        if self.patterns.is_empty() {
            return (schema, holding);
        }
        for (namespace, objects) in schema.schemas.iter_mut() {
            let before = objects.tables.len();
            objects.tables.retain(|name, _| {
                !self.excludes(&QualifiedName::new(namespace.as_str(), name.as_str()))
            });
            // An excluded table's triggers are the other tool's too: left alone with it.
            objects.triggers.retain(|_, trigger| {
                !self.excludes(&QualifiedName::new(
                    namespace.as_str(),
                    trigger.table.as_str(),
                ))
            });
            if objects.tables.len() != before {
                holding.push(namespace.clone());
            }
        }
        (schema, holding)
    }
}

/// `include_schemas`: globs over schema names.
#[derive(Debug, Clone, Default)]
pub struct SchemaFilter {
    patterns: Vec<glob::Pattern>,
}

impl SchemaFilter {
    /// The filter of `patterns`; the error names the pattern and what is wrong with it.
    pub fn parse(patterns: &[String]) -> Result<SchemaFilter, String> {
        let patterns = patterns
            .iter()
            .map(|text| glob_of(text, "a schema name or a glob such as \"tenant_*\""))
            .collect::<Result<_, _>>()?;
        Ok(SchemaFilter { patterns })
    }

    pub fn matches(&self, schema: &str) -> bool {
        self.patterns.iter().any(|p| p.matches(schema))
    }

    /// The schemas to compare: `listed` (from `schemas`/`--schema`) and every name of
    /// `existing` (the database's schemas) that a pattern matches, sorted, each once.
    pub fn resolve(&self, listed: &[String], existing: &[String]) -> Vec<String> {
        let mut out: Vec<String> = listed
            .iter()
            .cloned()
            .chain(existing.iter().filter(|s| self.matches(s)).cloned())
            .collect();
        out.sort();
        out.dedup();
        out
    }

    /// `models` without the tables of schemas neither listed nor matched: the filter applies to
    /// both sides.
    pub fn keep_models(&self, listed: &[String], mut models: Schema) -> Schema {
        models
            .schemas
            .retain(|name, _| listed.contains(name) || self.matches(name));
        models
    }
}

#[cfg(test)]
mod tests {
    use super::{SchemaFilter, TableFilter};
    use autogen_schema::QualifiedName;

    #[test]
    fn bare_patterns_match_names_in_any_schema_and_dotted_ones_the_qualified_name() {
        let filter = TableFilter::parse(&[
            "spatial_ref_sys".to_owned(),
            "tmp_*".to_owned(),
            "audit.*".to_owned(),
        ])
        .unwrap();
        for (schema, name, excluded) in [
            ("public", "spatial_ref_sys", true),
            ("gis", "spatial_ref_sys", true),
            ("public", "tmp_import", true),
            ("public", "tmp", false),
            ("audit", "events", true),
            ("public", "events", false),
            ("public", "audit", false),
            ("auditing", "events", false),
        ] {
            assert_eq!(
                filter.excludes(&QualifiedName::new(schema, name)),
                excluded,
                "{schema}.{name}"
            );
        }
    }

    #[test]
    fn schema_patterns_add_the_matching_schemas_to_the_listed_ones() {
        let filter = SchemaFilter::parse(&["tenant_*".to_owned(), "billing".to_owned()]).unwrap();
        let existing = ["billing", "public", "tenant_a", "tenant_b", "tenants"].map(str::to_owned);
        assert_eq!(
            filter.resolve(&["app".to_owned()], &existing),
            ["app", "billing", "tenant_a", "tenant_b"]
        );
        assert!(SchemaFilter::parse(&["[x".to_owned()]).is_err());
    }

    #[test]
    fn a_malformed_or_empty_pattern_is_named() {
        let error = TableFilter::parse(&["[abc".to_owned()]).unwrap_err();
        assert!(
            error.contains("\"[abc\"") && error.contains("not a glob"),
            "{error}"
        );
        let error = TableFilter::parse(&[" ".to_owned()]).unwrap_err();
        assert!(error.contains("empty pattern"), "{error}");
    }
}
