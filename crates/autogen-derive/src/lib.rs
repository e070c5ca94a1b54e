//! Inert derives: autogen reads the attributes from source; the derives only make them legal.
//!
//! ```text
//! #[derive(autogen::Model)]
//! #[autogen(table = "tasks", index(columns(user_id, completed)))]
//! pub struct Task {
//!     #[autogen(primary_key)] pub id: i64,
//!     #[autogen(max_length = 200)] pub title: String,
//!     #[autogen(references = "users.id", on_delete = "cascade")] pub user_id: i64,
//!     pub completed: bool,
//! }
//! ```
//!
//! `autogen-model` reads these files with `syn` into the desired schema; nothing is generated
//! at compile time, so the derives cost nothing and check nothing. Every key is listed in
//! `docs/models.md`; `fixtures/models/derive_check` is a crate that uses them all and must build.

use proc_macro::TokenStream;

/// Marks a struct as a table model; generates nothing. Its keys go in `#[autogen(..)]` on the
/// struct and its fields.
#[proc_macro_derive(Model, attributes(autogen))]
pub fn derive_model(_input: TokenStream) -> TokenStream {
    TokenStream::new()
}

/// Marks an enum as a database enum type; generates nothing. Its keys go in `#[autogen(..)]` on
/// the enum and its variants.
#[proc_macro_derive(Enum, attributes(autogen))]
pub fn derive_enum(_input: TokenStream) -> TokenStream {
    TokenStream::new()
}
