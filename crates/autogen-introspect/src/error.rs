pub enum IntrospectError {}
