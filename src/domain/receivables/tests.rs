use super::*;

fn day(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, d).unwrap()
}

fn invoice(id: i64, gross: i64, allocated: i64) -> Document {
    Document {
        id: InvoiceId(id),
        corrects: None,
        gross,
        due_date: day(14),
        allocated,
    }
}

fn correction(id: i64, corrects: i64, gross: i64) -> Document {
    Document {
        id: InvoiceId(id),
        corrects: Some(InvoiceId(corrects)),
        gross,
        due_date: day(28),
        allocated: 0,
    }
}

#[test]
fn a_correction_that_lowers_an_unpaid_invoice_lowers_what_is_owed_on_it() {
    let debts = invoice_debts(&[invoice(1, 5999, 0), correction(2, 1, -2999)]);
    assert_eq!(debts.len(), 1);
    assert_eq!(debts[0].outstanding(), 3000);
    let standing = standing(&debts, 0, day(1));
    assert_eq!((standing.owed, standing.credit), (3000, 0));
}

#[test]
fn a_correction_of_a_paid_invoice_becomes_credit() {
    let debts = invoice_debts(&[invoice(1, 5999, 5999), correction(2, 1, -2999)]);
    assert_eq!(debts[0].outstanding(), 0);
    assert_eq!(debts[0].overpaid(), 2999);
    let standing = standing(&debts, 5999, day(1));
    assert_eq!((standing.owed, standing.credit), (0, 2999));
}

#[test]
fn corrections_of_corrections_fold_into_the_first_invoice() {
    let debts = invoice_debts(&[
        invoice(1, 10000, 0),
        correction(2, 1, -4000),
        correction(3, 2, 1500),
        invoice(4, 2000, 0),
    ]);
    assert_eq!(debts.len(), 2);
    assert_eq!(debts[0].corrected_gross(), 7500);
    assert_eq!(debts[0].due_date, day(14), "the original's due date stands");
    assert_eq!(debts[1].outstanding(), 2000);
}

#[test]
fn an_allocation_made_to_a_correction_counts_for_its_original() {
    let mut raised = correction(2, 1, 1000);
    raised.allocated = 1000;
    let debts = invoice_debts(&[invoice(1, 5000, 5000), raised]);
    assert_eq!(debts[0].outstanding(), 0);
    assert_eq!(debts[0].allocated, 6000);
}

#[test]
fn only_what_is_past_due_is_overdue() {
    let debts = invoice_debts(&[invoice(1, 5000, 1000)]);
    assert_eq!(standing(&debts, 1000, day(14)).overdue, 0);
    assert_eq!(standing(&debts, 1000, day(15)).overdue, 4000);
}

#[test]
fn unallocated_payments_are_credit() {
    let debts = invoice_debts(&[invoice(1, 5000, 5000)]);
    let standing = standing(&debts, 8000, day(1));
    assert_eq!(
        (standing.owed, standing.credit, standing.balance()),
        (0, 3000, -3000)
    );
}

#[test]
fn the_effect_of_a_correction_splits_into_less_to_pay_and_credit() {
    let half_paid = InvoiceDebt {
        invoice_id: InvoiceId(1),
        due_date: day(14),
        gross: 6000,
        corrections: 0,
        allocated: 3000,
    };
    assert_eq!(
        CorrectionEffect::of(&half_paid, -4000, Overpaid::Credit),
        CorrectionEffect::Lowers {
            reduces: 3000,
            credit: 1000,
            refund: 0
        }
    );
    assert_eq!(
        CorrectionEffect::of(&half_paid, -2000, Overpaid::Credit),
        CorrectionEffect::Lowers {
            reduces: 2000,
            credit: 0,
            refund: 0
        }
    );
    assert_eq!(
        CorrectionEffect::of(&half_paid, 500, Overpaid::Refund),
        CorrectionEffect::ToPay { amount: 500 }
    );
    assert!(!CorrectionEffect::of(&half_paid, -1, Overpaid::Credit).customer_pays());
    assert_eq!(
        CorrectionEffect::of(&half_paid, 0, Overpaid::Credit),
        CorrectionEffect::Nothing
    );
}

#[test]
fn a_refund_takes_only_the_overpaid_part_and_never_asks_the_customer_to_pay() {
    let half_paid = InvoiceDebt {
        invoice_id: InvoiceId(1),
        due_date: day(14),
        gross: 6000,
        corrections: 0,
        allocated: 3000,
    };
    let effect = CorrectionEffect::of(&half_paid, -4000, Overpaid::Refund);
    assert_eq!(
        effect,
        CorrectionEffect::Lowers {
            reduces: 3000,
            credit: 0,
            refund: 1000
        }
    );
    assert_eq!(effect.refund(), 1000);
    assert!(!effect.customer_pays());
    // Nothing paid beyond the lowered amount: nothing to refund, whatever the choice.
    assert_eq!(
        CorrectionEffect::of(&half_paid, -2000, Overpaid::Refund).refund(),
        0
    );
    assert_eq!(Overpaid::parse("refund"), Some(Overpaid::Refund));
    assert_eq!(Overpaid::parse("credit"), Some(Overpaid::Credit));
    assert_eq!(Overpaid::parse("cash"), None);
}

#[test]
fn a_broken_chain_never_loops() {
    let id = InvoiceId;
    let corrects = HashMap::from([(id(1), Some(id(2))), (id(2), Some(id(1)))]);
    let root = root_of(id(1), &corrects);
    assert!(root == id(1) || root == id(2));
    let dangling = HashMap::from([(id(5), Some(id(99)))]);
    assert_eq!(root_of(id(5), &dangling), id(5));
}
