//! Each test database has inherent methods (callers need no trait in scope) and implements
//! [`crate::TestDatabase`] by forwarding to them, written once here.

/// `impl TestDatabase for $ty` by `$ty`'s inherent methods of the same names.
macro_rules! test_database_by_inherent_methods {
    ($ty:ty) => {
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
