//! Inert derives: autogen reads the attributes from source; the derives only make them legal.

use proc_macro::TokenStream;

/// Marks a struct as a table model; generates nothing.
#[proc_macro_derive(Model, attributes(autogen))]
pub fn derive_model(_input: TokenStream) -> TokenStream {
    TokenStream::new()
}

/// Marks an enum as a database enum type; generates nothing.
#[proc_macro_derive(Enum, attributes(autogen))]
pub fn derive_enum(_input: TokenStream) -> TokenStream {
    TokenStream::new()
}
