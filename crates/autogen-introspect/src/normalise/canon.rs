//! Cheap equivalence of two spellings of one expression, without a database: both are parsed
//! with the dialect's `sqlparser` grammar and rewritten into one canonical tree, which is then
//! compared. Each rewrite undoes one habit of the server's printer (PostgreSQL's `pg_get_expr`,
//! MariaDB's `information_schema`, SQLite's stored text) and is only applied where it cannot
//! change what the expression means: a false "equal" would hide a real change, a false
//! "different" only costs a round trip to the server, which then decides.

use std::collections::BTreeMap;

use autogen_schema::{ColumnType, Dialect};
use sqlparser::ast::{
    Array, BinaryOperator, CastKind, DataType, Expr, Function, FunctionArg, FunctionArgExpr,
    FunctionArguments, Ident, ObjectName, ObjectNamePart, UnaryOperator, Value, ValueWithSpan,
};
use sqlparser::dialect::{MySqlDialect, PostgreSqlDialect, SQLiteDialect};
use sqlparser::parser::Parser;
use sqlparser::tokenizer::Span;

/// Where an expression sits: a default is coerced to its column's type, which lets a literal's
/// cast to that type go; elsewhere only the casts the context proves redundant go.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Place<'a> {
    Default(&'a ColumnType),
    Other,
}

/// The columns an expression may name, with their types, keyed by name as written in the IR.
pub(crate) type Columns<'a> = BTreeMap<&'a str, &'a ColumnType>;

/// Whether `model` and `live` are two spellings of one expression at `place`. `false` means
/// "not shown equal", never "shown different".
pub(crate) fn equivalent(
    dialect: Dialect,
    model: &str,
    live: &str,
    place: Place<'_>,
    columns: &Columns<'_>,
) -> bool {
    if model == live {
        return true;
    }
    let (Some(model), Some(live)) = (parse(dialect, model), parse(dialect, live)) else {
        return false;
    };
    let cx = Cx { dialect, columns };
    cx.top(model, place) == cx.top(live, place)
}

/// One expression and nothing after it, or `None`.
#[allow(
    clippy::wildcard_enum_match_arm,
    reason = "matches over sqlparser's sqlparser::tokenizer::Token, not ours: a wildcard is the intent"
)]
fn parse(dialect: Dialect, text: &str) -> Option<Expr> {
    let parser = match dialect {
        Dialect::Postgres => Parser::new(&PostgreSqlDialect {}),
        Dialect::MySql => Parser::new(&MySqlDialect {}),
        Dialect::Sqlite => Parser::new(&SQLiteDialect {}),
    };
    let mut parser = parser.try_with_sql(text).ok()?;
    let expr = parser.parse_expr().ok()?;
    match parser.peek_token().token {
        sqlparser::tokenizer::Token::EOF => Some(expr),
        _ => None,
    }
}

struct Cx<'a> {
    dialect: Dialect,
    columns: &'a Columns<'a>,
}

impl Cx<'_> {
    fn top(&self, expr: Expr, place: Place<'_>) -> Expr {
        if let Place::Default(ty) = place
            && let Some(kept) = self.foreign_string_cast(&expr, ty)
        {
            return kept;
        }
        let expr = self.canon(expr);
        match place {
            // A default is assigned to its column: a literal cast to the column's own type is
            // the cast the assignment makes anyway.
            Place::Default(ty) => {
                // MySQL's BOOLEAN is `tinyint(1)`: TRUE and FALSE are stored, and printed, as
                // 1 and 0.
                let stored_as_number = self.dialect == Dialect::MySql && *ty == ColumnType::Boolean;
                self.default_literal(expr, ty, stored_as_number)
            }
            Place::Other => expr,
        }
    }

    /// A default that is a string literal cast to `text` or `character varying` where the
    /// column is of another type, as the cast itself: it is how PostgreSQL prints a default
    /// set on a column of that type and kept through a retype (`varchar` to `text` keeps
    /// `'x'::character varying`), where a direct build prints the column's own type. Elsewhere
    /// the printer adds those casts to any unknown-typed literal and [`Cx::cast`] lets them go.
    /// A type autogen does not know (a domain prints its base type) is left to that rule.
    #[allow(
        clippy::wildcard_enum_match_arm,
        reason = "matches over sqlparser's Expr, not ours: a wildcard is the intent"
    )]
    fn foreign_string_cast(&self, expr: &Expr, ty: &ColumnType) -> Option<Expr> {
        if self.dialect != Dialect::Postgres || matches!(ty, ColumnType::Other { .. }) {
            return None;
        }
        let mut expr = expr;
        while let Expr::Nested(inner) = expr {
            expr = inner;
        }
        let Expr::Cast {
            expr: inner,
            data_type,
            format: None,
            ..
        } = expr
        else {
            return None;
        };
        string_literal(inner)?;
        let data_type = self.data_type(data_type.clone());
        let target = ColumnType::parse_postgres(&cast_text(&data_type)).ok()?;
        let string_type = matches!(
            target.without_modifiers(),
            ColumnType::Text | ColumnType::Varchar { .. }
        );
        if !string_type || self.cast_fits(&data_type, ty, inner) {
            return None;
        }
        Some(Expr::Cast {
            kind: CastKind::DoubleColon,
            expr: Box::new(self.canon((**inner).clone())),
            data_type,
            format: None,
        })
    }

    #[allow(
        clippy::wildcard_enum_match_arm,
        reason = "matches over sqlparser's Expr, not ours: a wildcard is the intent"
    )]
    fn default_literal(&self, expr: Expr, ty: &ColumnType, stored_as_number: bool) -> Expr {
        match expr {
            Expr::Cast {
                expr: inner,
                data_type,
                ..
            } if is_literal(&inner) && self.cast_fits(&data_type, ty, &inner) => *inner,
            Expr::Value(ValueWithSpan {
                value: Value::Boolean(b),
                ..
            }) if stored_as_number => number(if b { "1" } else { "0" }.to_owned(), false),
            other => other,
        }
    }

    /// Children first, then the rules for the node itself.
    #[allow(
        clippy::wildcard_enum_match_arm,
        reason = "matches over sqlparser's Expr, not ours: a wildcard is the intent"
    )]
    fn canon(&self, expr: Expr) -> Expr {
        // PostgreSQL's printer rewrites the forms below; the others keep them.
        let postgres = self.dialect == Dialect::Postgres;
        match expr {
            Expr::Nested(inner) => self.canon(*inner),
            Expr::Identifier(ident) => Expr::Identifier(self.ident(ident)),
            Expr::CompoundIdentifier(idents) => {
                Expr::CompoundIdentifier(idents.into_iter().map(|i| self.ident(i)).collect())
            }
            Expr::Value(value) => Expr::Value(self.value(value)),
            Expr::UnaryOp { op, expr } => {
                let inner = self.canon(*expr);
                match (op, inner) {
                    // PostgreSQL folds `-1` into one negative constant.
                    (
                        UnaryOperator::Minus,
                        Expr::Value(ValueWithSpan {
                            value: Value::Number(digits, long),
                            ..
                        }),
                    ) if !digits.starts_with('-') => number(format!("-{digits}"), long),
                    (op, inner) => Expr::UnaryOp {
                        op,
                        expr: Box::new(inner),
                    },
                }
            }
            Expr::Cast {
                kind,
                expr,
                data_type,
                format,
            } => {
                let inner = self.canon(*expr);
                let data_type = self.data_type(data_type);
                self.cast(kind, inner, data_type, format)
            }
            Expr::BinaryOp { left, op, right } => {
                let mut left = self.canon(*left);
                let mut right = self.canon(*right);
                if is_comparison(&op) {
                    self.strip_partner_cast(&left, &mut right);
                    self.strip_partner_cast(&right, &mut left);
                }
                Expr::BinaryOp {
                    left: Box::new(left),
                    op,
                    right: Box::new(right),
                }
            }
            // PostgreSQL stores `x IN (a, b)` as `x = ANY (ARRAY[a, b])`, a one-element list as `x = a`.
            Expr::InList {
                expr,
                list,
                negated,
            } if postgres => {
                let op = if negated {
                    BinaryOperator::NotEq
                } else {
                    BinaryOperator::Eq
                };
                if list.len() == 1 {
                    let right = list.into_iter().next().expect("one element");
                    return self.canon(Expr::BinaryOp {
                        left: expr,
                        op,
                        right: Box::new(right),
                    });
                }
                let right = Box::new(Expr::Array(Array {
                    elem: list,
                    named: true,
                }));
                let quantified = if negated {
                    Expr::AllOp {
                        left: expr,
                        compare_op: op,
                        right,
                    }
                } else {
                    Expr::AnyOp {
                        left: expr,
                        compare_op: op,
                        right,
                        is_some: false,
                    }
                };
                self.canon(quantified)
            }
            Expr::InList {
                expr,
                list,
                negated,
            } => Expr::InList {
                expr: Box::new(self.canon(*expr)),
                list: list.into_iter().map(|e| self.canon(e)).collect(),
                negated,
            },
            Expr::AnyOp {
                left,
                compare_op,
                right,
                ..
            } => {
                let left = self.canon(*left);
                let right = self.quantified_list(&left, *right);
                Expr::AnyOp {
                    left: Box::new(left),
                    compare_op,
                    right: Box::new(right),
                    is_some: false,
                }
            }
            Expr::AllOp {
                left,
                compare_op,
                right,
            } => {
                let left = self.canon(*left);
                let right = self.quantified_list(&left, *right);
                Expr::AllOp {
                    left: Box::new(left),
                    compare_op,
                    right: Box::new(right),
                }
            }
            // PostgreSQL stores BETWEEN as the two comparisons.
            Expr::Between {
                expr,
                negated,
                low,
                high,
            } if postgres => {
                let (low_op, high_op, join) = if negated {
                    (BinaryOperator::Lt, BinaryOperator::Gt, BinaryOperator::Or)
                } else {
                    (
                        BinaryOperator::GtEq,
                        BinaryOperator::LtEq,
                        BinaryOperator::And,
                    )
                };
                self.canon(Expr::BinaryOp {
                    left: Box::new(Expr::BinaryOp {
                        left: expr.clone(),
                        op: low_op,
                        right: low,
                    }),
                    op: join,
                    right: Box::new(Expr::BinaryOp {
                        left: expr,
                        op: high_op,
                        right: high,
                    }),
                })
            }
            Expr::Between {
                expr,
                negated,
                low,
                high,
            } => Expr::Between {
                expr: Box::new(self.canon(*expr)),
                negated,
                low: Box::new(self.canon(*low)),
                high: Box::new(self.canon(*high)),
            },
            // PostgreSQL prints LIKE as its operator `~~` (ILIKE `~~*`).
            Expr::Like {
                negated,
                any: false,
                expr,
                pattern,
                escape_char: None,
            } if postgres => {
                let op = if negated {
                    BinaryOperator::PGNotLikeMatch
                } else {
                    BinaryOperator::PGLikeMatch
                };
                self.canon(Expr::BinaryOp {
                    left: expr,
                    op,
                    right: pattern,
                })
            }
            Expr::ILike {
                negated,
                any: false,
                expr,
                pattern,
                escape_char: None,
            } if postgres => {
                let op = if negated {
                    BinaryOperator::PGNotILikeMatch
                } else {
                    BinaryOperator::PGILikeMatch
                };
                self.canon(Expr::BinaryOp {
                    left: expr,
                    op,
                    right: pattern,
                })
            }
            Expr::IsNull(e) => Expr::IsNull(Box::new(self.canon(*e))),
            Expr::IsNotNull(e) => Expr::IsNotNull(Box::new(self.canon(*e))),
            Expr::IsTrue(e) => Expr::IsTrue(Box::new(self.canon(*e))),
            Expr::IsNotTrue(e) => Expr::IsNotTrue(Box::new(self.canon(*e))),
            Expr::IsFalse(e) => Expr::IsFalse(Box::new(self.canon(*e))),
            Expr::IsNotFalse(e) => Expr::IsNotFalse(Box::new(self.canon(*e))),
            Expr::IsDistinctFrom(a, b) => {
                Expr::IsDistinctFrom(Box::new(self.canon(*a)), Box::new(self.canon(*b)))
            }
            Expr::IsNotDistinctFrom(a, b) => {
                Expr::IsNotDistinctFrom(Box::new(self.canon(*a)), Box::new(self.canon(*b)))
            }
            Expr::Array(Array { elem, .. }) => Expr::Array(Array {
                elem: elem.into_iter().map(|e| self.canon(e)).collect(),
                named: true,
            }),
            Expr::Function(function) => Expr::Function(self.function(function)),
            // PostgreSQL prints `interval '7 days'` and `DATE '2020-01-01'` as casts.
            Expr::Interval(interval)
                if postgres
                    && interval.leading_field.is_none()
                    && interval.leading_precision.is_none()
                    && interval.last_field.is_none()
                    && interval.fractional_seconds_precision.is_none() =>
            {
                self.canon(Expr::Cast {
                    kind: CastKind::DoubleColon,
                    expr: interval.value,
                    data_type: DataType::Custom(
                        ObjectName::from(vec![Ident::new("interval")]),
                        Vec::new(),
                    ),
                    format: None,
                })
            }
            Expr::TypedString(typed) if postgres && !typed.uses_odbc_syntax => {
                self.canon(Expr::Cast {
                    kind: CastKind::DoubleColon,
                    expr: Box::new(Expr::Value(typed.value)),
                    data_type: typed.data_type,
                    format: None,
                })
            }
            Expr::Case {
                case_token,
                end_token,
                operand,
                conditions,
                else_result,
            } => Expr::Case {
                case_token,
                end_token,
                operand: operand.map(|o| Box::new(self.canon(*o))),
                conditions: conditions
                    .into_iter()
                    .map(|mut when| {
                        when.condition = self.canon(when.condition);
                        when.result = self.canon(when.result);
                        when
                    })
                    .collect(),
                else_result: else_result.map(|e| Box::new(self.canon(*e))),
            },
            // Anything else is compared as parsed: spelled differently, it goes to the server.
            other => other,
        }
    }

    /// Unquoted names fold to lower case on PostgreSQL; MySQL and SQLite compare column names
    /// without regard to case. The quotes themselves are not part of the name.
    fn ident(&self, ident: Ident) -> Ident {
        let value = match (self.dialect, ident.quote_style) {
            (Dialect::Postgres, Some(_)) => ident.value,
            (Dialect::Postgres, None) | (Dialect::MySql | Dialect::Sqlite, _) => {
                ident.value.to_lowercase()
            }
        };
        Ident {
            value,
            quote_style: None,
            span: Span::empty(),
        }
    }

    fn object_name(&self, name: ObjectName) -> ObjectName {
        ObjectName(
            name.0
                .into_iter()
                .map(|part| match part {
                    ObjectNamePart::Identifier(ident) => {
                        ObjectNamePart::Identifier(self.ident(ident))
                    }
                    other => other,
                })
                .collect(),
        )
    }

    #[allow(
        clippy::wildcard_enum_match_arm,
        reason = "matches over sqlparser's Value, not ours: a wildcard is the intent"
    )]
    fn value(&self, value: ValueWithSpan) -> ValueWithSpan {
        let double_quotes_are_strings = self.dialect != Dialect::Postgres;
        let value = match value.value {
            // MySQL and SQLite accept "text" as a string; MariaDB prints it as 'text'.
            Value::DoubleQuotedString(s) if double_quotes_are_strings => {
                Value::SingleQuotedString(s)
            }
            other => other,
        };
        ValueWithSpan {
            value,
            span: Span::empty(),
        }
    }

    #[allow(
        clippy::wildcard_enum_match_arm,
        reason = "matches over sqlparser's FunctionArg, not ours: a wildcard is the intent"
    )]
    fn function(&self, mut function: Function) -> Function {
        function.name = self.object_name(function.name);
        function.args = match function.args {
            FunctionArguments::List(mut list) => {
                list.args = list
                    .args
                    .into_iter()
                    .map(|arg| match arg {
                        FunctionArg::Unnamed(FunctionArgExpr::Expr(e)) => {
                            FunctionArg::Unnamed(FunctionArgExpr::Expr(self.canon(e)))
                        }
                        other => other,
                    })
                    .collect();
                FunctionArguments::List(list)
            }
            other => other,
        };
        if self.dialect == Dialect::MySql {
            function = mysql_now(function);
        }
        function
    }

    /// The cast's target, spelled one way: PostgreSQL's type names through the IR's own parser
    /// (`int4` = `integer`), user types as their normalised qualified name.
    #[allow(
        clippy::wildcard_enum_match_arm,
        reason = "matches over sqlparser's DataType, not ours: a wildcard is the intent"
    )]
    fn data_type(&self, data_type: DataType) -> DataType {
        let text = match data_type {
            DataType::Custom(name, modifiers) if modifiers.is_empty() => {
                let name = self.object_name(name);
                name.0
                    .iter()
                    .map(|p| p.as_ident().map(|i| i.value.clone()).unwrap_or_default())
                    .collect::<Vec<_>>()
                    .join(".")
            }
            other => {
                let text = other.to_string().to_lowercase();
                match (self.dialect, ColumnType::parse_postgres(&text)) {
                    (Dialect::Postgres, Ok(ty)) => ty.sql(Dialect::Postgres),
                    (Dialect::Postgres, Err(_)) | (Dialect::MySql | Dialect::Sqlite, _) => text,
                }
            }
        };
        DataType::Custom(ObjectName::from(vec![Ident::new(text)]), Vec::new())
    }

    #[allow(
        clippy::wildcard_enum_match_arm,
        reason = "matches over sqlparser's CastKind, not ours: a wildcard is the intent"
    )]
    fn cast(
        &self,
        kind: CastKind,
        inner: Expr,
        data_type: DataType,
        format: Option<sqlparser::ast::CastFormat>,
    ) -> Expr {
        let target = cast_text(&data_type);
        if self.dialect == Dialect::Postgres && format.is_none() {
            // `'-1'::integer`, `'5000000000'::bigint`: how PostgreSQL prints a constant whose
            // own type is the one named; the bare number is the same constant.
            if let Some(text) = string_literal(&inner)
                && natural_number_type(text) == Some(target.as_str())
            {
                return number(text.to_owned(), false);
            }
            // An unknown-typed string literal resolves to text where nothing else claims it:
            // `'x'::text` is how the server prints what was written `'x'`.
            if string_literal(&inner).is_some()
                && (target == "text" || target == "character varying")
            {
                return inner;
            }
            // A varchar or text column compared as text: the server adds the (binary) cast.
            if target == "text"
                && let Expr::Identifier(ident) = &inner
                && self
                    .column(&ident.value)
                    .is_some_and(|ty| matches!(ty, ColumnType::Text | ColumnType::Varchar { .. }))
            {
                return inner;
            }
            // `(ARRAY['a'::character varying])::text[]`: string literals as text.
            if (target == "text[]" || target == "character varying[]")
                && let Expr::Array(array) = &inner
                && array.elem.iter().all(|e| string_literal(e).is_some())
            {
                return inner;
            }
        }
        Expr::Cast {
            kind: match kind {
                CastKind::Cast | CastKind::DoubleColon => CastKind::DoubleColon,
                other => other,
            },
            expr: Box::new(inner),
            data_type,
            format,
        }
    }

    fn column(&self, name: &str) -> Option<&ColumnType> {
        self.columns
            .get(name)
            .copied()
            .or_else(|| match self.dialect {
                Dialect::Postgres => None,
                // Case-insensitive names: the identifier was lowered.
                Dialect::MySql | Dialect::Sqlite => self
                    .columns
                    .iter()
                    .find(|(n, _)| n.to_lowercase() == name)
                    .map(|(_, ty)| *ty),
            })
    }

    /// In `column OP literal::T`, a cast to the column's own type is the one the operator
    /// resolution adds: `st <> 'a'::public.status` is `st <> 'a'`.
    fn strip_partner_cast(&self, partner: &Expr, other: &mut Expr) {
        let Expr::Identifier(ident) = partner else {
            return;
        };
        let Some(ty) = self.column(&ident.value) else {
            return;
        };
        if let Expr::Cast {
            expr, data_type, ..
        } = other
            && is_literal(expr)
            && self.cast_fits(data_type, ty, expr)
        {
            *other = (**expr).clone();
        }
    }

    /// The list of `x = ANY (ARRAY[..])`, each element's cast to `x`'s type dropped.
    #[allow(
        clippy::wildcard_enum_match_arm,
        reason = "matches over sqlparser's Expr, not ours: a wildcard is the intent"
    )]
    fn quantified_list(&self, left: &Expr, right: Expr) -> Expr {
        match self.canon(right) {
            Expr::Array(Array { elem, named }) => Expr::Array(Array {
                elem: elem
                    .into_iter()
                    .map(|mut e| {
                        self.strip_partner_cast(left, &mut e);
                        e
                    })
                    .collect(),
                named,
            }),
            other => other,
        }
    }

    /// Whether a cast of `literal` to `data_type` is the implicit one to a column of type `ty`
    /// (same type, modifiers aside), and loses nothing.
    #[allow(
        clippy::wildcard_enum_match_arm,
        reason = "only the types named differ here; every other type is handled alike"
    )]
    fn cast_fits(&self, data_type: &DataType, ty: &ColumnType, literal: &Expr) -> bool {
        if self.dialect != Dialect::Postgres {
            return false;
        }
        let target = cast_text(data_type);
        let same = match ty {
            ColumnType::Enum { name } => target == format!("{}.{}", name.schema, name.name),
            other => ColumnType::parse_postgres(&target)
                .is_ok_and(|parsed| parsed.without_modifiers() == other.without_modifiers()),
        };
        if !same {
            return false;
        }
        match literal_number(literal) {
            // A number cast to a numeric type keeps its value when the type holds it.
            Some(digits) => {
                let whole = !digits.contains(['.', 'e', 'E']);
                holds(&ty.without_modifiers(), digits, whole)
            }
            None => true,
        }
    }
}

/// Whether a column of (base) type `ty` holds the number `digits` exactly.
fn holds(ty: &ColumnType, digits: &str, whole: bool) -> bool {
    match ty {
        ColumnType::SmallInt => whole && digits.parse::<i16>().is_ok(),
        ColumnType::Integer => whole && digits.parse::<i32>().is_ok(),
        ColumnType::BigInt => whole && digits.parse::<i64>().is_ok(),
        ColumnType::Numeric { .. } => true,
        // Floating point may round; anything else is no number.
        ColumnType::Real
        | ColumnType::Double
        | ColumnType::Boolean
        | ColumnType::Text
        | ColumnType::Varchar { .. }
        | ColumnType::Char { .. }
        | ColumnType::Bytes
        | ColumnType::Date
        | ColumnType::Time { .. }
        | ColumnType::Timestamp { .. }
        | ColumnType::Interval { .. }
        | ColumnType::Uuid
        | ColumnType::Json
        | ColumnType::Jsonb
        | ColumnType::Enum { .. }
        | ColumnType::Array { .. }
        | ColumnType::Other { .. } => false,
    }
}

fn is_comparison(op: &BinaryOperator) -> bool {
    matches!(
        op,
        BinaryOperator::Eq
            | BinaryOperator::NotEq
            | BinaryOperator::Lt
            | BinaryOperator::LtEq
            | BinaryOperator::Gt
            | BinaryOperator::GtEq
    )
}

fn is_literal(expr: &Expr) -> bool {
    matches!(expr, Expr::Value(_))
}

#[allow(
    clippy::wildcard_enum_match_arm,
    reason = "matches over sqlparser's Expr, not ours: a wildcard is the intent"
)]
fn string_literal(expr: &Expr) -> Option<&str> {
    match expr {
        Expr::Value(ValueWithSpan {
            value: Value::SingleQuotedString(s),
            ..
        }) => Some(s),
        _ => None,
    }
}

#[allow(
    clippy::wildcard_enum_match_arm,
    reason = "matches over sqlparser's Expr, not ours: a wildcard is the intent"
)]
fn literal_number(expr: &Expr) -> Option<&str> {
    match expr {
        Expr::Value(ValueWithSpan {
            value: Value::Number(digits, _),
            ..
        }) => Some(digits),
        _ => None,
    }
}

fn number(digits: String, long: bool) -> Expr {
    Expr::Value(ValueWithSpan {
        value: Value::Number(digits, long),
        span: Span::empty(),
    })
}

#[allow(
    clippy::wildcard_enum_match_arm,
    reason = "matches over sqlparser's DataType, not ours: a wildcard is the intent"
)]
fn cast_text(data_type: &DataType) -> String {
    match data_type {
        DataType::Custom(name, _) => name
            .0
            .iter()
            .map(|p| p.as_ident().map(|i| i.value.clone()).unwrap_or_default())
            .collect::<Vec<_>>()
            .join("."),
        other => other.to_string().to_lowercase(),
    }
}

/// The type PostgreSQL gives a numeric constant written `text`: `integer` when it fits 32
/// bits, `bigint` when 64, else `numeric`; a decimal is `numeric`.
fn natural_number_type(text: &str) -> Option<&'static str> {
    let digits = text.strip_prefix('-').unwrap_or(text);
    if digits.is_empty() {
        return None;
    }
    if digits.chars().all(|c| c.is_ascii_digit()) {
        return Some(if text.parse::<i32>().is_ok() {
            "integer"
        } else if text.parse::<i64>().is_ok() {
            "bigint"
        } else {
            "numeric"
        });
    }
    let mut parts = digits.splitn(2, '.');
    let whole = parts.next().unwrap_or("");
    let fraction = parts.next().unwrap_or("");
    let plain = |s: &str| s.chars().all(|c| c.is_ascii_digit());
    (plain(whole) && plain(fraction) && !(whole.is_empty() && fraction.is_empty()))
        .then_some("numeric")
}

/// MariaDB prints `now()`, `CURRENT_TIMESTAMP` and `localtimestamp` as `current_timestamp()`:
/// they are one function there.
fn mysql_now(mut function: Function) -> Function {
    let name = function.name.to_string();
    let synonym = matches!(
        name.as_str(),
        "now" | "current_timestamp" | "localtimestamp" | "localtime"
    );
    let no_args = match &function.args {
        FunctionArguments::None => true,
        FunctionArguments::List(list) => list.args.is_empty(),
        FunctionArguments::Subquery(_) => false,
    };
    if synonym && no_args {
        function.name = ObjectName::from(vec![Ident::new("current_timestamp")]);
        function.args = FunctionArguments::None;
    }
    function
}

#[cfg(test)]
mod tests;
