//! Objects of kinds autogen does not compare yet ([`autogen_schema::Uncompared`]): two schemas
//! that differ only in them must not read as equal. The plan never touches them; this says
//! which differ, so `diff` lists them and `--exit-code` counts them.

use std::collections::BTreeMap;
use std::fmt;

use autogen_schema::Schema;
use serde::Serialize;

/// How one object differs between the two sides.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Side {
    /// Only the current side (`--from`) has it.
    OnlyCurrent,
    /// Only the desired side (`--to`) has it.
    OnlyDesired,
    /// Both have it, with different definitions.
    Differs,
}

/// One object of an uncompared kind that is not the same on both sides.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct UncomparedDifference {
    pub kind: String,
    pub schema: String,
    pub name: String,
    pub side: Side,
}

impl fmt::Display for UncomparedDifference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let how = match self.side {
            Side::OnlyCurrent => "only in the current schema",
            Side::OnlyDesired => "only in the desired schema",
            Side::Differs => "defined differently",
        };
        write!(f, "{} {}.{} ({how})", self.kind, self.schema, self.name)
    }
}

/// Every uncompared object that one side lacks or defines differently, sorted by kind, schema
/// and name.
pub fn uncompared_differences(current: &Schema, desired: &Schema) -> Vec<UncomparedDifference> {
    let objects = |schema: &Schema| {
        let mut out = BTreeMap::new();
        for (namespace, objects) in &schema.schemas {
            for object in &objects.uncompared {
                out.insert(
                    (object.kind.clone(), namespace.clone(), object.name.clone()),
                    object.definition.clone(),
                );
            }
        }
        out
    };
    let (before, after) = (objects(current), objects(desired));
    let mut out = Vec::new();
    for (key, definition) in &before {
        let side = match after.get(key) {
            None => Side::OnlyCurrent,
            Some(other) if other != definition => Side::Differs,
            Some(_) => continue,
        };
        out.push(difference(key, side));
    }
    for key in after.keys().filter(|key| !before.contains_key(*key)) {
        out.push(difference(key, Side::OnlyDesired));
    }
    out.sort();
    out
}

fn difference((kind, schema, name): &(String, String, String), side: Side) -> UncomparedDifference {
    UncomparedDifference {
        kind: kind.clone(),
        schema: schema.clone(),
        name: name.clone(),
        side,
    }
}

#[cfg(test)]
mod tests {
    use autogen_schema::{Dialect, Schema, Uncompared};

    use super::{Side, uncompared_differences};

    fn schema(objects: &[(&str, &str, &str)]) -> Schema {
        let mut schema = Schema::new(Dialect::Postgres);
        for (kind, name, definition) in objects {
            schema.namespace_mut("public").uncompared.push(Uncompared {
                kind: (*kind).to_owned(),
                name: (*name).to_owned(),
                definition: (*definition).to_owned(),
            });
        }
        schema
    }

    #[test]
    fn objects_only_on_one_side_or_defined_differently_are_listed_and_equal_ones_are_not() {
        let current = schema(&[
            ("view", "active_users", "SELECT 1"),
            ("function", "f(integer)", "body a"),
            ("trigger", "t.audit", "same"),
        ]);
        let desired = schema(&[
            ("function", "f(integer)", "body b"),
            ("trigger", "t.audit", "same"),
            ("policy", "t.own_rows", "r permissive"),
        ]);
        let found: Vec<(String, Side)> = uncompared_differences(&current, &desired)
            .into_iter()
            .map(|d| (format!("{} {}", d.kind, d.name), d.side))
            .collect();
        assert_eq!(
            found,
            [
                ("function f(integer)".to_owned(), Side::Differs),
                ("policy t.own_rows".to_owned(), Side::OnlyDesired),
                ("view active_users".to_owned(), Side::OnlyCurrent),
            ]
        );
        assert!(uncompared_differences(&current, &current).is_empty());
    }
}
