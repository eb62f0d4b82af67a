//! Typed ids in paths (`/faktury/<id>`) and forms, read exactly as the `i64` they hold: a value
//! that is not a number forwards (404) or fails the form as an integer would.

use rocket::form::{self, FromFormField, ValueField};
use rocket::request::FromParam;

use crate::domain::{ContractId, CustomerId, InvoiceId};

macro_rules! id_from_request {
    ($($id:ident),+ $(,)?) => {$(
        impl<'a> FromParam<'a> for $id {
            type Error = <i64 as FromParam<'a>>::Error;

            fn from_param(param: &'a str) -> Result<Self, Self::Error> {
                i64::from_param(param).map($id)
            }
        }

        impl<'v> FromFormField<'v> for $id {
            fn from_value(field: ValueField<'v>) -> form::Result<'v, Self> {
                i64::from_value(field).map($id)
            }
        }
    )+};
}

id_from_request!(CustomerId, InvoiceId, ContractId);
