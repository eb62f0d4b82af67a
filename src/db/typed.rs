//! How `domain`'s typed values are stored: ids as `BIGINT`, stored words (`stored_words!` enums
//! from `domain::words` and the rule modules) as `TEXT`. The types themselves stay free of
//! Diesel; this module gives each the four things a column value needs, generic over the backend
//! (SQLite, PostgreSQL and the `MultiConnection` over both, so `concrete!` queries take them too):
//! - `AsExpression` (by value and by reference, plain and nullable): a filter, an update or an
//!   `Insertable` field binds it as the `i64` inside;
//! - `ToSql`: `Option<Id>` in a nullable column and `bind::<BigInt, _>` in raw SQL;
//! - `FromSql` and `Queryable`: a row field or a selected column reads back as the type; a word
//!   the code does not know fails the read with the column's value named, never a guess.
//!
//! What the compiler checks is the Rust side (a function taking `CustomerId` refuses an
//! `InvoiceId`); the SQL type stays `BigInt`, so `schema.rs` is Diesel's own.

use diesel::backend::Backend;
use diesel::deserialize::{self, FromSql, Queryable};
use diesel::expression::AsExpression;
use diesel::serialize::{self, Output, ToSql};
use diesel::sql_types::{BigInt, Nullable, Text};

use crate::domain::discounts::ApplicationStatus;
use crate::domain::dunning::StepStatus;
use crate::domain::ids::{ContractId, CustomerId, InvoiceId};
use crate::domain::interest::InterestKind;
use crate::domain::online_payment::{OrderState, PaymentPurpose};
use crate::domain::orders::{Fulfilment, ShopOrderStatus};
use crate::domain::recurring::{CardStatus, ChargeState, MandateStatus};
use crate::domain::tickets::{TicketCategory, TicketStatus};
use crate::domain::visits::VisitStatus;
use crate::domain::{
    AccountStatus, BatchStatus, ChangeRequestStatus, ContractStatus, CustomerKind, Delivery,
    DomainStatus, InvoiceKind, InvoiceStatus, KsefState, MailStatus, NewsKind, PayuRefundState,
    PriceKind, RefundStatus, RunStatus, ServiceKind, ServiceStatus, StoredWord, TransactionStatus,
};

macro_rules! bigint_id {
    ($($id:ident),+ $(,)?) => {$(
        impl AsExpression<BigInt> for $id {
            type Expression = <i64 as AsExpression<BigInt>>::Expression;

            fn as_expression(self) -> Self::Expression {
                AsExpression::<BigInt>::as_expression(self.0)
            }
        }

        impl AsExpression<Nullable<BigInt>> for $id {
            type Expression = <i64 as AsExpression<Nullable<BigInt>>>::Expression;

            fn as_expression(self) -> Self::Expression {
                AsExpression::<Nullable<BigInt>>::as_expression(self.0)
            }
        }

        impl AsExpression<BigInt> for &$id {
            type Expression = <i64 as AsExpression<BigInt>>::Expression;

            fn as_expression(self) -> Self::Expression {
                AsExpression::<BigInt>::as_expression(self.0)
            }
        }

        impl AsExpression<Nullable<BigInt>> for &$id {
            type Expression = <i64 as AsExpression<Nullable<BigInt>>>::Expression;

            fn as_expression(self) -> Self::Expression {
                AsExpression::<Nullable<BigInt>>::as_expression(self.0)
            }
        }

        impl<DB> ToSql<BigInt, DB> for $id
        where
            DB: Backend,
            i64: ToSql<BigInt, DB>,
        {
            fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, DB>) -> serialize::Result {
                self.0.to_sql(out)
            }
        }

        impl<DB> FromSql<BigInt, DB> for $id
        where
            DB: Backend,
            i64: FromSql<BigInt, DB>,
        {
            fn from_sql(bytes: DB::RawValue<'_>) -> deserialize::Result<Self> {
                i64::from_sql(bytes).map($id)
            }
        }

        impl<DB> Queryable<BigInt, DB> for $id
        where
            DB: Backend,
            Self: FromSql<BigInt, DB>,
        {
            type Row = Self;

            fn build(row: Self) -> deserialize::Result<Self> {
                Ok(row)
            }
        }
    )+};
}

bigint_id!(CustomerId, InvoiceId, ContractId);

macro_rules! text_word {
    ($($word:ident),+ $(,)?) => {$(
        impl AsExpression<Text> for $word {
            type Expression = <&'static str as AsExpression<Text>>::Expression;

            fn as_expression(self) -> Self::Expression {
                AsExpression::<Text>::as_expression(self.as_str())
            }
        }

        impl AsExpression<Nullable<Text>> for $word {
            type Expression = <&'static str as AsExpression<Nullable<Text>>>::Expression;

            fn as_expression(self) -> Self::Expression {
                AsExpression::<Nullable<Text>>::as_expression(self.as_str())
            }
        }

        impl AsExpression<Text> for &$word {
            type Expression = <&'static str as AsExpression<Text>>::Expression;

            fn as_expression(self) -> Self::Expression {
                AsExpression::<Text>::as_expression(self.as_str())
            }
        }

        impl AsExpression<Nullable<Text>> for &$word {
            type Expression = <&'static str as AsExpression<Nullable<Text>>>::Expression;

            fn as_expression(self) -> Self::Expression {
                AsExpression::<Nullable<Text>>::as_expression(self.as_str())
            }
        }

        impl<DB> ToSql<Text, DB> for $word
        where
            DB: Backend,
            str: ToSql<Text, DB>,
        {
            fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, DB>) -> serialize::Result {
                self.as_str().to_sql(out)
            }
        }

        impl<DB> FromSql<Text, DB> for $word
        where
            DB: Backend,
            String: FromSql<Text, DB>,
        {
            fn from_sql(bytes: DB::RawValue<'_>) -> deserialize::Result<Self> {
                let word = String::from_sql(bytes)?;
                <$word as StoredWord>::parse(&word).ok_or_else(|| {
                    format!(concat!("unknown ", stringify!($word), " {:?} in the database"), word)
                        .into()
                })
            }
        }

        impl<DB> Queryable<Text, DB> for $word
        where
            DB: Backend,
            Self: FromSql<Text, DB>,
        {
            type Row = Self;

            fn build(row: Self) -> deserialize::Result<Self> {
                Ok(row)
            }
        }
    )+};
}

text_word!(
    InvoiceKind,
    InvoiceStatus,
    Delivery,
    PriceKind,
    CustomerKind,
    AccountStatus,
    ContractStatus,
    ServiceStatus,
    ServiceKind,
    DomainStatus,
    TicketStatus,
    TicketCategory,
    KsefState,
    OrderState,
    CardStatus,
    MandateStatus,
    ChargeState,
    VisitStatus,
    RunStatus,
    MailStatus,
    ChangeRequestStatus,
    ApplicationStatus,
    StepStatus,
    RefundStatus,
    PayuRefundState,
    Fulfilment,
    ShopOrderStatus,
    BatchStatus,
    TransactionStatus,
    NewsKind,
    InterestKind,
    PaymentPurpose,
);
