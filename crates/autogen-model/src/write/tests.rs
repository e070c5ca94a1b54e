//! The writer's output read back by the reader is the schema it was written from.
