//! Orders not paid within two hours are cancelled: at PayU first (a `DELETE`, whose answer is
//! what counts, reference §A.6), then here, and the subscriber is told by mail through the
//! outbox in the same transaction. An order PayU says is paid, or that PayU cannot be asked
//! about right now, stays open: its notification decides, or the next run tries again.

use chrono::NaiveDateTime;
use tera::Context;

use super::Gateway;
use crate::app::mail_queue::Outgoing;
use crate::db::outbox::NewOutboxMessage;
use crate::db::{self, DbConn, Pool};
use crate::domain::online_payment::PaymentPurpose;
use crate::mail::{Language, MailKind, RenderedMail};
use crate::payu::client::PayuError;

#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct ExpiryReport {
    pub cancelled: usize,
    /// Left open: PayU unreachable, or PayU says the order is paid (its notification decides).
    pub left_open: usize,
}

impl crate::app::service::QueuesMail for ExpiryReport {
    /// A cancelled payment is mailed to its payer.
    fn queued_mail(&self) -> bool {
        self.cancelled > 0
    }
}

const BATCH: i64 = 100;

async fn with_db<T: Send + 'static>(
    pool: &Pool,
    work: impl FnOnce(&mut DbConn) -> diesel::QueryResult<T> + Send + 'static,
) -> Result<T, String> {
    let pool = pool.clone();
    tokio::task::spawn_blocking(move || {
        let mut conn = pool.get().map_err(|e| e.to_string())?;
        work(&mut conn).map_err(|e| e.to_string())
    })
    .await
    .map_err(|e| e.to_string())?
}

/// Cancels every order whose two hours ran out at `now` (tests pass a later `now`).
pub async fn expire_due(
    pool: &Pool,
    gateway: Option<&Gateway>,
    outgoing: Outgoing<'_>,
    now: NaiveDateTime,
) -> Result<ExpiryReport, String> {
    let mut report = ExpiryReport::default();
    let ids = with_db(pool, move |conn| {
        db::online_payments::expired_ids(conn, now, BATCH)
    })
    .await?;
    for id in ids {
        let Some(order) = with_db(pool, move |conn| db::online_payments::find(conn, id)).await?
        else {
            continue;
        };
        if let (Some(gateway), Some(payu_order_id)) = (gateway, order.payu_order_id.as_deref()) {
            match gateway.client.cancel(payu_order_id).await {
                Ok(()) | Err(PayuError::NotFound) => {}
                Err(error) => {
                    tracing::info!(order = id, %error, "expired online payment left open at PayU's word");
                    report.left_open += 1;
                    continue;
                }
            }
        }
        let cancelled_at_payu = gateway.is_some() && order.payu_order_id.is_some();
        let mail = render(outgoing, &order).map_err(|e| e.to_string())?;
        let recipient = order.notify_email.clone();
        let for_shop_order = order.purpose == PaymentPurpose::Order;
        let cancelled = with_db(pool, move |conn| {
            db::write_transaction(conn, |conn| {
                // PayU's CANCELED notification for our own DELETE may have been processed
                // already; the order still expired, and the subscriber is told once.
                let expired = db::online_payments::cancel(conn, id, "expired", now)?
                    || (cancelled_at_payu
                        && db::online_payments::relabel_as_expired(conn, id, now)?);
                if !expired {
                    return Ok(false);
                }
                // A catalogue order's subscriber is told about the order itself when it is
                // cancelled (`app::orders::expiry`), once, not about each payment attempt.
                if !for_shop_order {
                    db::outbox::enqueue(conn, &message(&recipient, mail, now))?;
                }
                Ok(true)
            })
        })
        .await?;
        if cancelled {
            report.cancelled += 1;
        }
    }
    Ok(report)
}

fn render(
    outgoing: Outgoing<'_>,
    order: &db::online_payments::OnlinePayment,
) -> Result<RenderedMail, tera::Error> {
    let mut context: Context = outgoing.context();
    context.insert("description", &order.description);
    let language = Language::from_code(&order.language);
    let amount = crate::domain::Money::from_grosze(order.total_amount);
    let amount = match language {
        Language::Polish => amount.to_string(),
        Language::English => amount.to_english(),
    };
    context.insert("amount", &amount);
    let top_up = order.purpose == PaymentPurpose::TopUp;
    let interest_note = order.purpose == PaymentPurpose::InterestNote;
    context.insert("top_up", &top_up);
    context.insert("interest_note", &interest_note);
    context.insert(
        "link",
        &outgoing.link(match (top_up, interest_note) {
            (true, _) => "/doladowania",
            // Notes are listed, and paid, on the balance page.
            (_, true) => "/saldo",
            _ => "/faktury",
        }),
    );
    outgoing
        .templates
        .render(MailKind::OnlinePaymentExpired, language, &context)
}

fn message(recipient: &str, mail: RenderedMail, now: NaiveDateTime) -> NewOutboxMessage {
    NewOutboxMessage {
        kind: MailKind::OnlinePaymentExpired.name().into(),
        recipient: recipient.into(),
        subject: mail.subject,
        body_text: mail.text,
        body_html: Some(mail.html),
        attachment_path: None,
        status: crate::domain::MailStatus::Pending,
        attempts: 0,
        next_attempt_at: now,
        locked_until: None,
        last_error: None,
        created_at: now,
        sent_at: None,
    }
}
