//! The catalogue as staff manage it (`/staff/katalog`): items with a price gross or net and its
//! VAT rate, taken off sale or back on it, and the online fee per item (0 turns it off).

use chrono::NaiveDateTime;
use serde_json::json;

use crate::app::audit::{self, Actor};
use crate::db::orders::{CatalogueItem, NewCatalogueItem};
use crate::db::tariffs::Tariff;
use crate::db::{self, DbConn};
use crate::domain::Money;
use crate::domain::orders::{self as rules, ItemForm, ItemProblem};

#[derive(Debug, thiserror::Error)]
pub enum CatalogueError {
    #[error("the item is invalid: {0:?}")]
    Invalid(Vec<ItemProblem>),
    #[error("the fee is not an amount from 0 to 100 zł")]
    BadFee,
    #[error("there is no such item")]
    NotFound,
    #[error(transparent)]
    Database(#[from] diesel::result::Error),
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct CataloguePage {
    pub items: Vec<CatalogueItem>,
    pub tariffs: Vec<Tariff>,
    pub fee: i64,
}

pub fn page(conn: &mut DbConn) -> diesel::QueryResult<CataloguePage> {
    Ok(CataloguePage {
        items: db::orders::all_items(conn)?,
        tariffs: db::tariffs::list_active(conn)?,
        fee: db::orders::online_fee(conn)?,
    })
}

/// Adds an item, on sale at once; audited.
pub fn create_item(
    conn: &mut DbConn,
    form: &ItemForm,
    actor: &Actor,
    now: NaiveDateTime,
) -> Result<i64, CatalogueError> {
    let item = rules::check_item(form).map_err(CatalogueError::Invalid)?;
    if let Some(tariff_id) = item.tariff_id
        && !db::tariffs::list_active(conn)?
            .iter()
            .any(|t| t.id == tariff_id)
    {
        return Err(CatalogueError::Invalid(vec![ItemProblem::TariffMissing]));
    }
    let id = db::orders::insert_item(
        conn,
        &NewCatalogueItem {
            kind: item.kind.as_str().into(),
            name: item.name.clone(),
            description: item.description.clone(),
            price_gross: item.price_gross,
            price_net: item.price_net,
            vat_rate: item.vat_rate.code().into(),
            monthly_fee: item.monthly_fee,
            tariff_id: item.tariff_id,
            needs_people: item.needs_people,
            needs_installation: item.needs_installation,
            active: true,
            created_at: now,
            updated_at: now,
        },
    )?;
    audit::record(
        conn,
        actor,
        "catalogue_item_created",
        json!({
            "item": id,
            "kind": item.kind.as_str(),
            "name": item.name,
            "price_gross": item.price_gross,
            "price_net": item.price_net,
            "vat_rate": item.vat_rate.code(),
        }),
        now,
    )?;
    Ok(id)
}

/// Takes an item off sale or puts it back (orders keep what they were sold as; carts holding it
/// show it as no longer on sale).
pub fn set_on_sale(
    conn: &mut DbConn,
    id: i64,
    on_sale: bool,
    actor: &Actor,
    now: NaiveDateTime,
) -> Result<(), CatalogueError> {
    if !db::orders::set_item_active(conn, id, on_sale, now)? {
        return Err(CatalogueError::NotFound);
    }
    audit::record(
        conn,
        actor,
        if on_sale {
            "catalogue_item_on_sale"
        } else {
            "catalogue_item_withdrawn"
        },
        json!({ "item": id }),
        now,
    )?;
    Ok(())
}

/// Sets the online fee per item (gross, zł as typed); "0" turns it off. Placed orders keep theirs.
pub fn set_fee(
    conn: &mut DbConn,
    text: &str,
    actor: &Actor,
    now: NaiveDateTime,
) -> Result<i64, CatalogueError> {
    let fee = Money::parse_pl(text)
        .ok()
        .map(Money::grosze)
        .filter(|g| (0..=rules::MAX_FEE).contains(g))
        .ok_or(CatalogueError::BadFee)?;
    db::orders::set_online_fee(conn, fee, now)?;
    audit::record(conn, actor, "online_fee_set", json!({ "fee": fee }), now)?;
    Ok(fee)
}
