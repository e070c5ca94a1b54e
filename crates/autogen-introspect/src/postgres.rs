pub struct PostgresOptions;
pub fn introspect_postgres() {}
