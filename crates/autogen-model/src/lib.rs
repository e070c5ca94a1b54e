//! Reads Rust model structs into a `Schema`. Arrives with the model-reader issue.
