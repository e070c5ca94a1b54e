//! SeaORM entities, read as they are (1.x and 2.x, `DeriveEntityModel` with a `Relation` enum
//! or the 2.0 dense format with relation fields), with SeaORM's own type mapping and names, so
//! that a database `Schema::create_table_from_entity` built compares equal. See
//! `docs/models/seaorm.md`.
//!
//! `collect` finds the items, `expanded` reads the hand-written (expanded) format, `types` the active enums, newtypes and aliases, `entity` the
//! columns, `relations` the foreign keys, `coltype`/`render` the column types per backend,
//! `defaults` the defaults, `build` the schema with SeaORM's names.

mod attrs;
mod build;
mod collect;
pub(crate) mod coltype;
pub(crate) mod defaults;
mod entity;
mod expanded;
mod relations;
pub(crate) mod render;
mod types;

use std::collections::BTreeMap;

use crate::diagnostics::Sink;
use crate::{ModelOptions, ModelOutput, SourceFile};

/// Reads every SeaORM entity of `files` into one schema for `options.dialect`, with
/// `options.seaorm_keys` saying which SeaORM line built the database. Pure, never fails: what
/// cannot be read is a diagnostic with its place.
pub fn read_seaorm(files: &[SourceFile], options: &ModelOptions) -> ModelOutput {
    let mut sink = Sink::new(files);
    let parsed = crate::collect::parse_files(files, &mut sink);
    let items = collect::collect(files, &parsed);
    let texts: Vec<_> = files
        .iter()
        .map(|f| crate::collect::parse_text(&f.text))
        .collect();
    let types = types::read_types(&items, &mut sink);
    let mut entities = Vec::new();
    for found in &items.models {
        let cx = entity::EntityContext {
            file: found.file,
            module: &found.module,
            text: texts.get(found.file).map_or("", |t| t.as_ref()),
            types: &types,
            dialect: options.dialect,
        };
        entities.extend(entity::read_entity(found.item, &cx, &mut sink));
    }
    entities.extend(expanded::read_expanded(
        &items,
        &types,
        options.dialect,
        &mut sink,
    ));
    // A `Relation` enum belongs to the entity of its file and module.
    let mut relations: BTreeMap<usize, Vec<relations::RelationDef>> = BTreeMap::new();
    for found in &items.relations {
        let defs = relations::relation_enum(found.item, found.file, &mut sink);
        let owner = entities
            .iter()
            .position(|e| e.file == found.file && e.module == found.module);
        match owner {
            Some(index) => relations.entry(index).or_default().extend(defs),
            None if defs.is_empty() => {}
            None => sink.error(
                crate::diagnostics::Loc::new(found.file, found.item.ident.span()),
                crate::DiagnosticKind::UnsupportedItem,
                format!(
                    "`{}` derives `DeriveRelation` outside an entity's module: no `DeriveEntityModel` beside it",
                    found.item.ident
                ),
            ),
        }
    }
    let cx = build::BuildContext {
        dialect: options.dialect,
        keys: options.seaorm_keys,
        enums: &types.enums,
    };
    let built = build::build(&entities, &relations, &cx, &mut sink);
    let unmanaged_columns = entities
        .iter()
        .flat_map(|e| e.ignored.iter().map(|c| (e.name.clone(), c.clone())))
        .collect();
    ModelOutput {
        schema: built.schema,
        renames: built.renames,
        backfills: Vec::new(),
        diagnostics: sink.finish(),
        expression_sites: BTreeMap::new(),
        authority: autogen_schema::Authority::models(),
        unmanaged_columns,
    }
}
