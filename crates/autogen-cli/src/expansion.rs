//! The expand migrations of the folder (`-m --expand-contract`), read back from their headers:
//! which still wait for their contract, and the expanded state read as contracted for the
//! comparisons (`check`, `-m`, `diff`), so that an expand in place is no drift.

use autogen_migrate::{MigrationFile, MigrationFolder};
use autogen_render::expand::{Expansion, contract_of, contracted, recorded_expansions};
use autogen_schema::Schema;

use crate::config::Settings;

/// An expand migration of the folder and its expansions.
pub struct Expand<'a> {
    pub migration: &'a MigrationFile,
    pub expansions: Vec<Expansion>,
}

/// Every expand migration of `folder`, in order.
pub fn expands(folder: &MigrationFolder) -> Vec<Expand<'_>> {
    folder
        .migrations()
        .iter()
        .map(|migration| Expand {
            migration,
            expansions: recorded_expansions(&migration.up_sql),
        })
        .filter(|e| !e.expansions.is_empty())
        .collect()
}

/// The expand migrations no contract migration of the folder closes yet.
pub fn open(folder: &MigrationFolder) -> Vec<Expand<'_>> {
    let closed: Vec<i64> = folder
        .migrations()
        .iter()
        .filter_map(|m| contract_of(&m.up_sql))
        .collect();
    expands(folder)
        .into_iter()
        .filter(|e| !closed.contains(&e.migration.version))
        .collect()
}

/// `current` with every expansion of the folder that is in place read as its contract will
/// leave it (an expansion not in place changes nothing). No folder: `current` as it is.
pub async fn seen_contracted(settings: &Settings, current: Schema) -> Schema {
    let Ok(folder) = MigrationFolder::read(&settings.migrations_dir).await else {
        return current;
    };
    let all: Vec<Expansion> = expands(&folder)
        .into_iter()
        .flat_map(|e| e.expansions)
        .collect();
    if all.is_empty() {
        return current;
    }
    contracted(&current, &all)
}

/// `status`'s lines for the expand migrations whose contract is still to be written.
pub fn pending_contracts(folder: &MigrationFolder) -> String {
    let mut out = String::new();
    for expand in open(folder) {
        let what: Vec<String> = expand.expansions.iter().map(Expansion::summary).collect();
        out.push_str(&format!(
            "contract pending: {}_{} (expand of {}): once the application the expand was made \
             for runs everywhere, `autogen contract` writes it\n",
            expand.migration.version,
            expand.migration.description.replace(' ', "_"),
            what.join(", ")
        ));
    }
    out
}
