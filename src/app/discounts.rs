//! Discounts by eligibility ("ulgi"), the rules in `domain::discounts`:
//! - staff define discount types (`/staff/ulgi`), decide applications (approve from the next
//!   billing period, or refuse with a reason; the subscriber is mailed either way);
//! - a subscriber applies on a contract's page (`/umowy/<id>/ulga`), choosing one ground and
//!   attaching its proof, which is checked by content and stored like ticket attachments;
//! - the billing run takes the approved discount in force (`approved_of_contracts`), and the
//!   notice pass announces a discount's end 14 days ahead (`announce_endings`);
//! - per-service discounts (promotions, loyalty) get their staff page (`/staff/rabaty`).

use crate::domain::ContractId;
use crate::domain::CustomerId;
use std::collections::HashMap;

use chrono::{Duration, NaiveDate, NaiveDateTime};
use serde_json::json;

use crate::app::audit::{self, Actor};
use crate::app::mail_queue::{self, Outgoing, QueueError};
use crate::app::tickets::attachments::{self, AttachmentStore, AttachmentStoreError, Upload};
use crate::app::tickets::{AttachmentFile, TicketError};
use crate::db::billing::NewServiceDiscount;
use crate::db::discounts::{
    Application, DiscountType, NewApplication, NewDiscountType, ServiceDiscountRow,
};
use crate::db::tariffs::Tariff;
use crate::db::{self, DbConn};
use crate::domain::Money;
use crate::domain::billing::DiscountKind;
use crate::domain::discounts::{self as rules, ApplicationStatus, TypeForm, TypeProblem};
use crate::mail::{Language, MailKind};

/// How many decided applications the staff page lists.
const DECIDED_SHOWN: i64 = 50;

#[derive(Debug, thiserror::Error)]
pub enum DiscountError {
    #[error("the discount type is invalid: {0:?}")]
    Invalid(Vec<TypeProblem>),
    #[error("no such contract, discount type or application")]
    NotFound,
    #[error("choose the discount that applies")]
    NoChoice,
    #[error("this discount is not offered for the contract's tariff")]
    NotOffered,
    #[error("attach the proof")]
    ProofMissing,
    #[error("attach one file")]
    OneFile,
    #[error("{0} is not a PDF, JPEG or PNG")]
    ProofType(String),
    #[error("{0} is larger than 5 MB")]
    ProofTooLarge(String),
    #[error("the proof's last day is not a date from today on")]
    BadValidUntil,
    #[error("an application for this contract is waiting for a decision")]
    AlreadyPending,
    #[error("the application was decided already")]
    Decided,
    #[error("give the reason for the refusal")]
    ReasonMissing,
    #[error("the discount is invalid")]
    BadServiceDiscount,
    #[error("attachment storage: {0}")]
    Storage(#[from] AttachmentStoreError),
    #[error("mail: {0}")]
    Mail(#[from] QueueError),
    #[error(transparent)]
    Database(#[from] diesel::result::Error),
}

impl DiscountError {
    /// Failures that are ours, not the user's.
    pub fn is_internal(&self) -> bool {
        matches!(
            self,
            DiscountError::Storage(_) | DiscountError::Mail(_) | DiscountError::Database(_)
        )
    }

    /// The locale key of the message the user sees.
    pub fn message_key(&self) -> &'static str {
        match self {
            DiscountError::Invalid(_) => "discount-error-invalid",
            DiscountError::NotFound => "discount-error-not-found",
            DiscountError::NoChoice => "discount-error-no-choice",
            DiscountError::NotOffered => "discount-error-not-offered",
            DiscountError::ProofMissing => "discount-error-proof-missing",
            DiscountError::OneFile => "discount-error-one-file",
            DiscountError::ProofType(_) => "discount-error-proof-type",
            DiscountError::ProofTooLarge(_) => "discount-error-proof-too-large",
            DiscountError::BadValidUntil => "discount-error-valid-until",
            DiscountError::AlreadyPending => "discount-error-pending",
            DiscountError::Decided => "discount-error-decided",
            DiscountError::ReasonMissing => "discount-error-reason",
            DiscountError::BadServiceDiscount => "discount-error-service-discount",
            DiscountError::Storage(_) | DiscountError::Mail(_) | DiscountError::Database(_) => {
                "discount-error-internal"
            }
        }
    }

    /// The file name a proof error names, if any.
    pub fn file_name(&self) -> Option<&str> {
        match self {
            DiscountError::ProofType(name) | DiscountError::ProofTooLarge(name) => Some(name),
            _ => None,
        }
    }
}

/// A discount type's amount as the billing rules take it.
pub fn kind_of(discount_type: &DiscountType) -> Option<DiscountKind> {
    DiscountKind::from_stored(&discount_type.kind, discount_type.value)
}

/// A discount type as pages list it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct TypeView {
    #[serde(flatten)]
    pub discount_type: DiscountType,
    /// The tariff's name, `None` for every tariff.
    pub tariff_name: Option<String>,
}

/// An application as staff list it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ApplicationRow {
    #[serde(flatten)]
    pub application: Application,
    pub type_name: String,
    pub contract_number: String,
}

/// What `/staff/ulgi` shows.
#[derive(Debug, Clone, serde::Serialize)]
pub struct StaffPage {
    pub types: Vec<TypeView>,
    pub tariffs: Vec<Tariff>,
    pub pending: Vec<ApplicationRow>,
    pub decided: Vec<ApplicationRow>,
}

fn rows(list: Vec<(Application, DiscountType, String)>) -> Vec<ApplicationRow> {
    list.into_iter()
        .map(|(application, t, contract_number)| ApplicationRow {
            application,
            type_name: t.name,
            contract_number,
        })
        .collect()
}

pub fn staff_page(conn: &mut DbConn) -> diesel::QueryResult<StaffPage> {
    let tariffs = db::tariffs::list_all(conn)?;
    let name_of: HashMap<i64, String> = tariffs.iter().map(|t| (t.id, t.name.clone())).collect();
    let types = db::discounts::all_types(conn)?
        .into_iter()
        .map(|t| TypeView {
            tariff_name: t.tariff_id.and_then(|id| name_of.get(&id).cloned()),
            discount_type: t,
        })
        .collect();
    let mut pending = rows(db::discounts::applications_with_status(
        conn,
        &[ApplicationStatus::Pending],
        i64::MAX,
    )?);
    pending.reverse();
    let decided = rows(db::discounts::applications_with_status(
        conn,
        &[
            ApplicationStatus::Approved,
            ApplicationStatus::Refused,
            ApplicationStatus::Ended,
        ],
        DECIDED_SHOWN,
    )?);
    Ok(StaffPage {
        types,
        tariffs,
        pending,
        decided,
    })
}

/// Adds a discount type, offered at once; audited.
pub fn create_type(
    conn: &mut DbConn,
    form: &TypeForm,
    actor: &Actor,
    now: NaiveDateTime,
) -> Result<i64, DiscountError> {
    let tariff_ids: Vec<i64> = db::tariffs::list_all(conn)?
        .into_iter()
        .map(|t| t.id)
        .collect();
    let checked = rules::check_type(form, &tariff_ids).map_err(DiscountError::Invalid)?;
    let id = db::discounts::insert_type(
        conn,
        &NewDiscountType {
            name: checked.name.clone(),
            who_qualifies: checked.who_qualifies,
            proof_required: checked.proof_required,
            kind: checked.kind.into(),
            value: checked.value,
            tariff_id: checked.tariff_id,
            valid_from: checked.valid_from,
            valid_until: checked.valid_until,
            active: true,
            created_at: now,
            updated_at: now,
        },
    )?;
    audit::record(
        conn,
        actor,
        "discount_type_created",
        json!({ "type": id, "name": checked.name, "kind": checked.kind, "value": checked.value,
                "tariff": checked.tariff_id }),
        now,
    )?;
    Ok(id)
}

/// Offers a type again or stops offering it (approved discounts keep running).
pub fn set_type_active(
    conn: &mut DbConn,
    id: i64,
    active: bool,
    actor: &Actor,
    now: NaiveDateTime,
) -> Result<(), DiscountError> {
    if !db::discounts::set_type_active(conn, id, active, now)? {
        return Err(DiscountError::NotFound);
    }
    audit::record(
        conn,
        actor,
        if active {
            "discount_type_offered"
        } else {
            "discount_type_withdrawn"
        },
        json!({ "type": id }),
        now,
    )?;
    Ok(())
}

/// One application as staff decide it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ApplicationDetail {
    pub application: Application,
    pub discount_type: DiscountType,
    pub customer_number: i64,
    pub customer_name: String,
    pub contract_number: String,
    pub tariff_name: String,
    pub monthly_fee: i64,
    pub price_under: i64,
    /// When an approval today would make it start.
    pub would_start_on: NaiveDate,
}

pub fn application_detail(
    conn: &mut DbConn,
    id: i64,
    today: NaiveDate,
) -> diesel::QueryResult<Option<ApplicationDetail>> {
    let Some(application) = db::discounts::find_application(conn, id)? else {
        return Ok(None);
    };
    let Some(discount_type) = db::discounts::find_type(conn, application.discount_type_id)? else {
        return Ok(None);
    };
    let Some((contract, tariff)) =
        db::contracts::find_of_customer(conn, application.customer_id, application.contract_id)?
    else {
        return Ok(None);
    };
    let Some(customer) = db::customers::find(conn, application.customer_id)? else {
        return Ok(None);
    };
    let fee = Money::from_grosze(contract.monthly_fee);
    let price_under = kind_of(&discount_type)
        .map_or(fee, |kind| rules::price_under(fee, kind))
        .grosze();
    Ok(Some(ApplicationDetail {
        customer_number: customer.customer_number,
        customer_name: crate::app::staff::customer_card::display_name(&customer),
        contract_number: contract.number,
        tariff_name: tariff.name,
        monthly_fee: contract.monthly_fee,
        price_under,
        would_start_on: rules::starts_on(today),
        application,
        discount_type,
    }))
}

fn proof_file(
    store: &AttachmentStore,
    application: &Application,
) -> Result<AttachmentFile, DiscountError> {
    let bytes = store.read_verified(&application.proof_storage_path, &application.proof_sha256)?;
    Ok(AttachmentFile {
        file_name: application.proof_file_name.clone(),
        content_type: application.proof_content_type.clone(),
        bytes,
    })
}

/// The proof of any application (staff).
pub fn proof_for_staff(
    conn: &mut DbConn,
    store: &AttachmentStore,
    id: i64,
) -> Result<AttachmentFile, DiscountError> {
    let application = db::discounts::find_application(conn, id)?.ok_or(DiscountError::NotFound)?;
    proof_file(store, &application)
}

/// The proof of the customer's own application; anyone else's is `NotFound`.
pub fn own_proof(
    conn: &mut DbConn,
    store: &AttachmentStore,
    customer_id: CustomerId,
    id: i64,
) -> Result<AttachmentFile, DiscountError> {
    let application = db::discounts::find_application(conn, id)?
        .filter(|a| a.customer_id == customer_id)
        .ok_or(DiscountError::NotFound)?;
    proof_file(store, &application)
}

/// Mails the subscriber about their application (`event`: approved, refused, ending).
fn mail_customer(
    conn: &mut DbConn,
    outgoing: &Outgoing<'_>,
    application: &Application,
    discount_type: &DiscountType,
    event: &str,
    now: NaiveDateTime,
) -> Result<(), DiscountError> {
    let Some(customer) = db::customers::find(conn, application.customer_id)? else {
        return Ok(());
    };
    let contract_number =
        db::contracts::find_of_customer(conn, application.customer_id, application.contract_id)?
            .map(|(c, _)| c.number)
            .unwrap_or_default();
    let date = |d: Option<NaiveDate>| d.map(|d| d.format("%d.%m.%Y").to_string());
    let mut context = outgoing.context();
    context.insert("event", event);
    context.insert("discount", &discount_type.name);
    context.insert("contract_number", &contract_number);
    context.insert("starts_on", &date(application.starts_on));
    context.insert("ends_on", &date(application.ends_on));
    context.insert("reason", &application.refusal_reason);
    context.insert(
        "link",
        &outgoing.link(&format!("/umowy/{}/ulga", application.contract_id)),
    );
    mail_queue::queue(
        conn,
        outgoing.templates,
        MailKind::Discount,
        &customer.email,
        Language::from_code(&customer.language),
        &context,
        now,
    )?;
    Ok(())
}

/// Approves a pending application: it applies from the first day of the next billing period to
/// the proof's last day (`proof_valid_until`, which staff may correct from the document); any
/// other approved discount of the contract ends the day before (discounts never stack). The
/// subscriber is mailed; audited.
pub fn approve(
    conn: &mut DbConn,
    outgoing: &Outgoing<'_>,
    actor: &Actor,
    id: i64,
    proof_valid_until: &str,
    today: NaiveDate,
    now: NaiveDateTime,
) -> Result<(), DiscountError> {
    let application = db::discounts::find_application(conn, id)?.ok_or(DiscountError::NotFound)?;
    if application.status != ApplicationStatus::Pending {
        return Err(DiscountError::Decided);
    }
    let starts_on = rules::starts_on(today);
    let ends_on = match proof_valid_until.trim() {
        "" => application.proof_valid_until,
        text => Some(rules::parse_date(text).ok_or(DiscountError::BadValidUntil)?),
    };
    if ends_on.is_some_and(|end| end < starts_on) {
        return Err(DiscountError::BadValidUntil);
    }
    let staff_id = actor.staff_id.unwrap_or_default();
    if !db::discounts::decide(
        conn,
        id,
        ApplicationStatus::Approved,
        staff_id,
        Some(starts_on),
        ends_on,
        None,
        now,
    )? {
        return Err(DiscountError::Decided);
    }
    let replaced = db::discounts::end_other_approved(
        conn,
        application.contract_id,
        id,
        starts_on - Duration::days(1),
        now,
    )?;
    let discount_type = db::discounts::find_type(conn, application.discount_type_id)?
        .ok_or(DiscountError::NotFound)?;
    let decided = db::discounts::find_application(conn, id)?.ok_or(DiscountError::NotFound)?;
    mail_customer(conn, outgoing, &decided, &discount_type, "approved", now)?;
    audit::record(
        conn,
        actor,
        "discount_approved",
        json!({ "application": id, "customer": application.customer_id,
                "contract": application.contract_id, "starts_on": starts_on,
                "ends_on": ends_on, "replaced": replaced }),
        now,
    )?;
    Ok(())
}

/// Refuses a pending application with a reason the subscriber is mailed; audited.
pub fn refuse(
    conn: &mut DbConn,
    outgoing: &Outgoing<'_>,
    actor: &Actor,
    id: i64,
    reason: &str,
    now: NaiveDateTime,
) -> Result<(), DiscountError> {
    let reason = crate::domain::bank_statement::tidy(reason);
    if reason.is_empty() || reason.chars().count() > 1_000 {
        return Err(DiscountError::ReasonMissing);
    }
    let application = db::discounts::find_application(conn, id)?.ok_or(DiscountError::NotFound)?;
    let staff_id = actor.staff_id.unwrap_or_default();
    if !db::discounts::decide(
        conn,
        id,
        ApplicationStatus::Refused,
        staff_id,
        None,
        None,
        Some(&reason),
        now,
    )? {
        return Err(DiscountError::Decided);
    }
    let discount_type = db::discounts::find_type(conn, application.discount_type_id)?
        .ok_or(DiscountError::NotFound)?;
    let decided = db::discounts::find_application(conn, id)?.ok_or(DiscountError::NotFound)?;
    mail_customer(conn, outgoing, &decided, &discount_type, "refused", now)?;
    audit::record(
        conn,
        actor,
        "discount_refused",
        json!({ "application": id, "customer": application.customer_id, "reason": reason }),
        now,
    )?;
    Ok(())
}

/// A ground the subscriber may choose, with the price under it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Ground {
    #[serde(flatten)]
    pub discount_type: DiscountType,
    /// Gross monthly fee under this discount.
    pub price: i64,
    /// What it takes off a month.
    pub saving: i64,
}

/// An application as the subscriber sees it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct OwnApplication {
    #[serde(flatten)]
    pub application: Application,
    pub type_name: String,
    /// Approved and not past its last day.
    pub in_force: bool,
    /// Its end is announced: within 14 days of the last day.
    pub ending_soon: bool,
}

/// The discount of a contract that applies on `today` or from the next period.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ContractDiscount {
    pub application_id: i64,
    pub name: String,
    pub starts_on: Option<NaiveDate>,
    pub ends_on: Option<NaiveDate>,
    pub price: i64,
    pub ending_soon: bool,
}

/// What `/umowy/<id>/ulga` shows.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ContractPage {
    pub contract_id: ContractId,
    pub contract_number: String,
    pub tariff_name: String,
    pub monthly_fee: i64,
    pub grounds: Vec<Ground>,
    pub current: Option<ContractDiscount>,
    pub applications: Vec<OwnApplication>,
    pub pending: bool,
    pub starts_on: NaiveDate,
}

fn own(application: Application, type_name: String, today: NaiveDate) -> OwnApplication {
    let in_force = application.status == ApplicationStatus::Approved
        && application.ends_on.is_none_or(|end| end >= today);
    let ending_soon = in_force
        && application
            .ends_on
            .is_some_and(|end| rules::expiry_notice_due(end, today));
    OwnApplication {
        application,
        type_name,
        in_force,
        ending_soon,
    }
}

/// The approved discount of the contract that applies now or next (the latest approved one
/// not past its end), with the fee under it.
pub fn current_of_contract(
    conn: &mut DbConn,
    contract_id: ContractId,
    monthly_fee: i64,
    today: NaiveDate,
) -> diesel::QueryResult<Option<ContractDiscount>> {
    let current = db::discounts::approved_of_contracts(conn, &[contract_id])?
        .into_iter()
        .filter(|(a, _)| a.ends_on.is_none_or(|end| end >= today))
        .rfind(|(a, _)| a.starts_on.is_none_or(|s| a.ends_on.is_none_or(|e| e >= s)));
    Ok(current.map(|(a, t)| {
        let fee = Money::from_grosze(monthly_fee);
        ContractDiscount {
            application_id: a.id,
            price: kind_of(&t)
                .map_or(fee, |kind| rules::price_under(fee, kind))
                .grosze(),
            name: t.name,
            starts_on: a.starts_on,
            ends_on: a.ends_on,
            ending_soon: a
                .ends_on
                .is_some_and(|end| rules::expiry_notice_due(end, today)),
        }
    }))
}

/// The discount page of one of the customer's contracts; `None` for anyone else's.
pub fn contract_page(
    conn: &mut DbConn,
    customer_id: CustomerId,
    contract_id: ContractId,
    today: NaiveDate,
) -> diesel::QueryResult<Option<ContractPage>> {
    let Some((contract, tariff)) = db::contracts::find_of_customer(conn, customer_id, contract_id)?
    else {
        return Ok(None);
    };
    let fee = Money::from_grosze(contract.monthly_fee);
    let grounds = db::discounts::all_types(conn)?
        .into_iter()
        .filter(|t| {
            rules::offered(
                t.active,
                t.tariff_id,
                t.valid_from,
                t.valid_until,
                tariff.id,
                today,
            )
        })
        .filter_map(|t| {
            let price = rules::price_under(fee, kind_of(&t)?).grosze();
            Some(Ground {
                price,
                saving: contract.monthly_fee - price,
                discount_type: t,
            })
        })
        .collect();
    let applications: Vec<OwnApplication> =
        db::discounts::applications_of_customer(conn, customer_id)?
            .into_iter()
            .filter(|(a, _)| a.contract_id == contract_id)
            .map(|(a, t)| own(a, t.name, today))
            .collect();
    let pending = applications
        .iter()
        .any(|a| a.application.status == ApplicationStatus::Pending);
    Ok(Some(ContractPage {
        contract_id,
        current: current_of_contract(conn, contract_id, contract.monthly_fee, today)?,
        contract_number: contract.number,
        tariff_name: tariff.name,
        monthly_fee: contract.monthly_fee,
        grounds,
        applications,
        pending,
        starts_on: rules::starts_on(today),
    }))
}

/// The customer's applications on every contract (the profile page's list).
pub fn of_customer(
    conn: &mut DbConn,
    customer_id: CustomerId,
    today: NaiveDate,
) -> diesel::QueryResult<Vec<OwnApplication>> {
    Ok(db::discounts::applications_of_customer(conn, customer_id)?
        .into_iter()
        .map(|(a, t)| own(a, t.name, today))
        .collect())
}

/// What the subscriber sent with the application form.
#[derive(Debug, Clone, Default)]
pub struct ApplyForm {
    pub discount_type_id: Option<i64>,
    /// `YYYY-MM-DD`, or empty for a proof without an end (e.g. a permanent certificate).
    pub proof_valid_until: String,
}

/// Checks everything before a byte is written (the chosen ground is offered for the contract's
/// tariff, one proof of an accepted type and size, a sensible last day, nothing pending), then
/// stores the proof and the application together: a refused application stores nothing.
#[allow(clippy::too_many_arguments)]
pub fn apply(
    conn: &mut DbConn,
    store: &AttachmentStore,
    actor: &Actor,
    customer_id: CustomerId,
    contract_id: ContractId,
    form: &ApplyForm,
    uploads: Vec<Upload>,
    today: NaiveDate,
    now: NaiveDateTime,
) -> Result<i64, DiscountError> {
    let (_, tariff) = db::contracts::find_of_customer(conn, customer_id, contract_id)?
        .ok_or(DiscountError::NotFound)?;
    let type_id = form.discount_type_id.ok_or(DiscountError::NoChoice)?;
    let discount_type = db::discounts::find_type(conn, type_id)?.ok_or(DiscountError::NoChoice)?;
    if !rules::offered(
        discount_type.active,
        discount_type.tariff_id,
        discount_type.valid_from,
        discount_type.valid_until,
        tariff.id,
        today,
    ) {
        return Err(DiscountError::NotOffered);
    }
    let files = attachments::check(uploads).map_err(|error| match error {
        TicketError::FileType(name) => DiscountError::ProofType(name),
        TicketError::FileTooLarge(name) => DiscountError::ProofTooLarge(name),
        _ => DiscountError::OneFile,
    })?;
    let file = match files.as_slice() {
        [] => return Err(DiscountError::ProofMissing),
        [one] => one.clone(),
        _ => return Err(DiscountError::OneFile),
    };
    let proof_valid_until = match form.proof_valid_until.trim() {
        "" => None,
        text => Some(
            rules::parse_date(text)
                .filter(|d| *d >= today)
                .ok_or(DiscountError::BadValidUntil)?,
        ),
    };
    let pending = db::discounts::applications_of_customer(conn, customer_id)?
        .iter()
        .any(|(a, _)| a.contract_id == contract_id && a.status == ApplicationStatus::Pending);
    if pending {
        return Err(DiscountError::AlreadyPending);
    }
    let stored = store.write_all(std::slice::from_ref(&file), today)?;
    let Some(proof) = stored.first() else {
        return Err(DiscountError::ProofMissing);
    };
    let written = db::write_transaction(conn, |conn| -> Result<i64, DiscountError> {
        let id = db::discounts::insert_application(
            conn,
            &NewApplication {
                customer_id,
                contract_id,
                discount_type_id: type_id,
                status: ApplicationStatus::Pending,
                proof_file_name: proof.file_name.clone(),
                proof_content_type: proof.kind.content_type().into(),
                proof_size_bytes: proof.size,
                proof_sha256: proof.sha256.clone(),
                proof_storage_path: proof.relative_path.clone(),
                proof_valid_until,
                created_at: now,
            },
        )
        .map_err(|error| {
            if db::is_unique_violation(&error) {
                DiscountError::AlreadyPending
            } else {
                DiscountError::Database(error)
            }
        })?;
        audit::record(
            conn,
            actor,
            "discount_applied",
            json!({ "application": id, "contract": contract_id, "type": type_id }),
            now,
        )?;
        Ok(id)
    });
    if written.is_err() {
        store.discard(&stored);
    }
    written
}

/// Announces, once, every approved discount whose last day is within 14 days: a mail, and the
/// notice on the contract's pages. Claimed by a conditional update in the transaction that
/// queues the mail, so several instances or a re-run mail nothing twice. Returns how many.
pub fn announce_endings(
    conn: &mut DbConn,
    outgoing: &Outgoing<'_>,
    today: NaiveDate,
    now: NaiveDateTime,
) -> Result<usize, DiscountError> {
    let until = today + Duration::days(rules::EXPIRY_NOTICE_DAYS);
    let mut announced = 0;
    for (application, discount_type) in db::discounts::ending_unannounced(conn, today, until)? {
        let claimed = db::write_transaction(conn, |conn| -> Result<bool, DiscountError> {
            if !db::discounts::claim_expiry_notice(conn, application.id, now)? {
                return Ok(false);
            }
            mail_customer(conn, outgoing, &application, &discount_type, "ending", now)?;
            Ok(true)
        })?;
        if claimed {
            announced += 1;
        }
    }
    Ok(announced)
}

/// What `/staff/rabaty` shows: the per-service discounts and the form's choices.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ServiceDiscountsPage {
    pub discounts: Vec<ServiceDiscountRow>,
}

pub fn service_discounts_page(conn: &mut DbConn) -> diesel::QueryResult<ServiceDiscountsPage> {
    Ok(ServiceDiscountsPage {
        discounts: db::discounts::service_discounts(conn, 500)?,
    })
}

/// A per-service discount as staff typed it.
#[derive(Debug, Clone, Default)]
pub struct ServiceDiscountForm {
    pub service_id: String,
    pub name: String,
    pub kind: String,
    pub value: String,
    pub starts_on: String,
    pub ends_on: String,
}

/// Adds a per-service discount (percent or amount off the service's monthly fee, from a day,
/// optionally to a day); audited.
pub fn add_service_discount(
    conn: &mut DbConn,
    form: &ServiceDiscountForm,
    actor: &Actor,
    now: NaiveDateTime,
) -> Result<i64, DiscountError> {
    let bad = || DiscountError::BadServiceDiscount;
    let service_id: i64 = form.service_id.trim().parse().map_err(|_| bad())?;
    db::discounts::service_by_id(conn, service_id)?.ok_or_else(bad)?;
    let name = crate::domain::bank_statement::tidy(&form.name);
    if name.is_empty() || name.chars().count() > 100 {
        return Err(bad());
    }
    let type_form = TypeForm {
        name: name.clone(),
        who_qualifies: "-".into(),
        proof_required: "-".into(),
        kind: form.kind.clone(),
        value: form.value.clone(),
        tariff: String::new(),
        valid_from: form.starts_on.clone(),
        valid_until: form.ends_on.clone(),
    };
    let checked = rules::check_type(&type_form, &[]).map_err(|_| bad())?;
    let id = db::discounts::insert_service_discount(
        conn,
        &NewServiceDiscount {
            service_id,
            name: checked.name,
            kind: checked.kind.into(),
            value: checked.value,
            starts_on: checked.valid_from,
            ends_on: checked.valid_until,
            created_at: now,
        },
    )?;
    audit::record(
        conn,
        actor,
        "service_discount_added",
        json!({ "discount": id, "service": service_id, "kind": checked.kind, "value": checked.value }),
        now,
    )?;
    Ok(id)
}

/// Ends a per-service discount on `last_day` (it applies no later than that).
pub fn end_service_discount(
    conn: &mut DbConn,
    id: i64,
    last_day: &str,
    actor: &Actor,
    now: NaiveDateTime,
) -> Result<(), DiscountError> {
    let last_day = rules::parse_date(last_day).ok_or(DiscountError::BadServiceDiscount)?;
    if !db::discounts::end_service_discount(conn, id, last_day)? {
        return Err(DiscountError::BadServiceDiscount);
    }
    audit::record(
        conn,
        actor,
        "service_discount_ended",
        json!({ "discount": id, "ends_on": last_day }),
        now,
    )?;
    Ok(())
}
