#![allow(dead_code)] // Shared by several test crates; each uses part of it.
//! Customers made for billing tests: each with the services, discounts and charges a case needs,
//! written straight into the database (the demo's own customers are suspended first, so only
//! these are billed).

use chrono::NaiveDate;
use diesel::prelude::*;
use ebok::app::clock;
use ebok::db::DbConn;
use ebok::db::billing::{NewPendingCharge, NewServiceDiscount};
use ebok::db::customers::NewCustomer;
use ebok::db::services::NewService;
use ebok::domain::CustomerId;
use ebok::domain::StoredWord;

pub fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// A valid NIP (checksum) for company customers.
pub const COMPANY_NIP: &str = "6182007145";

pub struct ServiceSpec {
    pub name: &'static str,
    pub status: &'static str,
    pub activated_on: NaiveDate,
    pub expires_on: Option<NaiveDate>,
    pub fee: i64,
    /// (name, kind, value, starts_on, ends_on)
    pub discounts: Vec<(
        &'static str,
        &'static str,
        i64,
        NaiveDate,
        Option<NaiveDate>,
    )>,
}

impl ServiceSpec {
    pub fn internet(fee: i64) -> ServiceSpec {
        ServiceSpec {
            name: "Internet Światłowód 600/60",
            status: "active",
            activated_on: date(2025, 1, 1),
            expires_on: None,
            fee,
            discounts: Vec::new(),
        }
    }
}

/// Suspends every service of the customers already there (the demo's), so a run bills only
/// what a test adds.
pub fn suspend_existing(conn: &mut DbConn) {
    use ebok::db::schema::services;
    diesel::update(services::table)
        .set(services::status.eq("suspended"))
        .execute(conn)
        .unwrap();
}

pub fn add_customer(
    conn: &mut DbConn,
    number: i64,
    company: bool,
    services: &[ServiceSpec],
) -> CustomerId {
    let now = clock::now();
    let customer_id = ebok::db::customers::insert(
        conn,
        &NewCustomer {
            customer_number: number,
            kind: if company {
                ebok::domain::CustomerKind::Company
            } else {
                ebok::domain::CustomerKind::Person
            },
            first_name: Some("Zofia".into()),
            last_name: Some(format!("Łącka-{number}")),
            company_name: company.then(|| format!("Światłowody Żółte {number} Sp. z o.o.")),
            pesel_hash: None,
            pesel_last4: None,
            nip: company.then(|| COMPANY_NIP.to_owned()),
            address_line: format!("ul. Źródlana {number}"),
            postal_code: "63-400".into(),
            city: "Ostrów Wielkopolski".into(),
            country_code: "PL".into(),
            correspondence_address_line: None,
            correspondence_postal_code: None,
            correspondence_city: None,
            email: format!("klient{number}@example.com"),
            phone: None,
            language: "pl".into(),
            nrb: ebok::domain::Nrb::for_customer("102010267777", number as u64)
                .unwrap()
                .as_str()
                .into(),
            created_at: now,
            updated_at: now,
        },
    )
    .unwrap();
    for spec in services {
        let service_id = ebok::db::services::insert(
            conn,
            &NewService {
                customer_id,
                contract_id: None,
                kind: ebok::domain::ServiceKind::Internet,
                name: spec.name.into(),
                status: ebok::domain::ServiceStatus::parse(spec.status).expect("a service status"),
                activated_on: spec.activated_on,
                expires_on: spec.expires_on,
                monthly_fee: spec.fee,
                renewal_price: None,
                auto_renew: false,
                created_at: now,
            },
        )
        .unwrap();
        for (name, kind, value, starts_on, ends_on) in &spec.discounts {
            ebok::db::billing::insert_discount(
                conn,
                &NewServiceDiscount {
                    service_id,
                    name: (*name).into(),
                    kind: (*kind).into(),
                    value: *value,
                    starts_on: *starts_on,
                    ends_on: *ends_on,
                    created_at: now,
                },
            )
            .unwrap();
        }
    }
    customer_id
}

pub fn add_charge(
    conn: &mut DbConn,
    customer_id: CustomerId,
    name: &str,
    amount: i64,
    period: &str,
) -> i64 {
    ebok::db::billing::insert_pending_charge(
        conn,
        &NewPendingCharge {
            customer_id,
            service_id: None,
            name: name.into(),
            amount,
            vat_rate: "23".into(),
            period: period.into(),
            invoice_id: None,
            created_by_staff_id: None,
            created_at: clock::now(),
        },
    )
    .unwrap()
}

pub fn grant_einvoice(conn: &mut DbConn, customer_id: CustomerId) {
    ebok::db::consents::record(
        conn,
        &ebok::db::consents::NewConsent {
            customer_id,
            kind: "einvoice".into(),
            granted: true,
            text_version: "2026-01".into(),
            account_id: None,
            ip: None,
            at: clock::now(),
        },
    )
    .unwrap();
}

/// `count` plain customers from `first_number` on, each with one 79,99 zł internet service:
/// the volume for crash tests. One transaction, so it is quick on both backends.
pub fn add_many(conn: &mut DbConn, first_number: i64, count: i64) {
    ebok::db::write_transaction(conn, |conn| -> diesel::QueryResult<()> {
        for number in first_number..first_number + count {
            add_customer(
                conn,
                number,
                number % 7 == 0,
                &[ServiceSpec::internet(7_999)],
            );
        }
        Ok(())
    })
    .unwrap();
}
