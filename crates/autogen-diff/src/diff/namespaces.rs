use crate::Change;
use crate::diff::{Sides, union_keys};

/// Schemas present on one side only.
pub(crate) fn diff(sides: &Sides<'_>, out: &mut Vec<Change>) {
    let (current, desired) = (&sides.current.schemas, &sides.desired.schemas);
    for name in union_keys(Some(current), Some(desired)) {
        let was = current.get(name);
        let want = desired.get(name);
        if was.is_none() {
            out.push(Change::CreateSchema { name: name.clone() });
        }
        if want.is_none() {
            out.push(Change::DropSchema { name: name.clone() });
        }
    }
}
