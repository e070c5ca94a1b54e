use autogen_schema::{QualifiedName, Sequence};

use crate::Change;
use crate::diff::{Sides, union_keys};

/// Sequences. An owned sequence is created without its owner (the owning column does not exist
/// yet: its default calls the sequence) and owned by an `AlterSequence` once the column exists;
/// before a drop it is disowned the same way, because PostgreSQL drops an owned sequence along
/// with its column and the plan must stay valid in both directions.
pub(crate) fn diff(sides: &Sides<'_>, out: &mut Vec<Change>) {
    let (was_all, want_all) = (&sides.renamed.schemas, &sides.desired.schemas);
    for schema in union_keys(Some(was_all), Some(want_all)) {
        let was = was_all.get(schema).map(|ns| &ns.sequences);
        let want = want_all.get(schema).map(|ns| &ns.sequences);
        for name in union_keys(was, want) {
            let name = QualifiedName::new(schema, name);
            match (
                was.and_then(|m| m.get(&name.name)),
                want.and_then(|m| m.get(&name.name)),
            ) {
                (None, Some(to)) => {
                    let bare = disowned(to);
                    out.push(Change::CreateSequence {
                        name: name.clone(),
                        definition: bare.clone(),
                    });
                    if to.owned_by.is_some() {
                        out.push(Change::AlterSequence {
                            name,
                            from: bare,
                            to: to.clone(),
                        });
                    }
                }
                (Some(from), None) => {
                    let bare = disowned(from);
                    if from.owned_by.is_some() {
                        out.push(Change::AlterSequence {
                            name: name.clone(),
                            from: from.clone(),
                            to: bare.clone(),
                        });
                    }
                    out.push(Change::DropSequence {
                        name,
                        definition: bare,
                    });
                }
                (Some(from), Some(to)) if from != to => out.push(Change::AlterSequence {
                    name,
                    from: from.clone(),
                    to: Sequence {
                        name: from.name.clone(),
                        ..to.clone()
                    },
                }),
                (Some(_), Some(_)) | (None, None) => {}
            }
        }
    }
}

fn disowned(sequence: &Sequence) -> Sequence {
    Sequence {
        owned_by: None,
        ..sequence.clone()
    }
}
