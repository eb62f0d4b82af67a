//! A payment order placed in the portal and paid at PayU: its states, what a status reported by
//! PayU does to it, and whether a notification's amount is the order's. The database moves the
//! state only by conditional updates on the state it leaves; these rules say which move to try.

use chrono::{Duration, NaiveDateTime};

/// How long the subscriber has to pay before the order is cancelled (issue 18: two hours).
pub const VALIDITY_SECONDS: i64 = 2 * 3600;

pub fn expires_at(placed_at: NaiveDateTime) -> NaiveDateTime {
    placed_at + Duration::seconds(VALIDITY_SECONDS)
}

crate::domain::words::stored_words!(
    /// What a PayU order pays (`online_payments.purpose`): decides what its completion books.
    PaymentPurpose {
        /// One invoice (`online_payment_invoices`).
        Invoice = "invoice",
        /// Every overdue invoice at once (`online_payment_invoices`).
        Overdue = "overdue",
        /// A top-up package.
        TopUp = "top_up",
        /// A catalogue order (`shop_orders`).
        Order = "order",
        /// One interest note (`online_payment_notes`).
        InterestNote = "interest_note",
    }
);

/// The only currency the portal's invoices are in.
pub const CURRENCY: &str = "PLN";

crate::domain::words::stored_words!(
    /// `online_payments.state`: where an order placed at PayU is.
    OrderState {
        /// Placed; the subscriber has not paid yet.
        New = "new",
        /// PayU is processing the payment.
        Pending = "pending",
        /// Paid and booked.
        Completed = "completed",
        /// Cancelled by PayU, by its expiry, or by the subscriber.
        Canceled = "canceled",
    }
);

impl OrderState {
    /// The states an order may still leave.
    pub const OPEN: [OrderState; 2] = [OrderState::New, OrderState::Pending];

    /// Completed and cancelled orders never change again.
    pub fn is_final(self) -> bool {
        matches!(self, OrderState::Completed | OrderState::Canceled)
    }
}

/// What a status reported by PayU asks of an order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// PayU is processing the payment.
    MarkPending,
    /// Paid: book one payment.
    Complete,
    /// PayU cancelled the order; nothing was charged.
    Cancel,
    /// Nothing to do: a repeat, a status older than what we know, or an order already final.
    Ignore,
}

/// The step for PayU's `status` on an order we hold in `current`. Final states never change, so
/// a repeated COMPLETED, or a CANCELED that arrives after COMPLETED, does nothing.
pub fn step(current: OrderState, reported: &str) -> Step {
    if current.is_final() {
        return Step::Ignore;
    }
    match reported {
        "COMPLETED" => Step::Complete,
        "CANCELED" => Step::Cancel,
        "PENDING" | "WAITING_FOR_CONFIRMATION" if current == OrderState::New => Step::MarkPending,
        _ => Step::Ignore,
    }
}

/// Why a notification's money is not the order's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mismatch {
    Amount { ordered: i64, reported: String },
    Currency { ordered: String, reported: String },
}

impl Mismatch {
    /// For staff, in Polish as the staff panel is.
    pub fn describe(&self) -> String {
        match self {
            Mismatch::Amount { ordered, reported } => {
                format!("PayU podało kwotę {reported} gr, zamówienie było na {ordered} gr")
            }
            Mismatch::Currency { ordered, reported } => {
                format!("PayU podało walutę {reported}, zamówienie było w {ordered}")
            }
        }
    }
}

/// Checks that PayU reports the order's own total (grosze, as a string) and currency.
pub fn check_amount(
    ordered_total: i64,
    ordered_currency: &str,
    reported_total: &str,
    reported_currency: &str,
) -> Result<(), Mismatch> {
    if reported_currency != ordered_currency {
        return Err(Mismatch::Currency {
            ordered: ordered_currency.to_owned(),
            reported: reported_currency.to_owned(),
        });
    }
    match reported_total.trim().parse::<i64>() {
        Ok(total) if total == ordered_total => Ok(()),
        _ => Err(Mismatch::Amount {
            ordered: ordered_total,
            reported: reported_total.to_owned(),
        }),
    }
}

/// Our id for an order at PayU (`extOrderId`): unique per POS, never reused. The random part
/// keeps two portals sharing a POS (a test install beside production) from colliding.
pub fn ext_order_id(customer_number: i64, random: &str) -> String {
    format!("EBOK-{customer_number}-{random}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_open_order_follows_payu_forward() {
        assert_eq!(step(OrderState::New, "PENDING"), Step::MarkPending);
        assert_eq!(step(OrderState::New, "COMPLETED"), Step::Complete);
        assert_eq!(step(OrderState::Pending, "COMPLETED"), Step::Complete);
        assert_eq!(step(OrderState::Pending, "CANCELED"), Step::Cancel);
        assert_eq!(
            step(OrderState::New, "WAITING_FOR_CONFIRMATION"),
            Step::MarkPending
        );
    }

    #[test]
    fn final_orders_and_stale_statuses_change_nothing() {
        assert_eq!(step(OrderState::Completed, "CANCELED"), Step::Ignore);
        assert_eq!(step(OrderState::Completed, "COMPLETED"), Step::Ignore);
        assert_eq!(step(OrderState::Canceled, "COMPLETED"), Step::Ignore);
        assert_eq!(step(OrderState::Pending, "PENDING"), Step::Ignore);
        assert_eq!(step(OrderState::Pending, "NEW"), Step::Ignore);
        assert_eq!(step(OrderState::New, "SOMETHING_ELSE"), Step::Ignore);
    }

    #[test]
    fn the_amount_must_be_the_orders_to_the_grosz_and_in_its_currency() {
        assert_eq!(check_amount(12_300, "PLN", "12300", "PLN"), Ok(()));
        assert!(matches!(
            check_amount(12_300, "PLN", "12299", "PLN"),
            Err(Mismatch::Amount { .. })
        ));
        assert!(matches!(
            check_amount(12_300, "PLN", "123.00", "PLN"),
            Err(Mismatch::Amount { .. })
        ));
        assert!(matches!(
            check_amount(12_300, "PLN", "12300", "EUR"),
            Err(Mismatch::Currency { .. })
        ));
    }

    #[test]
    fn orders_expire_two_hours_after_they_are_placed() {
        let placed = chrono::NaiveDate::from_ymd_opt(2026, 12, 6)
            .unwrap()
            .and_hms_opt(23, 30, 0)
            .unwrap();
        assert_eq!(
            expires_at(placed),
            chrono::NaiveDate::from_ymd_opt(2026, 12, 7)
                .unwrap()
                .and_hms_opt(1, 30, 0)
                .unwrap()
        );
    }
}
