//! Plan + dialect -> SQL. Arrives with the differ issue.
