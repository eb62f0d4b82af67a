//! The subscriber's side: the booking page (kinds, what a late cancellation costs, free slots
//! at the connection's address), booking, moving and cancelling their own visits.

use crate::domain::ContractId;
use crate::domain::ContractStatus;
use crate::domain::CustomerId;
use chrono::{Duration, NaiveDate, NaiveDateTime};
use serde::Serialize;
use serde_json::json;

use super::fees::{self, FeeCause};
use super::notify::{self, Event};
use super::offers::{self, SlotDay};
use super::{Effects, VisitError};
use crate::app::staff::FieldErrors;
use crate::db::contracts::Contract;
use crate::db::services::Service;
use crate::db::visits::{NewVisit, Visit, VisitKind};
use crate::db::{self, DbConn};
use crate::domain::Money;
use crate::domain::visits::slots::{self, SlotProblem};
use crate::domain::visits::{FeeRule, LateRules, VisitStatus, warsaw};

/// Longest access note kept (a gate code, a dog, the floor).
const NOTES_MAX: usize = 500;

/// A kind as the subscriber chooses it, with its terms spelled out.
#[derive(Debug, Clone, Serialize)]
pub struct KindTerms {
    pub id: i64,
    pub name: String,
    pub duration_minutes: i64,
    pub price: i64,
    pub free: bool,
    /// What cancelling late or missing the visit costs (grosze).
    pub late_fee: i64,
    pub late_cancel_hours: i64,
    pub free_notice_hours: i64,
    /// The fee shortens the prepaid package named in `package` instead of being invoiced.
    pub shortens: bool,
    pub shortened_days: i64,
}

pub fn terms(kind: &VisitKind, package: Option<&Service>) -> KindTerms {
    let rules = late_rules(kind, kind.price);
    let fee = rules.fee();
    let shortened_days = match (FeeRule::parse(&kind.fee_rule), package) {
        (Some(FeeRule::Shorten), Some(service)) if fees::is_prepaid(service) => {
            crate::domain::visits::fees::shortening_days(
                fee,
                Money::from_grosze(service.monthly_fee),
            )
        }
        _ => 0,
    };
    KindTerms {
        id: kind.id,
        name: kind.name.clone(),
        duration_minutes: kind.duration_minutes,
        price: kind.price,
        free: kind.price == 0,
        late_fee: fee.grosze(),
        late_cancel_hours: kind.late_cancel_hours,
        free_notice_hours: kind.free_notice_hours,
        shortens: shortened_days > 0,
        shortened_days,
    }
}

pub fn late_rules(kind: &VisitKind, price: i64) -> LateRules {
    LateRules {
        price: Money::from_grosze(price),
        late_fee_percent: kind.late_fee_percent,
        late_cancel_hours: kind.late_cancel_hours,
    }
}

/// Where the visit is: the contract in force on `day` and its installation address.
#[derive(Debug, Clone, Serialize)]
pub struct Place {
    pub contract_id: ContractId,
    pub contract_number: String,
    pub address_line: String,
    pub postal_code: String,
    pub city: String,
}

/// What the booking page shows.
#[derive(Debug, Clone, Serialize)]
pub struct BookingPage {
    pub kinds: Vec<KindTerms>,
    pub kind: Option<KindTerms>,
    pub place: Option<Place>,
    pub days: Vec<SlotDay>,
    pub ticket: Option<(i64, String)>,
    pub service: Option<(i64, String)>,
    pub phone: String,
    /// Why no slots can be offered (a message key), when that is so.
    pub problem: Option<&'static str>,
}

/// What the subscriber sent.
#[derive(Debug, Clone, Default)]
pub struct BookingRequest {
    pub kind_id: Option<i64>,
    pub slot: String,
    pub phone: String,
    pub access_notes: String,
    pub ticket_id: Option<i64>,
    pub service_id: Option<i64>,
}

/// In force on `day`: active, begun, and not past its end (a fixed term that turns into an
/// indefinite contract, `after_term = 'indefinite'`, has no end).
fn active_on(contract: &Contract, day: NaiveDate) -> bool {
    contract.status == ContractStatus::Active
        && contract.starts_on <= day
        && (contract.after_term == "indefinite" || contract.ends_on.is_none_or(|end| end >= day))
}

/// The contract the visit is for on `day`: the service's own when it has one, otherwise the
/// customer's first contract in force. A suspended contract or a blocked connection books
/// nothing (seed terms §4.5: a booking needs the subscription paid and active on the day).
fn place_on(
    conn: &mut DbConn,
    customer_id: CustomerId,
    service: Option<&Service>,
    day: NaiveDate,
) -> Result<Place, VisitError> {
    let contracts = db::contracts::of_customer(conn, customer_id)?;
    let wanted = service.and_then(|s| s.contract_id);
    let contract = contracts
        .into_iter()
        .map(|(contract, _)| contract)
        .filter(|c| wanted.is_none_or(|id| id == c.id))
        .find(|c| active_on(c, day))
        .ok_or(VisitError::NoContract)?;
    if db::dunning::flags_of_customer(conn, customer_id)?
        .iter()
        .any(|flag| flag == "block")
    {
        return Err(VisitError::Blocked);
    }
    Ok(Place {
        contract_id: contract.id,
        contract_number: contract.number,
        address_line: contract.install_address_line,
        postal_code: contract.install_postal_code,
        city: contract.install_city,
    })
}

/// A ticket a visit is booked from: its id and subject.
type TicketRef = (i64, String);

/// The customer's own ticket and service named by the request (another customer's reads as
/// an error, never as a visit on their premises).
fn scoped(
    conn: &mut DbConn,
    customer_id: CustomerId,
    ticket_id: Option<i64>,
    service_id: Option<i64>,
) -> Result<(Option<TicketRef>, Option<Service>), VisitError> {
    let ticket = match ticket_id {
        Some(id) => Some(
            db::tickets::find_of_customer(conn, customer_id, id)?
                .ok_or(VisitError::NotYourTicket)?,
        ),
        None => None,
    };
    let service_id = service_id.or(ticket.as_ref().and_then(|t| t.service_id));
    let service = match service_id {
        Some(id) => Some(
            db::services::find_of_customer(conn, customer_id, id)?
                .ok_or(VisitError::NotYourService)?,
        ),
        None => None,
    };
    Ok((ticket.map(|t| (t.id, t.subject)), service))
}

fn active_kind(conn: &mut DbConn, id: Option<i64>) -> Result<VisitKind, VisitError> {
    let id = id.ok_or(VisitError::NoKind)?;
    db::visits::find_kind(conn, id)?
        .filter(|k| k.active)
        .ok_or(VisitError::NoKind)
}

/// The booking page for a kind (or only the kinds, when none is chosen yet).
pub fn booking_page(
    conn: &mut DbConn,
    customer_id: CustomerId,
    kind_id: Option<i64>,
    ticket_id: Option<i64>,
    service_id: Option<i64>,
    now: NaiveDateTime,
) -> Result<BookingPage, VisitError> {
    let (ticket, service) = scoped(conn, customer_id, ticket_id, service_id)?;
    let kinds: Vec<KindTerms> = db::visits::kinds(conn)?
        .iter()
        .filter(|k| k.active)
        .map(|k| terms(k, service.as_ref()))
        .collect();
    let phone = db::customers::find(conn, customer_id)?
        .and_then(|c| c.phone)
        .unwrap_or_default();
    let today = warsaw::to_local(now).date();
    let mut page = BookingPage {
        kinds,
        kind: None,
        place: None,
        days: Vec::new(),
        ticket,
        service: service.as_ref().map(|s| (s.id, s.name.clone())),
        phone,
        problem: None,
    };
    match place_on(conn, customer_id, service.as_ref(), today) {
        Ok(place) => page.place = Some(place),
        Err(error) => {
            page.problem = error.message_key();
            return Ok(page);
        }
    }
    let Some(kind) = kind_id.and_then(|id| {
        db::visits::find_kind(conn, id)
            .ok()
            .flatten()
            .filter(|k| k.active)
    }) else {
        return Ok(page);
    };
    page.kind = Some(terms(&kind, service.as_ref()));
    if let Some(place) = &page.place {
        page.days = offers::free_slots(conn, &place.postal_code, &place.city, &kind, now)?;
        if page.days.is_empty() {
            page.problem = Some(
                if offers::technicians_serving(conn, &place.postal_code, &place.city)?.is_empty() {
                    "visits-error-not-served"
                } else {
                    "visits-no-slots"
                },
            );
        }
    }
    Ok(page)
}

struct CheckedFields {
    technician_id: i64,
    starts_at: NaiveDateTime,
    phone: String,
    notes: String,
}

fn check_fields(request: &BookingRequest) -> Result<CheckedFields, VisitError> {
    let mut errors = FieldErrors::default();
    let slot = offers::parse_slot(&request.slot);
    if slot.is_none() {
        errors.add("slot", "visits-error-slot");
    }
    let phone = request.phone.trim();
    let digits = phone.chars().filter(char::is_ascii_digit).count();
    let allowed = phone
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '+' | '-' | '(' | ')'));
    if !(9..=15).contains(&digits) || !allowed {
        errors.add("phone", "visits-error-phone");
    }
    let notes = request.access_notes.trim();
    if notes.chars().count() > NOTES_MAX {
        errors.add("access_notes", "visits-error-notes");
    }
    match slot {
        Some((technician_id, starts_at)) if errors.is_empty() => Ok(CheckedFields {
            technician_id,
            starts_at,
            phone: phone.to_owned(),
            notes: notes.to_owned(),
        }),
        _ => Err(VisitError::Invalid(errors)),
    }
}

/// Checks that `technician_id` may do a `kind` visit at `place` starting at `starts_at`, and
/// holds its cells for `visit_id`. Another booking holding any of them is `SlotTaken`.
#[allow(clippy::too_many_arguments)]
pub(super) fn take_slot(
    conn: &mut DbConn,
    technician_id: i64,
    starts_at: NaiveDateTime,
    kind: &VisitKind,
    place: (&str, &str),
    visit_id: Option<i64>,
    enforce_notice: bool,
    now: NaiveDateTime,
) -> Result<(), VisitError> {
    let technician = db::visits::find_technician(conn, technician_id)?
        .filter(|t| t.active)
        .ok_or(VisitError::Slot(SlotProblem::OutsideHours))?;
    if !offers::technicians_serving(conn, place.0, place.1)?.contains(&technician.id) {
        return Err(VisitError::NotServed);
    }
    let schedule = offers::schedule_at(conn, technician.id, starts_at)?;
    slots::check_slot(
        &schedule,
        starts_at,
        kind.duration_minutes,
        enforce_notice && kind.price == 0,
        kind.free_notice_hours,
        now,
    )
    .map_err(VisitError::Slot)?;
    if let Some(visit_id) = visit_id {
        hold(
            conn,
            technician.id,
            visit_id,
            starts_at,
            kind.duration_minutes,
        )?;
    }
    Ok(())
}

/// Holds the visit's cells; a cell someone else holds means the slot was taken meanwhile.
pub(super) fn hold(
    conn: &mut DbConn,
    technician_id: i64,
    visit_id: i64,
    starts_at: NaiveDateTime,
    duration_minutes: i64,
) -> Result<(), VisitError> {
    let cells = slots::cells(starts_at, duration_minutes);
    // Read first so the common case is a clean answer; the UNIQUE key settles a true race
    // (PostgreSQL makes the second writer wait for the first and then refuses it).
    let held = db::visits::held_cells(
        conn,
        &[technician_id],
        starts_at,
        starts_at + Duration::minutes(duration_minutes),
    )?;
    if !held.is_empty() {
        return Err(VisitError::SlotTaken);
    }
    match db::visits::hold_cells(conn, technician_id, visit_id, &cells) {
        Ok(()) => Ok(()),
        Err(error) if db::is_unique_violation(&error) => Err(VisitError::SlotTaken),
        Err(error) => Err(error.into()),
    }
}

/// Books a visit for the signed-in customer; returns its id.
pub fn book(
    conn: &mut DbConn,
    customer_id: CustomerId,
    request: &BookingRequest,
    fx: &Effects<'_>,
) -> Result<i64, VisitError> {
    let fields = check_fields(request)?;
    let kind = active_kind(conn, request.kind_id)?;
    let (ticket, service) = scoped(conn, customer_id, request.ticket_id, request.service_id)?;
    if fields.starts_at <= fx.now {
        return Err(VisitError::Slot(SlotProblem::Past));
    }
    let day = warsaw::to_local(fields.starts_at).date();
    let place = place_on(conn, customer_id, service.as_ref(), day)?;
    take_slot(
        conn,
        fields.technician_id,
        fields.starts_at,
        &kind,
        (&place.postal_code, &place.city),
        None,
        true,
        fx.now,
    )?;
    let id = db::visits::insert_visit(
        conn,
        &NewVisit {
            customer_id,
            contract_id: place.contract_id,
            technician_id: fields.technician_id,
            kind_id: kind.id,
            ticket_id: ticket.as_ref().map(|t| t.0),
            service_id: service.as_ref().map(|s| s.id),
            starts_at: fields.starts_at,
            ends_at: fields.starts_at + Duration::minutes(kind.duration_minutes),
            status: VisitStatus::Booked,
            phone: fields.phone,
            access_notes: fields.notes,
            address_line: place.address_line,
            postal_code: place.postal_code,
            city: place.city,
            price: kind.price,
            revision: 0,
            created_at: fx.now,
            updated_at: fx.now,
        },
    )?;
    hold(
        conn,
        fields.technician_id,
        id,
        fields.starts_at,
        kind.duration_minutes,
    )?;
    let visit = db::visits::find_visit(conn, id)?.ok_or(VisitError::NotFound)?;
    notify::send(conn, fx, &visit, &kind, Event::Booked, None)?;
    crate::app::audit::record(
        conn,
        &fx.actor,
        "visit_booked",
        json!({ "visit": id, "customer": customer_id, "kind": kind.id,
                "technician": visit.technician_id, "starts_at": visit.starts_at }),
        fx.now,
    )?;
    Ok(id)
}

/// A visit of the customer's as its page shows it.
#[derive(Debug, Clone, Serialize)]
pub struct VisitView {
    pub visit: Visit,
    pub kind: KindTerms,
    pub technician: String,
    pub booked: bool,
    /// Cancelling now would cost the fee (it is within the late window).
    pub late_now: bool,
    /// What cancelling now costs (grosze; 0 when free).
    pub fee_now: i64,
    /// A move is still possible (more than the late window ahead).
    pub movable: bool,
}

fn view(visit: Visit, kind: &VisitKind, technician: String, now: NaiveDateTime) -> VisitView {
    let booked = visit.status == VisitStatus::Booked;
    let rules = late_rules(kind, visit.price);
    let late_now = booked && rules.is_late(visit.starts_at, now);
    let fee_now = if booked {
        rules.cancellation_fee(visit.starts_at, now).grosze()
    } else {
        0
    };
    let mut kind_terms = terms(kind, None);
    kind_terms.late_fee = rules.fee().grosze();
    VisitView {
        booked,
        late_now,
        fee_now,
        movable: booked && !late_now && visit.starts_at > now,
        kind: kind_terms,
        technician,
        visit,
    }
}

pub fn list(
    conn: &mut DbConn,
    customer_id: CustomerId,
    now: NaiveDateTime,
) -> Result<Vec<VisitView>, VisitError> {
    Ok(db::visits::visits_of_customer(conn, customer_id)?
        .into_iter()
        .map(|(visit, kind, technician)| view(visit, &kind, technician.name, now))
        .collect())
}

/// One of the customer's visits, with the slots it could move to when it is still movable.
pub fn one(
    conn: &mut DbConn,
    customer_id: CustomerId,
    visit_id: i64,
    now: NaiveDateTime,
) -> Result<(VisitView, Vec<SlotDay>), VisitError> {
    let visit = db::visits::find_visit_of_customer(conn, customer_id, visit_id)?
        .ok_or(VisitError::NotFound)?;
    let kind = db::visits::find_kind(conn, visit.kind_id)?.ok_or(VisitError::NotFound)?;
    let technician = db::visits::find_technician(conn, visit.technician_id)?
        .map(|t| t.name)
        .unwrap_or_default();
    let view = view(visit, &kind, technician, now);
    let days = if view.movable {
        offers::free_slots(conn, &view.visit.postal_code, &view.visit.city, &kind, now)?
    } else {
        Vec::new()
    };
    Ok((view, days))
}

/// Moves the customer's visit to another free slot, while more than the late window remains.
pub fn reschedule(
    conn: &mut DbConn,
    customer_id: CustomerId,
    visit_id: i64,
    slot: &str,
    fx: &Effects<'_>,
) -> Result<(), VisitError> {
    let visit = db::visits::find_visit_of_customer(conn, customer_id, visit_id)?
        .ok_or(VisitError::NotFound)?;
    if visit.status != VisitStatus::Booked {
        return Err(VisitError::NotBooked);
    }
    let kind = db::visits::find_kind(conn, visit.kind_id)?.ok_or(VisitError::NotFound)?;
    if late_rules(&kind, visit.price).is_late(visit.starts_at, fx.now) {
        return Err(VisitError::TooLateToMove);
    }
    let Some((technician_id, starts_at)) = offers::parse_slot(slot) else {
        let mut errors = FieldErrors::default();
        errors.add("slot", "visits-error-slot");
        return Err(VisitError::Invalid(errors));
    };
    let day = warsaw::to_local(starts_at).date();
    let service = match visit.service_id {
        Some(id) => db::services::find_of_customer(conn, customer_id, id)?,
        None => None,
    };
    let place = place_on(conn, customer_id, service.as_ref(), day)?;
    move_to(
        conn,
        &visit,
        &kind,
        technician_id,
        starts_at,
        (&place.postal_code, &place.city),
        true,
        fx,
    )?;
    crate::app::audit::record(
        conn,
        &fx.actor,
        "visit_moved",
        json!({ "visit": visit.id, "customer": customer_id, "from": visit.starts_at,
                "to": starts_at, "technician": technician_id }),
        fx.now,
    )?;
    Ok(())
}

/// Releases the visit's cells, checks and holds the new slot, and tells the subscriber.
#[allow(clippy::too_many_arguments)]
pub(super) fn move_to(
    conn: &mut DbConn,
    visit: &Visit,
    kind: &VisitKind,
    technician_id: i64,
    starts_at: NaiveDateTime,
    place: (&str, &str),
    enforce_notice: bool,
    fx: &Effects<'_>,
) -> Result<(), VisitError> {
    db::visits::release_cells(conn, visit.id)?;
    take_slot(
        conn,
        technician_id,
        starts_at,
        kind,
        place,
        Some(visit.id),
        enforce_notice,
        fx.now,
    )?;
    let ends_at = starts_at + Duration::minutes(kind.duration_minutes);
    if !db::visits::move_visit(conn, visit.id, technician_id, starts_at, ends_at, fx.now)? {
        return Err(VisitError::NotBooked);
    }
    let moved = db::visits::find_visit(conn, visit.id)?.ok_or(VisitError::NotFound)?;
    notify::send(conn, fx, &moved, kind, Event::Moved, None)?;
    Ok(())
}

/// What cancelling the customer's visit now would cost, for the confirmation page.
pub fn cancellation_cost(
    conn: &mut DbConn,
    customer_id: CustomerId,
    visit_id: i64,
    now: NaiveDateTime,
) -> Result<VisitView, VisitError> {
    Ok(one(conn, customer_id, visit_id, now)?.0)
}

/// Cancels the customer's visit; a late cancellation costs the kind's fee. Returns the fee.
pub fn cancel(
    conn: &mut DbConn,
    customer_id: CustomerId,
    visit_id: i64,
    fx: &Effects<'_>,
) -> Result<Money, VisitError> {
    let visit = db::visits::find_visit_of_customer(conn, customer_id, visit_id)?
        .ok_or(VisitError::NotFound)?;
    let kind = db::visits::find_kind(conn, visit.kind_id)?.ok_or(VisitError::NotFound)?;
    if !db::visits::end_visit(
        conn,
        visit.id,
        VisitStatus::Cancelled,
        Some("customer"),
        fx.now,
    )? {
        return Err(VisitError::NotBooked);
    }
    db::visits::release_cells(conn, visit.id)?;
    let fee = late_rules(&kind, visit.price).cancellation_fee(visit.starts_at, fx.now);
    let applied = fees::apply(conn, &visit, &kind, FeeCause::LateCancellation, fee, fx)?;
    let ended = db::visits::find_visit(conn, visit.id)?.ok_or(VisitError::NotFound)?;
    notify::send(conn, fx, &ended, &kind, Event::Cancelled, applied.as_ref())?;
    crate::app::audit::record(
        conn,
        &fx.actor,
        "visit_cancelled",
        json!({ "visit": visit.id, "customer": customer_id, "by": "customer",
                "fee": fee.grosze() }),
        fx.now,
    )?;
    Ok(fee)
}
