//! The SeaORM reader: SeaORM's own type mapping per backend and line (1.x serial, 2.x
//! identity), its names, relations, active enums, newtypes and aliases, and its diagnostics.
//! Each case is entity files; the snapshots are the schema or the diagnostics.

use insta::assert_snapshot;

use super::check;

/// One entity with every type SeaORM maps by itself, plus `column_type` overrides.
const EVERY_TYPE: &str = r#"
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "every_type")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub a_char: char,
    pub a_string: String,
    pub a_i8: i8,
    pub a_i16: i16,
    pub a_i32: i32,
    pub a_u8: u8,
    pub a_u16: u16,
    pub a_u32: u32,
    pub a_u64: u64,
    pub a_f32: f32,
    pub a_f64: f64,
    pub a_bool: bool,
    pub a_date: Date,
    pub a_time: Time,
    pub a_datetime: DateTime,
    pub a_naive: chrono::NaiveDateTime,
    pub a_utc: DateTimeUtc,
    pub a_tz: DateTimeWithTimeZone,
    pub a_chrono_utc: chrono::DateTime<chrono::Utc>,
    pub a_uuid: Uuid,
    pub a_json: Json,
    pub a_value: serde_json::Value,
    pub a_decimal: Decimal,
    pub a_bytes: Vec<u8>,
    pub maybe: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub c_text: String,
    #[sea_orm(column_type = "String(StringLen::N(40))")]
    pub c_varchar: String,
    #[sea_orm(column_type = "Decimal(Some((10, 2)))")]
    pub c_decimal: Decimal,
    #[sea_orm(column_type = "JsonBinary")]
    pub c_jsonb: Json,
    #[sea_orm(column_type = "Char(Some(3))")]
    pub c_char: String,
    #[sea_orm(column_type = "Binary(16)")]
    pub c_binary: Vec<u8>,
    #[sea_orm(column_type = "Double", nullable)]
    pub c_double: Option<f64>,
    #[sea_orm(column_type = "custom(\"citext\")")]
    pub c_custom: String,
    #[sea_orm(column_type = "Money(Some((19, 4)))")]
    pub c_money: Decimal,
}
"#;

#[test]
fn every_type_postgres_2x() {
    assert_snapshot!(
        "every_type_postgres_2x",
        check(&format!("//- seaorm: identity\n{EVERY_TYPE}"))
    );
}

#[test]
fn every_type_postgres_1x() {
    assert_snapshot!(
        "every_type_postgres_1x",
        check(&format!("//- seaorm: serial\n{EVERY_TYPE}"))
    );
}

#[test]
fn every_type_sqlite_2x_and_1x() {
    assert_snapshot!(
        "every_type_sqlite_2x",
        check(&format!(
            "//- dialect: sqlite\n//- seaorm: identity\n{EVERY_TYPE}"
        ))
    );
    assert_snapshot!(
        "every_type_sqlite_1x",
        check(&format!(
            "//- dialect: sqlite\n//- seaorm: serial\n{EVERY_TYPE}"
        ))
    );
}

#[test]
fn every_type_mysql() {
    assert_snapshot!(
        "every_type_mysql",
        check(&format!(
            "//- dialect: mysql\n//- seaorm: identity\n{EVERY_TYPE}"
        ))
    );
}

const SHOP: &str = r#"
//- file: entities/enums.rs
use sea_orm::entity::prelude::*;
#[derive(Debug, Clone, PartialEq, Eq, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "Enum", enum_name = "order_state")]
pub enum OrderState {
    #[sea_orm(string_value = "open")]
    Open,
    #[sea_orm(string_value = "paid")]
    Paid,
}
#[derive(Debug, Clone, PartialEq, Eq, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(8))")]
pub enum Channel {
    #[sea_orm(string_value = "web")]
    Web,
}
#[derive(Debug, Clone, PartialEq, Eq, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "i16", db_type = "SmallInteger")]
pub enum Rank {
    #[sea_orm(num_value = 1)]
    One,
}
//- file: entities/newtypes.rs
use sea_orm::entity::prelude::*;
#[derive(Clone, Debug, PartialEq, Eq, DeriveValueType)]
pub struct Cents(pub i64);
pub type Sku = String;
//- file: entities/customer.rs
use sea_orm::entity::prelude::*;
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "customer", comment = "people who buy")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    #[sea_orm(unique, indexed)]
    pub email: String,
    pub referred_by: Option<i32>,
    #[sea_orm(default_value = "n/a", comment = "shown on invoices")]
    pub nickname: String,
    #[sea_orm(column_name = "joined", default_expr = "Expr::current_timestamp()")]
    pub joined_at: DateTimeUtc,
    #[sea_orm(renamed_from = "full_name")]
    pub display_name: String,
    #[sea_orm(extra = "CHECK (char_length(nickname) > 1)")]
    pub short: String,
    #[sea_orm(ignore)]
    pub cached_total: i64,
}
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(belongs_to = "Entity", from = "Column::ReferredBy", to = "Column::Id", on_delete = "SetNull")]
    Referrer,
    #[sea_orm(has_many = "super::order::Entity")]
    Order,
}
impl ActiveModelBehavior for ActiveModel {}
//- file: entities/order.rs
use sea_orm::entity::prelude::*;
use super::enums::{Channel, OrderState, Rank};
use super::newtypes::{Cents, Sku};
#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "order")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub customer_id: i32,
    #[sea_orm(primary_key, auto_increment = false)]
    pub number: i32,
    pub state: OrderState,
    pub channel: Option<Channel>,
    pub rank: Rank,
    pub total: Cents,
    #[sea_orm(unique_key = "sku_per_customer")]
    pub sku: Sku,
    #[sea_orm(belongs_to, from = "customer_id", to = "id", on_delete = "Cascade", on_update = "NoAction")]
    pub customer: HasOne<super::customer::Entity>,
}
//- file: entities/line.rs
use sea_orm::entity::prelude::*;
#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "line")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: Uuid,
    pub customer_id: i32,
    pub number: i32,
    #[sea_orm(belongs_to, from = "(customer_id, number)", to = "(customer_id, number)")]
    pub order: HasOne<super::order::Entity>,
    #[sea_orm(has_many)]
    pub notes: HasMany<super::note::Entity>,
}
"#;

#[test]
fn postgres_only_types() {
    assert_snapshot!(
        "postgres_only_types",
        check(
            r#"
//- seaorm: identity
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "pg_only")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub tags: Vec<String>,
    pub scores: Option<Vec<i32>>,
    #[sea_orm(column_type = "Array(RcOrArc::new(ColumnType::Text))")]
    pub notes: Vec<String>,
    #[sea_orm(column_type = "Interval(None, None)")]
    pub every: String,
    #[sea_orm(column_type = "VarBit(8)")]
    pub flags: String,
    #[sea_orm(column_type = "Inet")]
    pub addr: String,
    pub moods: Vec<Mood>,
}
#[derive(Debug, Clone, PartialEq, Eq, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "Enum", enum_name = "mood")]
pub enum Mood {
    #[sea_orm(string_value = "happy")]
    Happy,
}
"#
        )
    );
}

#[test]
fn relations_enums_newtypes_postgres() {
    assert_snapshot!(
        "shop_postgres",
        check(&format!("//- seaorm: identity\n{SHOP}"))
    );
}

#[test]
fn relations_enums_newtypes_mysql_and_sqlite() {
    assert_snapshot!(
        "shop_mysql",
        check(&format!("//- dialect: mysql\n//- seaorm: identity\n{SHOP}"))
    );
    assert_snapshot!(
        "shop_sqlite",
        check(&format!("//- dialect: sqlite\n//- seaorm: serial\n{SHOP}"))
    );
}

#[test]
fn what_cannot_be_read_is_a_diagnostic_with_its_place() {
    assert_snapshot!(
        "diagnostics",
        check(
            r#"
//- seaorm: identity
//- file: entities/post.rs
use sea_orm::entity::prelude::*;
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "post")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub geometry: geo::Polygon,
    #[sea_orm(column_type = "Strin(40)")]
    pub title: String,
    #[sea_orm(nulable)]
    pub body: Option<String>,
    #[sea_orm(default_expr = "Expr::now()")]
    pub at: DateTime,
    #[sea_orm(extra = "GENERATED ALWAYS AS (1) STORED")]
    pub score: i32,
    pub author_id: i32,
}
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(belongs_to = "super::author::Entity", from = "Column::AuthorId", to = "super::author::Column::Id", on_delete = "Explode")]
    Author,
    #[sea_orm(belongs_to = "Entity", from = "Column::ParentId", to = "Column::Id")]
    Parent,
}
//- file: entities/nokey.rs
use sea_orm::entity::prelude::*;
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "nokey")]
pub struct Model {
    pub name: String,
}
"#
        )
    );
}

#[test]
fn a_file_that_does_not_parse_is_reported_and_the_rest_is_read() {
    assert_snapshot!(
        "syntax",
        check(
            r#"
//- seaorm: identity
//- file: entities/broken.rs
pub struct Model {
//- file: entities/tag.rs
use sea_orm::entity::prelude::*;
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "tag")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
}
"#
        )
    );
}

#[test]
fn the_expanded_format_reads_like_the_compact_one() {
    assert_snapshot!(
        "expanded",
        check(
            r#"
//- seaorm: serial
//- file: entities/cake.rs
use sea_orm::entity::prelude::*;
#[derive(Copy, Clone, Default, Debug, DeriveEntity)]
pub struct Entity;
impl EntityName for Entity {
    fn schema_name(&self) -> Option<&str> {
        Some("bakery")
    }
    fn table_name(&self) -> &str {
        "cake"
    }
}
#[derive(Clone, Debug, PartialEq, DeriveModel, DeriveActiveModel)]
pub struct Model {
    pub id: i32,
    pub name: String,
}
#[derive(Copy, Clone, Debug, EnumIter, DeriveColumn)]
pub enum Column {
    Id,
    #[sea_orm(column_name = "cake_name")]
    Name,
    Flavour,
    BakedAt,
}
#[derive(Copy, Clone, Debug, EnumIter, DerivePrimaryKey)]
pub enum PrimaryKey {
    Id,
}
impl PrimaryKeyTrait for PrimaryKey {
    type ValueType = i32;
    fn auto_increment() -> bool {
        true
    }
}
impl ColumnTrait for Column {
    type EntityName = Entity;
    fn def(&self) -> ColumnDef {
        match self {
            Self::Id => ColumnType::Integer.def(),
            Self::Name => ColumnType::String(StringLen::N(80)).def().unique().indexed(),
            Self::Flavour => Flavour::db_type().get_column_type().to_owned().def().null(),
            Self::BakedAt => ColumnType::DateTime.def().default(Expr::current_timestamp()),
        }
    }
}
#[derive(Debug, Clone, PartialEq, Eq, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "Enum", enum_name = "flavour")]
pub enum Flavour {
    #[sea_orm(string_value = "lemon")]
    Lemon,
}
//- file: entities/slice.rs
use sea_orm::entity::prelude::*;
#[derive(Copy, Clone, Default, Debug, DeriveEntity)]
#[sea_orm(table_name = "slice", schema_name = "bakery")]
pub struct Entity;
#[derive(Copy, Clone, Debug, EnumIter, DeriveColumn)]
pub enum Column {
    CakeId,
    Number,
}
#[derive(Copy, Clone, Debug, EnumIter, DerivePrimaryKey)]
pub enum PrimaryKey {
    CakeId,
    Number,
}
impl PrimaryKeyTrait for PrimaryKey {
    type ValueType = (i32, i16);
    fn auto_increment() -> bool {
        false
    }
}
impl ColumnTrait for Column {
    type EntityName = Entity;
    fn def(&self) -> ColumnDef {
        match self {
            Self::CakeId => ColumnType::Integer.def(),
            Self::Number => ColumnType::SmallInteger.def(),
        }
    }
}
impl RelationTrait for Relation {
    fn def(&self) -> RelationDef {
        match self {
            Self::Cake => Entity::belongs_to(super::cake::Entity)
                .from(Column::CakeId)
                .to(super::cake::Column::Id)
                .on_delete(ForeignKeyAction::Cascade)
                .into(),
            Self::Other => Entity::has_many(super::cake::Entity).into(),
        }
    }
}
"#
        )
    );
}

#[test]
fn postgres_keeps_63_bytes_of_a_long_name() {
    assert_snapshot!(
        "long_names",
        check(
            r#"
//- seaorm: identity
//- file: entities/a_table_with_a_rather_long_name_for_testing.rs
use sea_orm::entity::prelude::*;
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "a_table_with_a_rather_long_name_for_testing")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    #[sea_orm(indexed)]
    pub the_parent_row_of_this_row_in_the_same_table: Option<i32>,
}
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(belongs_to = "Entity", from = "Column::TheParentRowOfThisRowInTheSameTable", to = "Column::Id")]
    Parent,
}
"#
        )
    );
}
