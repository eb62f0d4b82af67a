//! Discounts by eligibility in the demo: the usual grounds a Polish ISP grants (pupils and
//! students, pensioners, people with a disability, Large Family Card holders, and a staff
//! discount on the fastest tariff only), and Anna Nowak's application for the student discount
//! waiting for a decision, with its proof in the attachments store, so `/staff/ulgi` has one to
//! decide. Added once: a second run, or one after staff changed the types, adds nothing.

use chrono::{Datelike, NaiveDate, NaiveDateTime};

use crate::app::tickets::attachments::{self, AttachmentStore, Upload};
use crate::config::Config;
use crate::db::discounts::{NewApplication, NewDiscountType};
use crate::db::{self, DbConn};

use super::{DemoError, UNREGISTERED_CONTRACT};

/// (name, who qualifies, proof, kind, value, tariff code or every tariff).
type DemoType = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    i64,
    Option<&'static str>,
);

const TYPES: [DemoType; 5] = [
    (
        "Uczeń lub student",
        "Uczniowie i studenci do 26. roku życia",
        "Ważna legitymacja szkolna lub studencka",
        "percent",
        2_000,
        None,
    ),
    (
        "Emeryt lub rencista",
        "Osoby pobierające emeryturę lub rentę",
        "Legitymacja emeryta lub rencisty",
        "percent",
        1_500,
        None,
    ),
    (
        "Osoba z niepełnosprawnością",
        "Osoby z orzeczeniem o niepełnosprawności",
        "Orzeczenie o stopniu niepełnosprawności",
        "amount",
        2_500,
        None,
    ),
    (
        "Karta Dużej Rodziny",
        "Posiadacze Karty Dużej Rodziny",
        "Karta Dużej Rodziny (tradycyjna lub w aplikacji mObywatel)",
        "percent",
        1_000,
        None,
    ),
    (
        "Pracownik",
        "Pracownicy Przykładowego Operatora",
        "Zaświadczenie o zatrudnieniu",
        "percent",
        5_000,
        Some("FTTH1000"),
    ),
];

/// A one-page PDF standing in for a scanned student card.
const PROOF: &[u8] = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n% Legitymacja studencka (demo)\ntrailer << /Root 1 0 R >>\n%%EOF\n";

pub fn seed(
    conn: &mut DbConn,
    config: &Config,
    now: NaiveDateTime,
    today: NaiveDate,
) -> Result<(), DemoError> {
    if !db::discounts::all_types(conn)?.is_empty() {
        return Ok(());
    }
    let tariffs = db::tariffs::list_all(conn)?;
    let valid_from = NaiveDate::from_ymd_opt(today.year() - 1, 1, 1).unwrap_or(today);
    let mut ids = Vec::new();
    for (name, who, proof, kind, value, tariff) in TYPES {
        let tariff_id = match tariff {
            Some(code) => match tariffs.iter().find(|t| t.code == code) {
                Some(t) => Some(t.id),
                None => continue,
            },
            None => None,
        };
        ids.push(db::discounts::insert_type(
            conn,
            &NewDiscountType {
                name: name.into(),
                who_qualifies: who.into(),
                proof_required: proof.into(),
                kind: kind.into(),
                value,
                tariff_id,
                valid_from,
                valid_until: None,
                active: true,
                created_at: now,
                updated_at: now,
            },
        )?);
    }
    let (Some(student), Some(contract)) = (
        ids.first(),
        db::contracts::find_by_number(conn, UNREGISTERED_CONTRACT)?,
    ) else {
        return Ok(());
    };
    let checked = attachments::check(vec![Upload {
        file_name: "legitymacja-studencka.pdf".into(),
        bytes: PROOF.to_vec(),
    }])
    .map_err(|e| diesel::result::Error::QueryBuilderError(e.to_string().into()))?;
    let store = AttachmentStore::new(&config.paths.attachments_dir);
    let stored = store
        .write_all(&checked, today)
        .map_err(|e| diesel::result::Error::QueryBuilderError(e.to_string().into()))?;
    let Some(proof) = stored.first() else {
        return Ok(());
    };
    let valid_until = NaiveDate::from_ymd_opt(today.year() + 1, 3, 31);
    db::discounts::insert_application(
        conn,
        &NewApplication {
            customer_id: contract.customer_id,
            contract_id: contract.id,
            discount_type_id: *student,
            status: crate::domain::discounts::ApplicationStatus::Pending,
            proof_file_name: proof.file_name.clone(),
            proof_content_type: proof.kind.content_type().into(),
            proof_size_bytes: proof.size,
            proof_sha256: proof.sha256.clone(),
            proof_storage_path: proof.relative_path.clone(),
            proof_valid_until: valid_until,
            created_at: now,
        },
    )?;
    Ok(())
}
