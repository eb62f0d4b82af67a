//! The fixed part of the demo ISP: seller, staff, tariffs, news, the `demo` subscriber and the
//! contract that waits for registration. Documentation and tests rely on these values.

use chrono::{Days, Duration, NaiveDate, NaiveDateTime};
use rand::SeedableRng;
use rand::rngs::StdRng;

use super::billing_history::{MonthlyCharge, Settlement};
use super::people::{Address, Person};
use super::{AccountSpec, CustomerSpec, DemoError, ExtraService, fixed_pesel};
use crate::app::crypto;
use crate::app::invoicing::Invoicing;
use crate::config::SecurityConfig;
use crate::db::invoices::NewInvoiceSeries;
use crate::db::news::NewNewsItem;
use crate::db::seller::NewSeller;
use crate::db::staff::NewStaffUser;
use crate::db::tariffs::NewTariff;
use crate::db::{self, DbConn};
use crate::domain::{Money, NewsKind, Nrb, ServiceKind};

pub const DEMO_LOGIN: &str = "demo";
pub const DEMO_PASSWORD: &str = "Demo-ebok-2026";
pub const ADMIN_LOGIN: &str = "admin";
pub const ADMIN_PASSWORD: &str = "Admin-ebok-2026";
/// Other demo staff (billing, support) share this password.
pub const STAFF_PASSWORD: &str = "Staff-ebok-2026";
pub const UNREGISTERED_CONTRACT: &str = "UM/2025/00002";
pub const UNREGISTERED_PESEL: &str = "90041213424";
pub const UNREGISTERED_EMAIL: &str = "anna.nowak@example.com";
pub const DEMO_CONTRACT: &str = "UM/2023/00001";
const DEMO_PESEL: &str = "80061512359";
pub const INVOICE_SERIES_CODE: &str = "FV";
pub const CORRECTION_SERIES_CODE: &str = "FK";
pub use crate::app::registration::TERMS_VERSION;

/// Argon2 is slow on purpose; the fixed logins are hashed once, before the seeding transaction.
pub struct FixedPasswordHashes {
    demo: String,
    admin: String,
    staff: String,
}

impl FixedPasswordHashes {
    pub fn compute() -> Result<FixedPasswordHashes, DemoError> {
        Ok(FixedPasswordHashes {
            demo: crypto::hash_password(DEMO_PASSWORD)?,
            admin: crypto::hash_password(ADMIN_PASSWORD)?,
            staff: crypto::hash_password(STAFF_PASSWORD)?,
        })
    }
}

pub fn seed(
    conn: &mut DbConn,
    keys: &SecurityConfig,
    hashes: &FixedPasswordHashes,
    invoicing: &Invoicing<'_>,
    now: NaiveDateTime,
    today: NaiveDate,
) -> Result<(), DemoError> {
    let seller_id = insert_seller(conn, now)?;
    let seller = db::seller::find(conn)?
        .filter(|s| s.id == seller_id)
        .ok_or(diesel::result::Error::NotFound)?;
    insert_staff(conn, hashes, now)?;
    super::tickets::seed_canned_responses(conn, now)?;
    let tariffs = insert_tariffs(conn, now)?;
    insert_series(conn, now)?;
    insert_news(conn, now, today)?;
    seed_demo_subscriber(conn, keys, &seller, &tariffs, invoicing, hashes, now, today)?;
    seed_unregistered_customer(conn, keys, &seller, &tariffs, now, today)?;
    Ok(())
}

fn insert_seller(conn: &mut DbConn, now: NaiveDateTime) -> diesel::QueryResult<i64> {
    let account_prefix = "102010267777";
    let main_account = Nrb::for_customer(account_prefix, 0)
        .map_err(|e| diesel::result::Error::QueryBuilderError(e.to_string().into()))?;
    db::seller::insert(
        conn,
        &NewSeller {
            name: "Przykładowy Operator Sp. z o.o.".into(),
            short_name: "Przykładowy Operator".into(),
            nip: super::DEMO_SELLER_NIP.into(),
            regon: Some("123456785".into()),
            address_line: "ul. Światłowodowa 1".into(),
            postal_code: "62-800".into(),
            city: "Kalisz".into(),
            country_code: "PL".into(),
            email: "bok@przykladowy-operator.example".into(),
            phone: "+48 62 555 01 00".into(),
            website: Some("https://przykladowy-operator.example".into()),
            bank_name: "PKO Bank Polski S.A.".into(),
            bank_account: main_account.as_str().into(),
            account_prefix: account_prefix.into(),
            created_at: now,
            updated_at: now,
        },
    )
}

fn insert_staff(
    conn: &mut DbConn,
    hashes: &FixedPasswordHashes,
    now: NaiveDateTime,
) -> diesel::QueryResult<()> {
    let staff = [
        (ADMIN_LOGIN, "Marta Zielińska", "admin", &hashes.admin),
        (
            "ksiegowosc",
            "Katarzyna Wiśniewska",
            "billing",
            &hashes.staff,
        ),
        ("serwis", "Piotr Lewandowski", "support", &hashes.staff),
    ];
    for (login, full_name, role, hash) in staff {
        db::staff::insert(
            conn,
            &NewStaffUser {
                login: login.into(),
                login_key: login.to_lowercase(),
                full_name: full_name.into(),
                email: format!("{login}@przykladowy-operator.example"),
                password_hash: hash.clone(),
                role: role.into(),
                active: true,
                totp_secret: None,
                created_at: now,
                last_login_at: None,
            },
        )?;
    }
    Ok(())
}

fn insert_tariffs(
    conn: &mut DbConn,
    now: NaiveDateTime,
) -> diesel::QueryResult<Vec<crate::db::tariffs::Tariff>> {
    let plans = [
        ("FTTH300", "Światłowód 300/30", 300, 30, 5_999),
        ("FTTH600", "Światłowód 600/60", 600, 60, 7_999),
        ("FTTH1000", "Światłowód 1000/100", 1000, 100, 9_999),
    ];
    for (code, name, down, up, fee) in plans {
        db::tariffs::insert(
            conn,
            &NewTariff {
                code: code.into(),
                name: name.into(),
                download_mbps: down,
                upload_mbps: up,
                monthly_fee: fee,
                vat_rate: "23".into(),
                active: true,
                created_at: now,
            },
        )?;
    }
    db::tariffs::list_active(conn)
}

fn insert_series(conn: &mut DbConn, now: NaiveDateTime) -> diesel::QueryResult<()> {
    db::invoices::insert_series(
        conn,
        &NewInvoiceSeries {
            code: INVOICE_SERIES_CODE.into(),
            name: "Faktury VAT".into(),
            kind: "invoice".into(),
            template: "FV/{YYYY}/{MM}/{N:06}".into(),
            reset_period: "monthly".into(),
            active: true,
            created_at: now,
        },
    )?;
    db::invoices::insert_series(
        conn,
        &NewInvoiceSeries {
            code: CORRECTION_SERIES_CODE.into(),
            name: "Faktury korygujące".into(),
            kind: "correction".into(),
            template: "FK/{YYYY}/{N:05}".into(),
            reset_period: "yearly".into(),
            active: true,
            created_at: now,
        },
    )?;
    Ok(())
}

fn insert_news(conn: &mut DbConn, now: NaiveDateTime, today: NaiveDate) -> diesel::QueryResult<()> {
    // Night work: midnight UTC is 1:00 or 2:00 in Poland.
    let maintenance_night = (today + Days::new(4)).and_time(chrono::NaiveTime::MIN);
    let items = [
        NewsSpec {
            kind: NewsKind::News,
            title: "Nowy pakiet Światłowód 1000/100 Mb/s",
            body: "Od grudnia wszyscy abonenci w Kaliszu i Ostrowie Wielkopolskim mogą przejść na \
                   pakiet 1000/100 Mb/s bez zmiany umowy i bez opłaty aktywacyjnej. Zmianę zamówisz \
                   w e-BOK lub w biurze obsługi klienta.",
            published_ago: Duration::days(3),
            starts_at: None,
            lasts: None,
            area: None,
        },
        NewsSpec {
            kind: NewsKind::News,
            title: "E-faktura zamiast papieru",
            body: "Włącz e-fakturę w zakładce Dane, a faktury będą przychodzić e-mailem w dniu \
                   wystawienia — szybciej, taniej i bez papieru.",
            published_ago: Duration::days(12),
            starts_at: None,
            lasts: None,
            area: None,
        },
        NewsSpec {
            kind: NewsKind::News,
            title: "Godziny pracy biura w okresie świątecznym",
            body: "24 i 31 grudnia biuro obsługi klienta będzie czynne do 13:00. Zgłoszenia awarii \
                   przyjmujemy całą dobę pod numerem +48 62 555 01 00.",
            published_ago: Duration::days(20),
            starts_at: None,
            lasts: None,
            area: None,
        },
        NewsSpec {
            kind: NewsKind::Outage,
            title: "Awaria łącza światłowodowego — os. Dobrzec",
            body: "Uszkodzony kabel magistralny przy ul. Częstochowskiej. Ekipa techniczna jest na \
                   miejscu; przewidywany czas usunięcia awarii: do 4 godzin.",
            published_ago: Duration::hours(2),
            starts_at: Some(now - Duration::hours(2)),
            lasts: None,
            area: Some("Kalisz"),
        },
        NewsSpec {
            kind: NewsKind::Maintenance,
            title: "Prace serwisowe w sieci szkieletowej",
            body: "W nocy możliwe krótkie przerwy w dostępie do internetu (do 15 minut) w związku \
                   z modernizacją urządzeń sieci szkieletowej.",
            published_ago: Duration::days(1),
            starts_at: Some(maintenance_night),
            lasts: Some(Duration::hours(3)),
            area: None,
        },
        NewsSpec {
            kind: NewsKind::Outage,
            title: "Awaria zasilania w węźle Pleszew — usunięta",
            body: "Zasilanie przywrócono, usługi działają normalnie.",
            published_ago: Duration::days(6),
            starts_at: Some(now - Duration::days(6)),
            lasts: Some(Duration::hours(5)),
            area: Some("Pleszew"),
        },
    ];
    for item in items {
        db::news::insert(
            conn,
            &NewNewsItem {
                kind: item.kind,
                title: item.title.into(),
                body: item.body.into(),
                urgent: item.kind == NewsKind::Outage,
                area: item.area.map(str::to_owned),
                published_at: now - item.published_ago,
                starts_at: item.starts_at,
                ends_at: item
                    .starts_at
                    .zip(item.lasts)
                    .map(|(start, lasts)| start + lasts),
                author_staff_id: None,
                created_at: now,
            },
        )?;
    }
    // The offer banner on every subscriber's dashboard.
    db::news::insert_offer_banner(
        conn,
        &db::news::NewOfferBanner {
            title: "Światłowód 1000/100 Mb/s przez 3 miesiące za 1 zł".into(),
            body: "Przejdź na najszybszy pakiet bez zmiany umowy. Oferta do końca roku.".into(),
            link_url: None,
            area: None,
            starts_at: now - Duration::days(3),
            ends_at: Some(now + Duration::days(40)),
            retired_at: None,
            created_by_staff_id: None,
            created_at: now,
        },
    )?;
    Ok(())
}

struct NewsSpec {
    kind: NewsKind,
    title: &'static str,
    body: &'static str,
    published_ago: Duration,
    starts_at: Option<NaiveDateTime>,
    lasts: Option<Duration>,
    area: Option<&'static str>,
}

/// Jan Kowalski: a subscriber with a bit of everything to look at.
#[allow(clippy::too_many_arguments)]
fn seed_demo_subscriber(
    conn: &mut DbConn,
    keys: &SecurityConfig,
    seller: &crate::db::seller::Seller,
    tariffs: &[crate::db::tariffs::Tariff],
    invoicing: &Invoicing<'_>,
    hashes: &FixedPasswordHashes,
    now: NaiveDateTime,
    today: NaiveDate,
) -> Result<(), DemoError> {
    let mut rng = StdRng::seed_from_u64(1);
    let tariff = tariff_by_code(tariffs, "FTTH600")?;
    let spec = CustomerSpec {
        number: 1,
        person: Person {
            first_name: "Jan".into(),
            last_name: "Kowalski".into(),
            pesel: fixed_pesel(DEMO_PESEL),
        },
        company: None,
        address: Address {
            line: "ul. Kwiatowa 7/3".into(),
            postal_code: "62-800".into(),
            city: "Kalisz".into(),
        },
        email: "jan.kowalski@example.com".into(),
        phone: Some("+48 601 234 567".into()),
        account: Some(AccountSpec {
            login: DEMO_LOGIN.into(),
            password_hash: &hashes.demo,
        }),
        contract_number: DEMO_CONTRACT.into(),
        tariff,
        // A 24-month term that ends within two months: the renewal notice has something to say.
        signed_on: today
            .checked_sub_months(chrono::Months::new(23))
            .unwrap_or(today),
        term_months: Some(24),
        billing_day: 10,
        ipv4: "203.0.113.17".into(),
    };
    let seeded = super::insert_customer(conn, keys, seller, &spec, &mut rng, now)?;
    let mut charges = vec![MonthlyCharge {
        name: format!("Internet {} — abonament", tariff.name),
        gross: Money::from_grosze(tariff.monthly_fee),
        service_id: Some(seeded.internet_service_id),
    }];
    let extras = [
        ExtraService {
            kind: ServiceKind::StaticIp,
            name: "Stały publiczny adres IP",
            monthly_fee: Money::from_grosze(1_000),
            expires_on: None,
            renewal_price: None,
        },
        ExtraService {
            kind: ServiceKind::Tv,
            name: "Pakiet TV Start",
            monthly_fee: Money::from_grosze(2_999),
            expires_on: Some(today + Days::new(5)),
            renewal_price: Some(Money::from_grosze(2_999)),
        },
    ];
    for extra in &extras {
        charges.push(super::insert_extra_service(
            conn,
            &seeded,
            extra,
            spec.signed_on,
            now,
        )?);
    }
    super::insert_extra_service(
        conn,
        &seeded,
        &ExtraService {
            kind: ServiceKind::Hosting,
            name: "Hosting WWW 5 GB",
            monthly_fee: Money::zero(),
            expires_on: Some(today + Days::new(40)),
            renewal_price: Some(Money::from_grosze(19_900)),
        },
        spec.signed_on,
        now,
    )?;
    super::insert_domain(
        conn,
        seeded.customer_id,
        "kowalski-kalisz.pl".into(),
        today + Days::new(20),
        Money::from_grosze(9_900),
        now,
    )?;
    super::insert_domain(
        conn,
        seeded.customer_id,
        "jan-kowalski.com.pl".into(),
        today + Days::new(210),
        Money::from_grosze(12_900),
        now,
    )?;
    super::tickets::seed_demo_tickets(conn, seeded.customer_id, seeded.internet_service_id, now)?;
    // Jan receives his invoices by e-mail (art. 106n consent given when he signed up).
    db::consents::record(
        conn,
        &crate::db::consents::NewConsent {
            customer_id: seeded.customer_id,
            kind: "einvoice".into(),
            granted: true,
            text_version: "e-faktura-2026-01".into(),
            account_id: None,
            ip: None,
            at: now - Duration::days(400),
        },
    )?;
    super::insert_billing_history(
        conn,
        invoicing,
        &spec,
        &seeded,
        &charges,
        [Settlement::Paid, Settlement::HalfPaid, Settlement::Unpaid],
        today,
        now,
    )
}

/// Anna Nowak: an active contract with no account, for trying registration.
fn seed_unregistered_customer(
    conn: &mut DbConn,
    keys: &SecurityConfig,
    seller: &crate::db::seller::Seller,
    tariffs: &[crate::db::tariffs::Tariff],
    now: NaiveDateTime,
    today: NaiveDate,
) -> diesel::QueryResult<()> {
    let mut rng = StdRng::seed_from_u64(2);
    let spec = CustomerSpec {
        number: 2,
        person: Person {
            first_name: "Anna".into(),
            last_name: "Nowak".into(),
            pesel: fixed_pesel(UNREGISTERED_PESEL),
        },
        company: None,
        address: Address {
            line: "ul. Lipowa 15".into(),
            postal_code: "63-400".into(),
            city: "Ostrów Wielkopolski".into(),
        },
        email: UNREGISTERED_EMAIL.into(),
        phone: Some("+48 602 345 678".into()),
        account: None,
        contract_number: UNREGISTERED_CONTRACT.into(),
        tariff: tariff_by_code(tariffs, "FTTH300")?,
        signed_on: today - Days::new(40),
        term_months: None,
        billing_day: 1,
        ipv4: "203.0.113.18".into(),
    };
    super::insert_customer(conn, keys, seller, &spec, &mut rng, now).map(|_| ())
}

fn tariff_by_code<'t>(
    tariffs: &'t [crate::db::tariffs::Tariff],
    code: &str,
) -> diesel::QueryResult<&'t crate::db::tariffs::Tariff> {
    tariffs
        .iter()
        .find(|t| t.code == code)
        .ok_or(diesel::result::Error::NotFound)
}
