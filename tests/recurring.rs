//! Recurring card payments through the local PayU server, on every backend, with dates the test
//! controls: a card registered (card form token, FIRST order, 3-D Secure, TOKC_), three
//! consecutive periods charged, a declined charge retried and recovered, the last failure ending
//! the mandate, cancelling mid-period, two instances charging at once, duplicated and forged
//! notifications, another customer's card, and the billing run leaving a card-paid contract alone.

mod common;

use ebok::domain::ContractId;
use ebok::domain::CustomerId;
use std::sync::Arc;

use chrono::{NaiveDate, NaiveDateTime};
use common::payu::{self, Paying, http_post, wait_until};
use common::{TestApp, scalar_i64};
use ebok::app::demo::DEMO_LOGIN;
use ebok::app::invoicing::PdfStore;
use ebok::app::online_payments::{Gateway, refunds};
use ebok::app::recurring::charge::{ChargeContext, PassReport, run_pass};
use ebok::app::recurring::mandates::{self, CancelledBy, EnableRequest};
use ebok::app::recurring::terminate::{self, EndRequest};
use ebok::app::recurring::{RecurringError, Settings, cards};
use ebok::app::service::{Documents, MailSetup, Mailing};
use ebok::db::contracts::NewContract;
use ebok::db::services::NewService;
use ebok::mail::MailTemplates;
use ebok::payu::signature::{Algorithm, header_for};
use ebok::payu::wire::OrderNotification;
use ebok::pdf::PdfRenderer;
use ebok::sim::payu::{self as payu_sim, Faults};
use rocket::http::{ContentType, Header, Status};

backend_tests!(
    three_consecutive_periods_are_charged_invoiced_and_mailed,
    a_declined_charge_is_retried_and_recovers,
    after_the_last_failed_retry_the_mandate_ends_and_invoices_are_ordinary_again,
    cancelling_mid_period_serves_to_the_period_end_and_charges_nothing_more,
    two_instances_at_once_charge_each_period_once,
    duplicated_and_forged_notifications_change_nothing_twice,
    another_customers_card_is_never_usable,
    the_page_shows_periods_and_cancelling_says_the_last_day,
    a_contract_ended_mid_period_returns_the_unused_part_to_the_card,
    a_card_paid_contract_is_left_alone_by_the_billing_run,
    the_demo_subscriber_paying_by_card_is_charged_through_the_local_payu,
);

/// The contract the tests pay by card starts on 5 January 2027; its periods are 5 Jan – 3 Feb,
/// 4 Feb – 5 Mar, 6 Mar – 4 Apr …
const START: (i32, u32, u32) = (2027, 1, 5);
const FEE: i64 = 6_999;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn start() -> NaiveDate {
    day(START.0, START.1, START.2)
}

fn morning(today: NaiveDate) -> NaiveDateTime {
    today.and_hms_opt(6, 0, 0).unwrap()
}

struct Rec {
    p: Paying,
    gateway: Gateway,
    ctx: ChargeContext,
    contract_id: ContractId,
    account_id: i64,
    runtime: rocket::tokio::runtime::Runtime,
}

/// One number from the database (a count, a sum), on both backends.
fn q(app: &TestApp, sql: &str) -> i64 {
    scalar_i64(app, &format!("SELECT CAST(({sql}) AS BIGINT) AS v"))
}

fn runtime() -> rocket::tokio::runtime::Runtime {
    rocket::tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

/// The demo subscriber signed in with a local PayU server, and a contract of theirs with one
/// internet service of 69,99 zł starting on `START`.
fn set_up(app: TestApp) -> Rec {
    rig(app.with_demo(0))
}

/// The rig on an app already seeded.
fn rig(app: TestApp) -> Rec {
    let p = payu::set_up(app, Faults::default());
    let contract_id = add_contract(&p.app, p.customer_id, "UM/KARTA/1");
    let account_id = q(
        &p.app,
        &format!("SELECT id FROM accounts WHERE login = '{DEMO_LOGIN}'"),
    );
    let gateway = Gateway::from_config(
        p.app.config.payu.as_ref().unwrap(),
        &p.app.config.web.public_url,
    )
    .unwrap();
    let templates =
        MailTemplates::load(&p.app.config.paths.templates_dir.join("mail")).expect("mail");
    let ctx = ChargeContext {
        documents: Documents {
            renderer: Arc::new(PdfRenderer::new().unwrap()),
            store: PdfStore::new(&p.app.config.paths.invoices_dir),
        },
        mailing: Some(Mailing(Arc::new(MailSetup {
            templates,
            public_url: p.app.config.web.public_url.clone(),
            isp_name: "Operator".into(),
        }))),
        settings: Settings::default(),
    };
    Rec {
        p,
        gateway,
        ctx,
        contract_id,
        account_id,
        runtime: runtime(),
    }
}

fn add_contract(app: &TestApp, customer_id: CustomerId, number: &str) -> ContractId {
    let now = ebok::app::clock::now();
    let tariff_id = q(app, "SELECT id FROM tariffs ORDER BY id LIMIT 1");
    let mut conn = app.conn();
    let contract_id = ebok::db::contracts::insert(
        &mut conn,
        &NewContract {
            customer_id,
            number: number.into(),
            tariff_id,
            signed_on: start(),
            starts_on: start(),
            ends_on: None,
            term_months: None,
            after_term: "indefinite".into(),
            monthly_fee: FEE,
            billing_day: 1,
            install_address_line: "ul. Kartowa 1".into(),
            install_postal_code: "00-001".into(),
            install_city: "Warszawa".into(),
            status: ebok::domain::ContractStatus::Active,
            created_at: now,
            updated_at: now,
        },
    )
    .unwrap();
    ebok::db::services::insert(
        &mut conn,
        &NewService {
            customer_id,
            contract_id: Some(contract_id),
            kind: ebok::domain::ServiceKind::Internet,
            name: "Internet kartowy 300".into(),
            status: ebok::domain::ServiceStatus::Active,
            activated_on: start(),
            expires_on: None,
            monthly_fee: FEE,
            renewal_price: None,
            auto_renew: false,
            created_at: now,
        },
    )
    .unwrap();
    contract_id
}

/// A test card typed into PayU's form, its FIRST order confirmed with 3-D Secure.
fn register_card(r: &Rec, customer_id: CustomerId, account_id: i64) -> i64 {
    let token =
        r.p.payu
            .tokenize("4444 3333 2222 1111", "12/30", "123")
            .unwrap();
    let (card_id, redirect) = r
        .runtime
        .block_on(cards::start_registration(
            &r.p.app.pool,
            &r.gateway,
            customer_id,
            account_id,
            &token,
            "127.0.0.1",
            ebok::app::clock::now(),
        ))
        .expect("PayU takes the card");
    let redirect = redirect.expect("3-D Secure first");
    assert!(redirect.ends_with("/3ds"), "{redirect}");
    let (status, _) = http_post(&format!("{redirect}/ok"), &[], b"");
    assert_eq!(status, 303);
    let card = r
        .runtime
        .block_on(cards::finish_registration(
            &r.p.app.pool,
            &r.gateway,
            customer_id,
            card_id,
            ebok::app::clock::now(),
        ))
        .unwrap();
    assert_eq!(card.status, ebok::domain::recurring::CardStatus::Active);
    assert_eq!(
        (card.brand.as_str(), card.last_four.as_str()),
        ("VISA", "1111")
    );
    assert_eq!((card.expiry_month, card.expiry_year), (12, 2030));
    card_id
}

fn enable(r: &Rec, card_id: i64, today: NaiveDate) -> i64 {
    let (id, first) = mandates::enable(
        &mut r.p.app.conn(),
        &EnableRequest {
            customer_id: r.p.customer_id,
            account_id: r.account_id,
            contract_id: r.contract_id,
            card_id,
            terms_accepted: true,
            ip: Some("192.0.2.7".into()),
            today,
            now: morning(today),
        },
    )
    .expect("automatic payment on");
    assert_eq!(first.start, today, "charged from the period starting today");
    id
}

fn on(r: &Rec) -> i64 {
    let card = register_card(r, r.p.customer_id, r.account_id);
    enable(r, card, start())
}

fn pass(r: &Rec, today: NaiveDate) -> PassReport {
    r.runtime
        .block_on(run_pass(
            &r.p.app.pool,
            &r.gateway,
            &r.ctx,
            today,
            morning(today),
        ))
        .expect("charge pass")
}

/// The subscriber cancels automatic payment on `today`; the last day served, or why not.
fn cancel_as_subscriber(
    r: &Rec,
    mandate: i64,
    today: NaiveDate,
) -> Result<NaiveDate, RecurringError> {
    mandates::cancel(
        &mut r.p.app.conn(),
        None,
        Some(r.p.customer_id),
        mandate,
        &CancelledBy::Subscriber {
            account_id: r.account_id,
            ip: None,
        },
        today,
        morning(today),
    )
}

fn charges(r: &Rec, state: &str) -> i64 {
    q(
        &r.p.app,
        &format!(
            "SELECT COUNT(*) FROM recurring_charges WHERE contract_id = {} AND state = '{state}'",
            r.contract_id
        ),
    )
}

fn card_payments(r: &Rec) -> i64 {
    q(
        &r.p.app,
        &format!(
            "SELECT COUNT(*) FROM payments WHERE customer_id = {} AND method = 'card'",
            r.p.customer_id
        ),
    )
}

fn card_invoices(r: &Rec) -> i64 {
    q(
        &r.p.app,
        &format!(
            "SELECT COUNT(*) FROM invoices WHERE contract_id = {}",
            r.contract_id
        ),
    )
}

fn mails(r: &Rec, kind: &str) -> i64 {
    q(
        &r.p.app,
        &format!("SELECT COUNT(*) FROM outbox WHERE kind = '{kind}'"),
    )
}

/// What the subscriber owes (credit negative), as their balance page says.
fn balance(r: &Rec) -> i64 {
    ebok::app::invoices::ledger(&mut r.p.app.conn(), r.p.customer_id, None, None)
        .expect("ledger")
        .balance
}

/// Open money on the contract's invoices (gross minus allocations).
fn owed_on_contract(r: &Rec) -> i64 {
    q(
        &r.p.app,
        &format!(
            "SELECT CAST(COALESCE(SUM(i.total_gross), 0) - COALESCE((SELECT SUM(a.amount) FROM payment_allocations a \
             JOIN invoices j ON j.id = a.invoice_id WHERE j.contract_id = {0}), 0) AS BIGINT) \
             FROM invoices i WHERE i.contract_id = {0}",
            r.contract_id
        ),
    )
}

fn three_consecutive_periods_are_charged_invoiced_and_mailed(app: TestApp) {
    let r = set_up(app);
    on(&r);
    let mails_before = mails(&r, "recurring");
    for (n, today) in [start(), day(2027, 2, 4), day(2027, 3, 6)]
        .into_iter()
        .enumerate()
    {
        // The day before a period starts nothing happens for it.
        if n > 0 {
            let eve = today.pred_opt().unwrap();
            assert_eq!(pass(&r, eve), PassReport::default(), "nothing due on {eve}");
        }
        // PayU's notification may book the charge before the pass reads the order: the
        // database says what was paid, not the pass's own report.
        assert_eq!(pass(&r, today).opened, 1, "period {n} on {today}");
        assert_eq!(charges(&r, "paid"), n as i64 + 1);
    }
    assert_eq!(card_invoices(&r), 3, "one invoice per period");
    assert_eq!(card_payments(&r), 3);
    assert_eq!(owed_on_contract(&r), 0, "each invoice paid by its charge");
    let amounts = q(
        &r.p.app,
        &format!(
            "SELECT CAST(SUM(total_gross) AS BIGINT) FROM invoices WHERE contract_id = {}",
            r.contract_id
        ),
    );
    assert_eq!(amounts, 3 * FEE, "the fee each period, to the grosz");
    // The third period runs 6 March – 4 April (30 days counted from 5 January).
    let (start3, end3): (NaiveDate, NaiveDate) = {
        use diesel::prelude::*;
        use ebok::db::schema::recurring_charges as rc;
        rc::table
            .filter(rc::contract_id.eq(r.contract_id))
            .order(rc::period_start.desc())
            .select((rc::period_start, rc::period_end))
            .first(&mut *r.p.app.conn())
            .unwrap()
    };
    assert_eq!((start3, end3), (day(2027, 3, 6), day(2027, 4, 4)));
    assert_eq!(
        mails(&r, "recurring") - mails_before,
        3,
        "a mail after each charge"
    );
    // Charging again the same day changes nothing.
    assert_eq!(pass(&r, day(2027, 3, 6)), PassReport::default());
}

fn a_declined_charge_is_retried_and_recovers(app: TestApp) {
    let r = set_up(app);
    on(&r);
    r.p.payu.set_faults(Faults {
        decline: true,
        ..Faults::default()
    });
    assert_eq!(pass(&r, start()).opened, 1);
    assert_eq!(charges(&r, "due"), 1, "due again for the retry");
    assert_eq!(
        owed_on_contract(&r),
        FEE,
        "the invoice waits, payable by hand"
    );
    let failure_mails = q(
        &r.p.app,
        "SELECT COUNT(*) FROM outbox WHERE kind = 'recurring' AND body_text LIKE '%/faktury/%'",
    );
    assert_eq!(failure_mails, 1, "told at once, with a link to pay by hand");
    // The retry is due a day later; the same day nothing is tried again.
    assert_eq!(pass(&r, start()).failed, 0);
    r.p.payu.set_faults(Faults::default());
    assert_eq!(pass(&r, day(2027, 1, 6)).opened, 0);
    assert_eq!(charges(&r, "paid"), 1);
    assert_eq!(owed_on_contract(&r), 0);
    assert_eq!(card_invoices(&r), 1, "the retry charges the same invoice");
    let failures = q(&r.p.app, "SELECT COUNT(*) FROM recurring_failures");
    assert_eq!(failures, 1);
}

fn after_the_last_failed_retry_the_mandate_ends_and_invoices_are_ordinary_again(app: TestApp) {
    let r = set_up(app);
    let mandate = on(&r);
    r.p.payu.set_faults(Faults {
        expired_card: true,
        ..Faults::default()
    });
    // The first try, then after 1, 3 and 7 days.
    for today in [start(), day(2027, 1, 6), day(2027, 1, 8), day(2027, 1, 12)] {
        assert_eq!(pass(&r, today).failed, 1, "an attempt on {today}");
    }
    assert_eq!(charges(&r, "failed"), 1);
    let status = q(
        &r.p.app,
        &format!(
            "SELECT COUNT(*) FROM recurring_mandates WHERE id = {mandate} AND status = 'ended'"
        ),
    );
    assert_eq!(status, 1, "the mandate ended");
    let reasons = q(
        &r.p.app,
        "SELECT COUNT(*) FROM recurring_failures WHERE reason = 'card_expired'",
    );
    assert_eq!(reasons, 4);
    let ended_mail = q(
        &r.p.app,
        "SELECT COUNT(*) FROM outbox WHERE kind = 'recurring' AND subject LIKE 'Płatność automatyczna wyłączona%'",
    );
    assert_eq!(
        ended_mail, 1,
        "the notice of falling back to ordinary invoices"
    );
    // No more tries and no new period charged.
    r.p.payu.set_faults(Faults::default());
    assert_eq!(pass(&r, day(2027, 2, 4)), PassReport::default());
    assert_eq!(card_payments(&r), 0);
}

fn cancelling_mid_period_serves_to_the_period_end_and_charges_nothing_more(app: TestApp) {
    let r = set_up(app);
    let mandate = on(&r);
    pass(&r, start());
    assert_eq!(charges(&r, "paid"), 1);
    let ends_on = cancel_as_subscriber(&r, mandate, day(2027, 1, 20)).unwrap();
    assert_eq!(ends_on, day(2027, 2, 3), "the end of the paid period");
    assert_eq!(pass(&r, day(2027, 2, 3)), PassReport::default());
    assert_eq!(
        pass(&r, day(2027, 2, 4)),
        PassReport::default(),
        "nothing charged for the next period"
    );
    assert_eq!(card_payments(&r), 1);
    let closed = q(
        &r.p.app,
        &format!(
            "SELECT COUNT(*) FROM recurring_mandates WHERE id = {mandate} AND status = 'cancelled'"
        ),
    );
    assert_eq!(closed, 1);
    // Cancelling twice is refused with a reason, not a failure.
    let again = cancel_as_subscriber(&r, mandate, day(2027, 2, 5));
    assert!(matches!(again, Err(RecurringError::AlreadyEnded)));
}

fn two_instances_at_once_charge_each_period_once(app: TestApp) {
    let r = set_up(app);
    on(&r);
    let orders_before = r.p.payu.order_count();
    for (n, today) in [start(), day(2027, 2, 4), day(2027, 3, 6)]
        .into_iter()
        .enumerate()
    {
        std::thread::scope(|scope| {
            let runs: Vec<_> = (0..2)
                .map(|_| {
                    let (pool, ctx) = (&r.p.app.pool, &r.ctx);
                    // Each instance with its own PayU client, as two processes would have.
                    let gateway = Gateway::from_config(
                        r.p.app.config.payu.as_ref().unwrap(),
                        &r.p.app.config.web.public_url,
                    )
                    .unwrap();
                    scope.spawn(move || {
                        runtime()
                            .block_on(run_pass(pool, &gateway, ctx, today, morning(today)))
                            .expect("pass")
                    })
                })
                .collect();
            let reports: Vec<PassReport> = runs.into_iter().map(|h| h.join().unwrap()).collect();
            let opened: usize = reports.iter().map(|r| r.opened).sum();
            assert_eq!(opened, 1, "{today}: {reports:?}");
        });
        assert_eq!(charges(&r, "paid"), n as i64 + 1, "{today}");
    }
    assert_eq!(charges(&r, "paid"), 3);
    assert_eq!(card_invoices(&r), 3);
    assert_eq!(card_payments(&r), 3);
    assert_eq!(
        r.p.payu.order_count() - orders_before,
        3,
        "three orders at PayU, no more"
    );
}

fn notification_for(r: &Rec, payu_order_id: &str, status: &str) -> Vec<u8> {
    let mut order = r.p.payu.order(payu_order_id).expect("PayU has the order");
    order.status = status.into();
    serde_json::to_vec(&OrderNotification {
        order,
        local_receipt_date_time: None,
        properties: Vec::new(),
    })
    .unwrap()
}

fn deliver(r: &Rec, body: &[u8], signature: Option<String>) -> Status {
    let mut request =
        r.p.app
            .client
            .post("/payu/powiadomienia")
            .header(ContentType::JSON)
            .body(body);
    if let Some(signature) = signature {
        request = request.header(Header::new("OpenPayu-Signature", signature));
    }
    request.dispatch().status()
}

fn duplicated_and_forged_notifications_change_nothing_twice(app: TestApp) {
    let r = set_up(app);
    on(&r);
    // A slow charge: PENDING at first, the pass leaves it to the notification.
    r.p.payu.set_faults(Faults {
        slow: 100_000,
        ..Faults::default()
    });
    let report = pass(&r, start());
    assert_eq!((report.opened, report.waiting), (1, 1));
    let payu_id: String = {
        use diesel::prelude::*;
        use ebok::db::schema::recurring_charges as rc;
        rc::table
            .filter(rc::contract_id.eq(r.contract_id))
            .select(rc::payu_order_id)
            .first::<Option<String>>(&mut *r.p.app.conn())
            .unwrap()
            .expect("PayU's order id stored")
    };
    let completed = notification_for(&r, &payu_id, "COMPLETED");
    // Forged: unsigned, or signed with another key: refused, nothing booked.
    assert_eq!(deliver(&r, &completed, None), Status::Forbidden);
    let forged = header_for(&completed, "not-the-second-key", Algorithm::Md5);
    assert_eq!(deliver(&r, &completed, Some(forged)), Status::Forbidden);
    assert_eq!(card_payments(&r), 0);
    // The real one, twice: one payment.
    let signed = Some(header_for(
        &completed,
        payu_sim::DEMO_SECOND_KEY,
        Algorithm::Md5,
    ));
    assert_eq!(deliver(&r, &completed, signed.clone()), Status::Ok);
    assert_eq!(deliver(&r, &completed, signed), Status::Ok);
    assert_eq!(card_payments(&r), 1);
    assert_eq!(charges(&r, "paid"), 1);
    // A late CANCELED for the paid order changes nothing either.
    let cancelled = notification_for(&r, &payu_id, "CANCELED");
    let signed = Some(header_for(
        &cancelled,
        payu_sim::DEMO_SECOND_KEY,
        Algorithm::Md5,
    ));
    assert_eq!(deliver(&r, &cancelled, signed), Status::Ok);
    assert_eq!(charges(&r, "paid"), 1);
    let failures = q(&r.p.app, "SELECT COUNT(*) FROM recurring_failures");
    assert_eq!(failures, 0);
    // The pass after it sees nothing to do.
    assert_eq!(pass(&r, start()).paid, 0);
    assert_eq!(card_payments(&r), 1);
}

fn another_customers_card_is_never_usable(app: TestApp) {
    let r = set_up(app);
    // Another subscriber's card, registered properly at PayU.
    let other = q(
        &r.p.app,
        &format!(
            "SELECT id FROM customers WHERE id <> {} ORDER BY id LIMIT 1",
            r.p.customer_id
        ),
    );
    let theirs = register_card(&r, CustomerId(other), 0);
    let their_token: String = {
        use diesel::prelude::*;
        use ebok::db::schema::payment_cards as pc;
        pc::table
            .find(theirs)
            .select(pc::token)
            .first::<Option<String>>(&mut *r.p.app.conn())
            .unwrap()
            .unwrap()
    };
    // The signed-in subscriber tries it through the web forms: to pay their own contract …
    let page = "/konto/platnosci-automatyczne";
    let token = common::csrf_token(&r.p.app.client, page);
    let contract = r.contract_id.to_string();
    let card = theirs.to_string();
    let response =
        r.p.app
            .client
            .post("/konto/platnosci-automatyczne/wlacz")
            .header(ContentType::Form)
            .header(Header::new("Origin", "http://127.0.0.1:8000"))
            .body(common::form(&[
                ("csrf_token", &token),
                ("contract_id", &contract),
                ("card_id", &card),
                ("terms", "true"),
            ]))
            .dispatch();
    assert_eq!(response.status(), Status::SeeOther);
    let html = r.p.app.get(page).into_string().unwrap_or_default();
    assert!(
        html.contains("Nie ma takiej karty"),
        "told there is no such card: {}",
        common::page_text(&html)
    );
    // … or passing their multi-use token off as a new card of their own.
    let response =
        r.p.app
            .client
            .post("/konto/platnosci-automatyczne/nowa-karta")
            .header(ContentType::Form)
            .header(Header::new("Origin", "http://127.0.0.1:8000"))
            .body(common::form(&[
                ("csrf_token", &token),
                ("token", &their_token),
            ]))
            .dispatch();
    assert_eq!(response.status(), Status::SeeOther);
    let location = response
        .headers()
        .get_one("Location")
        .unwrap_or_default()
        .to_owned();
    assert_eq!(location, page, "refused, not sent to PayU");
    // Nor as a single-use token: PayU refuses what it did not issue for the form.
    let fake = format!("TOK_{}", their_token.trim_start_matches("TOKC_"));
    let response =
        r.p.app
            .client
            .post("/konto/platnosci-automatyczne/nowa-karta")
            .header(ContentType::Form)
            .header(Header::new("Origin", "http://127.0.0.1:8000"))
            .body(common::form(&[("csrf_token", &token), ("token", &fake)]))
            .dispatch();
    assert_eq!(
        response.headers().get_one("Location"),
        Some(page),
        "PayU did not take it"
    );
    assert_eq!(q(&r.p.app, "SELECT COUNT(*) FROM recurring_mandates"), 0);
    let mine = q(
        &r.p.app,
        &format!(
            "SELECT COUNT(*) FROM payment_cards WHERE customer_id = {} AND status = 'active'",
            r.p.customer_id
        ),
    );
    assert_eq!(mine, 0, "no card of theirs became mine");
    // And the app refuses their card for my contract whatever the path.
    let attempt = mandates::enable(
        &mut r.p.app.conn(),
        &EnableRequest {
            customer_id: r.p.customer_id,
            account_id: r.account_id,
            contract_id: r.contract_id,
            card_id: theirs,
            terms_accepted: true,
            ip: None,
            today: start(),
            now: morning(start()),
        },
    );
    assert!(
        matches!(attempt, Err(RecurringError::NoCard)),
        "{attempt:?}"
    );
}

fn the_page_shows_periods_and_cancelling_says_the_last_day(app: TestApp) {
    let r = set_up(app);
    on(&r);
    let page = "/konto/platnosci-automatyczne";
    let html = r.p.app.get(page).into_string().unwrap_or_default();
    assert!(
        html.contains("•••• 1111"),
        "the card: {}",
        common::page_text(&html)
    );
    assert!(html.contains("next-period"), "the next periods are listed");
    let mandate = q(&r.p.app, "SELECT MAX(id) FROM recurring_mandates");
    let token = common::csrf_token(&r.p.app.client, page);
    let response =
        r.p.app
            .client
            .post(format!("/konto/platnosci-automatyczne/{mandate}/anuluj"))
            .header(ContentType::Form)
            .header(Header::new("Origin", "http://127.0.0.1:8000"))
            .body(common::form(&[("csrf_token", &token)]))
            .dispatch();
    assert_eq!(response.status(), Status::SeeOther);
    let html = r.p.app.get(page).into_string().unwrap_or_default();
    assert!(
        html.contains("Usługa działa do"),
        "the page says until when: {}",
        common::page_text(&html)
    );
    // The staff list shows the mandate with its card.
    let status = q(
        &r.p.app,
        &format!(
            "SELECT COUNT(*) FROM recurring_mandates WHERE id = {mandate} AND status = 'cancelling'"
        ),
    );
    assert_eq!(status, 1);
}

fn a_contract_ended_mid_period_returns_the_unused_part_to_the_card(app: TestApp) {
    let r = set_up(app);
    on(&r);
    pass(&r, start());
    assert_eq!(charges(&r, "paid"), 1);
    let payu_order: String = {
        use diesel::prelude::*;
        use ebok::db::schema::recurring_charges as rc;
        rc::table
            .filter(rc::contract_id.eq(r.contract_id))
            .select(rc::payu_order_id)
            .first::<Option<String>>(&mut *r.p.app.conn())
            .unwrap()
            .unwrap()
    };
    let before = balance(&r);
    // Served 5–15 January of 5 January – 3 February: 19 of 30 days unused.
    // 69,99 zł × 19 / 30 = 44,327 → 44,33 zł (half-up).
    let today = day(2027, 1, 15);
    let invoicing = ebok::app::invoicing::Invoicing {
        renderer: &r.ctx.documents.renderer,
        store: &r.ctx.documents.store,
        outgoing: r.ctx.mailing.as_ref().map(Mailing::outgoing),
    };
    let ended = terminate::end_at_once(
        &mut r.p.app.conn(),
        &invoicing,
        &EndRequest {
            contract_id: r.contract_id,
            reason: "Naruszenie regulaminu".into(),
            last_day: today,
            actor: ebok::app::audit::Actor::default(),
            today,
            now: morning(today),
        },
    )
    .expect("ended");
    assert_eq!(ended.returned, 4_433);
    let (correction, _) = ended.correction.clone().expect("a correction");
    let gross = q(
        &r.p.app,
        &format!("SELECT total_gross FROM invoices WHERE id = {correction}"),
    );
    assert_eq!(
        gross, -4_433,
        "the correction lowers the invoice by the unused part"
    );
    assert_eq!(
        ended.to_card, 4_433,
        "the unused part goes back to the card"
    );
    let taken = r.runtime.block_on(refunds::send_due(
        &r.p.app.pool,
        &r.gateway.client,
        morning(today),
    ));
    assert_eq!(taken, 1, "PayU takes the refund");
    let at_payu = r.p.payu.refunds(&payu_order);
    assert_eq!(at_payu.len(), 1);
    assert_eq!(at_payu[0].amount, "4433");
    wait_until("PayU's notification marks the refund sent", || {
        q(
            &r.p.app,
            "SELECT COUNT(*) FROM correction_refunds WHERE status = 'sent' AND amount = 4433",
        ) == 1
    });
    assert_eq!(
        balance(&r),
        before,
        "the correction's credit went back to the card, not left as credit as well"
    );
    let terminated = q(
        &r.p.app,
        &format!(
            "SELECT COUNT(*) FROM contracts WHERE id = {} AND status = 'terminated'",
            r.contract_id
        ),
    );
    assert_eq!(terminated, 1);
    let mail = q(
        &r.p.app,
        "SELECT COUNT(*) FROM outbox WHERE kind = 'recurring' AND attachment_path IS NOT NULL \
         AND subject LIKE 'Umowa rozwiązana%'",
    );
    assert_eq!(
        mail, 1,
        "the subscriber is told, with the correction attached"
    );
    // No later period is charged.
    assert_eq!(pass(&r, day(2027, 2, 4)), PassReport::default());
}

fn a_card_paid_contract_is_left_alone_by_the_billing_run(app: TestApp) {
    let r = set_up(app);
    let mandate = on(&r);
    pass(&r, start());
    assert_eq!(charges(&r, "paid"), 1);
    let february = |r: &Rec| {
        ebok::app::billing::contract_subscription_lines(
            &mut r.p.app.conn(),
            ebok::db::customers::find(&mut r.p.app.conn(), r.p.customer_id)
                .unwrap()
                .unwrap(),
            r.contract_id,
            ebok::domain::billing::BillingPeriod::parse("2027-02").unwrap(),
        )
        .unwrap()
    };
    let lines = february(&r);
    assert!(lines.is_empty(), "February is paid by card: {lines:?}");

    // Cancelled on 20 January, the card pays to 3 February: the monthly run bills the other
    // 25 days of February, 69,99 zł × 25 / 28 = 62,491… → 62,49 zł.
    cancel_as_subscriber(&r, mandate, day(2027, 1, 20)).unwrap();
    pass(&r, day(2027, 2, 4));
    let lines = february(&r);
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert_eq!(lines[0].unit_price.grosze(), 6_249, "{lines:?}");
    assert!(
        lines[0].name.contains("04.02"),
        "the days billed: {lines:?}"
    );
}

fn the_demo_subscriber_paying_by_card_is_charged_through_the_local_payu(app: TestApp) {
    use diesel::prelude::*;
    use ebok::db::schema::{accounts, recurring_mandates};
    let r = rig(app.with_demo(1));
    let login = ebok::app::demo::recurring::login();
    let customer_id: CustomerId = accounts::table
        .filter(accounts::login.eq(&login))
        .select(accounts::customer_id)
        .first(&mut *r.p.app.conn())
        .expect("the demo's subscriber paying by card");
    let starts_on: NaiveDate = recurring_mandates::table
        .filter(recurring_mandates::customer_id.eq(customer_id))
        .filter(recurring_mandates::status.eq("active"))
        .select(recurring_mandates::starts_on)
        .first(&mut *r.p.app.conn())
        .expect("the demo's mandate");
    let consents = q(
        &r.p.app,
        &format!(
            "SELECT COUNT(*) FROM consents WHERE customer_id = {customer_id} AND kind = 'recurring_payments' AND granted"
        ),
    );
    assert_eq!(consents, 1, "turned on with the consent to the terms");
    // Its first period is charged with the token the local PayU server always knows.
    // (PayU's notification may record the payment before the pass does: either counts once.)
    let report = pass(&r, starts_on);
    assert_eq!(report.opened, 1, "{report:?}");
    wait_until("the first period is paid", || {
        q(
            &r.p.app,
            &format!(
                "SELECT COUNT(*) FROM recurring_charges WHERE customer_id = {customer_id} AND state = 'paid'"
            ),
        ) == 1
    });
    // The subscriber sees the card and the mandate.
    let browser = r.p.app.another_browser();
    common::log_in(&browser, &login, ebok::app::demo::GENERATED_PASSWORD);
    let page = browser
        .get("/konto/platnosci-automatyczne")
        .dispatch()
        .into_string()
        .unwrap();
    assert!(page.contains("1111"), "the card: {page}");
}
