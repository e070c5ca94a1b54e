//! Migration folder and lifecycle. Arrives with the revision issue.
