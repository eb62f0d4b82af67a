//! Discounts by eligibility ("ulgi"): what staff may define, what a subscriber's choice costs,
//! when an approved discount starts and ends, and when its end is announced.
//!
//! The rules, as the ISP's price list states them:
//! - A discount type says who qualifies, what proof is needed, and how much: a percentage or an
//!   amount off the gross monthly fee, for one tariff or for every tariff.
//! - Discounts never stack. A subscriber who qualifies on several grounds chooses the one that
//!   applies (the choice and its responsibility are the customer's); while it applies the
//!   subscription's own per-service discounts (promotions, loyalty) do not.
//! - It lowers the tariff's subscription (the contract's internet service), not the extras.
//! - An approved discount applies from the first day of the billing period after the approval,
//!   to the last day its proof is valid; 14 days before that day the subscriber is told.
//! - On the invoice the subscription line keeps the full price and the discount is its own
//!   negative line at the same VAT rate, so the VAT is computed on the discounted amount.

use chrono::{Duration, NaiveDate};

use super::billing::{self, BillingPeriod, Discount, DiscountKind};
use super::money::Money;

crate::domain::words::stored_words!(
    /// A subscriber's application for a discount (`discount_applications.status`).
    ApplicationStatus {
        /// Waiting for staff to check the proof.
        Pending = "pending",
        /// Applies from `starts_on` to `ends_on`.
        Approved = "approved",
        Refused = "refused",
        /// Replaced by a newer approved discount on the same contract.
        Ended = "ended",
    }
);

/// Days before the proof's last day at which the subscriber is told the discount ends.
pub const EXPIRY_NOTICE_DAYS: i64 = 14;
/// The longest a name, "who qualifies" or "proof" text may be.
pub const MAX_TEXT: usize = 300;

/// A discount type as staff typed it.
#[derive(Debug, Clone, Default)]
pub struct TypeForm {
    pub name: String,
    pub who_qualifies: String,
    pub proof_required: String,
    /// `percent` or `amount`.
    pub kind: String,
    /// `15` or `12,5` (percent), `20,00` (złoty).
    pub value: String,
    /// A tariff id, or empty for every tariff.
    pub tariff: String,
    pub valid_from: String,
    pub valid_until: String,
}

/// A discount type that passed every check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedType {
    pub name: String,
    pub who_qualifies: String,
    pub proof_required: String,
    pub kind: &'static str,
    /// Basis points (percent) or grosze (amount).
    pub value: i64,
    pub tariff_id: Option<i64>,
    pub valid_from: NaiveDate,
    pub valid_until: Option<NaiveDate>,
}

/// One message per field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TypeProblem {
    NameMissing,
    TextTooLong,
    WhoMissing,
    ProofMissing,
    BadKind,
    BadPercent,
    BadAmount,
    BadTariff,
    BadValidFrom,
    BadValidUntil,
}

/// `YYYY-MM-DD` (what `<input type=date>` sends).
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").ok()
}

/// A percentage `0,01`–`100` as basis points.
fn percent(text: &str) -> Option<i64> {
    let text = text.trim().trim_end_matches('%').trim();
    let money = Money::parse_pl(text).ok()?;
    Some(money.grosze()).filter(|bp| (1..=10_000).contains(bp))
}

/// Checks a discount type form; `tariff_ids` are the tariffs that exist.
pub fn check_type(form: &TypeForm, tariff_ids: &[i64]) -> Result<CheckedType, Vec<TypeProblem>> {
    let mut problems = Vec::new();
    let tidy = |text: &str| crate::domain::bank_statement::tidy(text);
    let name = tidy(&form.name);
    let who = tidy(&form.who_qualifies);
    let proof = tidy(&form.proof_required);
    if name.is_empty() {
        problems.push(TypeProblem::NameMissing);
    }
    if who.is_empty() {
        problems.push(TypeProblem::WhoMissing);
    }
    if proof.is_empty() {
        problems.push(TypeProblem::ProofMissing);
    }
    if [&name, &who, &proof]
        .iter()
        .any(|t| t.chars().count() > MAX_TEXT)
    {
        problems.push(TypeProblem::TextTooLong);
    }
    let (kind, value) = match form.kind.trim() {
        "percent" => {
            let value = percent(&form.value);
            if value.is_none() {
                problems.push(TypeProblem::BadPercent);
            }
            ("percent", value)
        }
        "amount" => {
            let value = Money::parse_pl(&form.value)
                .ok()
                .map(Money::grosze)
                .filter(|g| (1..=10_000_000).contains(g));
            if value.is_none() {
                problems.push(TypeProblem::BadAmount);
            }
            ("amount", value)
        }
        _ => {
            problems.push(TypeProblem::BadKind);
            ("percent", None)
        }
    };
    let tariff_id = match form.tariff.trim() {
        "" | "all" => None,
        text => match text
            .parse::<i64>()
            .ok()
            .filter(|id| tariff_ids.contains(id))
        {
            Some(id) => Some(id),
            None => {
                problems.push(TypeProblem::BadTariff);
                None
            }
        },
    };
    let valid_from = parse_date(&form.valid_from);
    if valid_from.is_none() {
        problems.push(TypeProblem::BadValidFrom);
    }
    let valid_until = match form.valid_until.trim() {
        "" => None,
        text => match parse_date(text).filter(|until| valid_from.is_none_or(|from| *until >= from))
        {
            Some(until) => Some(until),
            None => {
                problems.push(TypeProblem::BadValidUntil);
                None
            }
        },
    };
    match (value, valid_from, problems.is_empty()) {
        (Some(value), Some(valid_from), true) => Ok(CheckedType {
            name,
            who_qualifies: who,
            proof_required: proof,
            kind,
            value,
            tariff_id,
            valid_from,
            valid_until,
        }),
        _ => Err(problems),
    }
}

/// Whether a discount type may be applied for on a contract of `tariff_id` on `today`.
pub fn offered(
    active: bool,
    type_tariff: Option<i64>,
    valid_from: NaiveDate,
    valid_until: Option<NaiveDate>,
    tariff_id: i64,
    today: NaiveDate,
) -> bool {
    active
        && type_tariff.is_none_or(|t| t == tariff_id)
        && valid_from <= today
        && valid_until.is_none_or(|until| until >= today)
}

/// The gross monthly fee under a discount, half-up to the grosz, never below zero.
pub fn price_under(fee: Money, kind: DiscountKind) -> Money {
    let discount = Discount {
        name: String::new(),
        kind,
        starts_on: NaiveDate::MIN,
        ends_on: None,
    };
    billing::apply_discounts(fee, &[&discount])
}

/// The first day an approved discount applies: the first day of the next billing period.
pub fn starts_on(approved_on: NaiveDate) -> NaiveDate {
    BillingPeriod::containing(approved_on).next().first_day()
}

/// Whether the notice that a discount ends on `ends_on` is due on `today` (within 14 days,
/// the last day included; not after it).
pub fn expiry_notice_due(ends_on: NaiveDate, today: NaiveDate) -> bool {
    let left = (ends_on - today).num_days();
    (0..=EXPIRY_NOTICE_DAYS).contains(&left)
}

/// The latest day on which a discount ending `ends_on` is announced: the notice day.
pub fn notice_day(ends_on: NaiveDate) -> NaiveDate {
    ends_on - Duration::days(EXPIRY_NOTICE_DAYS)
}

/// What a discount of one period takes off a service's charge, as the invoice shows it:
/// `(full, off)` where `full` is the fee pro-rated for the billed days and `off` what the
/// discount takes from it, so `full - off` is the discounted fee pro-rated. Both gross.
pub fn split_charge(fee: Money, kind: DiscountKind, days: u32, period_days: u32) -> (Money, Money) {
    let full = billing::prorate(fee, days, period_days);
    let after = billing::prorate(price_under(fee, kind), days, period_days);
    (full, full.checked_sub(after).unwrap_or(Money::zero()))
}

/// The invoice line of a discount, e.g. `Ulga: Student — Internet 600/60`.
pub fn line_name(discount: &str, service_name: &str) -> String {
    format!("Ulga: {discount} — {service_name}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn form() -> TypeForm {
        TypeForm {
            name: "Student".into(),
            who_qualifies: "Uczeń lub student do 26 lat".into(),
            proof_required: "Legitymacja".into(),
            kind: "percent".into(),
            value: "12,5".into(),
            tariff: String::new(),
            valid_from: "2026-01-01".into(),
            valid_until: String::new(),
        }
    }

    #[test]
    fn a_good_type_is_checked_into_basis_points() {
        let checked = check_type(&form(), &[1]).unwrap();
        assert_eq!(checked.kind, "percent");
        assert_eq!(checked.value, 1_250);
        assert_eq!(checked.tariff_id, None);
        let amount = TypeForm {
            kind: "amount".into(),
            value: "20,00".into(),
            tariff: "1".into(),
            ..form()
        };
        let checked = check_type(&amount, &[1]).unwrap();
        assert_eq!((checked.value, checked.tariff_id), (2_000, Some(1)));
    }

    #[test]
    fn bad_fields_get_one_problem_each() {
        let bad = TypeForm {
            name: " ".into(),
            who_qualifies: String::new(),
            proof_required: String::new(),
            kind: "percent".into(),
            value: "101".into(),
            tariff: "7".into(),
            valid_from: "jutro".into(),
            valid_until: "2020-13-01".into(),
        };
        assert_eq!(
            check_type(&bad, &[1]).unwrap_err(),
            vec![
                TypeProblem::NameMissing,
                TypeProblem::WhoMissing,
                TypeProblem::ProofMissing,
                TypeProblem::BadPercent,
                TypeProblem::BadTariff,
                TypeProblem::BadValidFrom,
                TypeProblem::BadValidUntil,
            ]
        );
        let kind = TypeForm {
            kind: "gift".into(),
            ..form()
        };
        assert_eq!(check_type(&kind, &[]).unwrap_err(), [TypeProblem::BadKind]);
        let until = TypeForm {
            valid_until: "2025-12-31".into(),
            ..form()
        };
        assert_eq!(
            check_type(&until, &[]).unwrap_err(),
            [TypeProblem::BadValidUntil]
        );
    }

    #[test]
    fn prices_under_each_ground_are_to_the_grosz() {
        let fee = Money::from_grosze(8_999);
        assert_eq!(
            price_under(fee, DiscountKind::Percent(1_250)),
            Money::from_grosze(7_874)
        );
        assert_eq!(
            price_under(fee, DiscountKind::Amount(Money::from_grosze(2_000))),
            Money::from_grosze(6_999)
        );
        assert_eq!(
            price_under(fee, DiscountKind::Amount(Money::from_grosze(20_000))),
            Money::zero()
        );
    }

    #[test]
    fn a_discount_starts_with_the_next_period_and_is_announced_14_days_ahead() {
        assert_eq!(starts_on(day(2026, 12, 8)), day(2027, 1, 1));
        assert_eq!(starts_on(day(2026, 12, 1)), day(2027, 1, 1));
        let ends = day(2027, 6, 30);
        assert!(!expiry_notice_due(ends, day(2027, 6, 15)));
        assert!(expiry_notice_due(ends, day(2027, 6, 16)));
        assert!(expiry_notice_due(ends, ends));
        assert!(!expiry_notice_due(ends, day(2027, 7, 1)));
        assert_eq!(notice_day(ends), day(2027, 6, 16));
    }

    #[test]
    fn offered_only_for_its_tariff_and_while_valid() {
        let from = day(2026, 1, 1);
        let today = day(2026, 12, 8);
        assert!(offered(true, None, from, None, 3, today));
        assert!(offered(true, Some(3), from, None, 3, today));
        assert!(!offered(true, Some(4), from, None, 3, today));
        assert!(!offered(false, None, from, None, 3, today));
        assert!(!offered(true, None, from, Some(day(2026, 12, 7)), 3, today));
        assert!(!offered(true, None, day(2026, 12, 9), None, 3, today));
    }

    #[test]
    fn a_split_charge_adds_up_to_the_discounted_pro_rata() {
        let fee = Money::from_grosze(8_999);
        let kind = DiscountKind::Percent(2_000);
        let (full, off) = split_charge(fee, kind, 31, 31);
        assert_eq!((full.grosze(), off.grosze()), (8_999, 1_800));
        let (full, off) = split_charge(fee, kind, 17, 31);
        assert_eq!(full.grosze(), 4_935);
        // 7 199 × 17 / 31 = 3 947,84 → 3 948.
        assert_eq!(full.grosze() - off.grosze(), 3_948);
    }
}
