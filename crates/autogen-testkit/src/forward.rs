//! What every test database offers on top of its own `url`, `name` and `try_query`: the
//! panicking and row-less forms, as inherent methods (callers need no trait in scope) and as
//! [`crate::TestDatabase`], written once here.

/// `execute`, `try_execute` and `query` for `$ty`, and `impl TestDatabase for $ty`.
macro_rules! test_database {
    ($ty:ty) => {
        impl $ty {
            /// Runs a script of one or more statements, panicking on error.
            pub fn execute(&self, sql: &str) {
                if let Err(e) = self.try_execute(sql) {
                    panic!("script failed on {}: {e}\n{sql}", self.name());
                }
            }

            /// Like `execute`, returning the error instead of panicking.
            pub fn try_execute(&self, sql: &str) -> Result<(), String> {
                self.try_query(sql).map(drop)
            }

            /// Runs a script and returns the rows of all its statements, values as text
            /// (`None` for NULL), panicking on error.
            pub fn query(&self, sql: &str) -> Vec<Vec<Option<String>>> {
                self.try_query(sql)
                    .unwrap_or_else(|e| panic!("query failed on {}: {e}\n{sql}", self.name()))
            }
        }

        impl $crate::TestDatabase for $ty {
            fn url(&self) -> &str {
                <$ty>::url(self)
            }

            fn name(&self) -> &str {
                <$ty>::name(self)
            }

            fn execute(&self, sql: &str) {
                <$ty>::execute(self, sql);
            }

            fn try_execute(&self, sql: &str) -> Result<(), String> {
                <$ty>::try_execute(self, sql)
            }

            fn query(&self, sql: &str) -> Vec<Vec<Option<String>>> {
                <$ty>::query(self, sql)
            }
        }
    };
}
