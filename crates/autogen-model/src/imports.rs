//! `use` declarations, so a type written by its imported name resolves to its full path:
//! `use chrono::DateTime as Dt;` makes `Dt<Utc>` known as `chrono::DateTime<Utc>`.

use std::collections::BTreeMap;

use syn::UseTree;

/// The names a file imports, each to the path it stands for. One map per file, whatever the
/// module nesting: model files are small, and the last segment decides most types anyway.
#[derive(Debug, Default)]
pub(crate) struct Imports {
    names: BTreeMap<String, Vec<String>>,
}

impl Imports {
    pub fn add(&mut self, tree: &UseTree) {
        self.walk(tree, &mut Vec::new());
    }

    fn walk(&mut self, tree: &UseTree, prefix: &mut Vec<String>) {
        match tree {
            UseTree::Path(path) => {
                prefix.push(path.ident.to_string());
                self.walk(&path.tree, prefix);
                prefix.pop();
            }
            UseTree::Name(name) => {
                let ident = name.ident.to_string();
                if ident == "self" {
                    if let Some(last) = prefix.last() {
                        self.names.insert(last.clone(), prefix.clone());
                    }
                } else {
                    let mut full = prefix.clone();
                    full.push(ident.clone());
                    self.names.insert(ident, full);
                }
            }
            UseTree::Rename(rename) => {
                let mut full = prefix.clone();
                if rename.ident != "self" {
                    full.push(rename.ident.to_string());
                }
                if rename.rename != "_" {
                    self.names.insert(rename.rename.to_string(), full);
                }
            }
            UseTree::Group(group) => {
                for tree in &group.items {
                    self.walk(tree, prefix);
                }
            }
            // A glob brings in names the reader cannot list; their last segments still work.
            UseTree::Glob(_) => {}
        }
    }

    /// `segments` with its first segment replaced by what it was imported as.
    pub fn resolve(&self, segments: &[String]) -> Vec<String> {
        match segments.split_first() {
            Some((first, rest)) => match self.names.get(first) {
                Some(full) => full.iter().chain(rest).cloned().collect(),
                None => segments.to_vec(),
            },
            None => Vec::new(),
        }
    }
}
