//! The local KSeF server's endpoints, under `/v2` as on the Ministry's hosts.

use std::io::Cursor;

use rocket::data::{Data, ToByteUnit};
use rocket::http::{ContentType, Header, Status};
use rocket::request::{FromRequest, Outcome, Request};
use rocket::response::{self, Responder, Response};
use rocket::{Build, Rocket, State, delete, get, post, put, routes};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::json;

use super::SimState;
use super::state::{self, Refusal, UploadRefusal, now_text, status};
use crate::ksef::crypto::sha256_base64;
use crate::ksef::wire::{
    AuthInitResponse, AuthStatusResponse, ChallengeResponse, ExceptionDetail, ExceptionInfo,
    ExceptionResponse, KsefTokenRequest, OpenBatchSessionRequest, OpenBatchSessionResponse,
    OpenOnlineSessionRequest, OpenOnlineSessionResponse, PartUploadRequest, RedeemResponse,
    RefreshResponse, SendInvoiceRequest, SendInvoiceResponse, SessionInvoiceStatus,
    SessionInvoicesResponse, TokenInfo,
};

pub(super) fn mount(rocket: Rocket<Build>, state: SimState) -> Rocket<Build> {
    rocket.manage(state).mount(
        "/v2",
        routes![
            challenge,
            ksef_token,
            auth_status,
            redeem,
            refresh,
            logout,
            certificates,
            open_session,
            send_invoice,
            close_session,
            open_batch,
            upload_part,
            close_batch,
            session_status,
            session_invoices,
            invoice_status,
            invoice_upo,
            stored_upo,
        ],
    )
}

/// Any answer: status, body, type and extra headers.
pub(super) struct Reply {
    status: Status,
    body: String,
    /// (type, subtype): a `ContentType` would make every `Result<_, Reply>` large.
    content_type: (&'static str, &'static str),
    headers: Vec<(&'static str, String)>,
}

impl<'r> Responder<'r, 'static> for Reply {
    fn respond_to(self, _: &'r Request<'_>) -> response::Result<'static> {
        let mut response = Response::build();
        response
            .status(self.status)
            .header(ContentType::new(self.content_type.0, self.content_type.1))
            .sized_body(self.body.len(), Cursor::new(self.body));
        for (name, value) in self.headers {
            response.header(Header::new(name, value));
        }
        response.ok()
    }
}

fn json_reply(status: Status, body: &impl Serialize) -> Reply {
    Reply {
        status,
        body: serde_json::to_string(body).unwrap_or_else(|_| "{}".into()),
        content_type: ("application", "json"),
        headers: Vec::new(),
    }
}

/// The legacy 400 body with one exception detail.
fn refused((code, description): Refusal) -> Reply {
    json_reply(
        Status::BadRequest,
        &ExceptionResponse {
            exception: ExceptionInfo {
                exception_detail_list: vec![ExceptionDetail {
                    exception_code: code,
                    exception_description: description,
                    details: None,
                }],
                reference_number: None,
                service_code: state::random_token()[..12].to_owned(),
                timestamp: now_text(),
            },
        },
    )
}

/// 401/404 as `application/problem+json`, as KSeF answers them.
fn problem(status: Status, detail: &str) -> Reply {
    let mut reply = json_reply(
        status,
        &json!({ "title": status.reason().unwrap_or("Error"), "status": status.code, "detail": detail, "traceId": state::random_token() }),
    );
    reply.content_type = ("application", "problem+json");
    reply
}

fn unauthorized() -> Reply {
    problem(
        Status::Unauthorized,
        "Brak lub nieprawidłowy token dostępowy.",
    )
}

fn parse<T: DeserializeOwned>(body: &str) -> Result<T, Reply> {
    serde_json::from_str(body)
        .map_err(|e| refused((21405, format!("Błąd walidacji danych wejściowych: {e}"))))
}

/// `Authorization: Bearer …`, if any.
pub(super) struct Bearer(Option<String>);

#[rocket::async_trait]
impl<'r> FromRequest<'r> for Bearer {
    type Error = ();

    async fn from_request(request: &'r Request<'_>) -> Outcome<Self, ()> {
        Outcome::Success(Bearer(
            request
                .headers()
                .get_one("Authorization")
                .and_then(|h| h.strip_prefix("Bearer "))
                .map(|t| t.trim().to_owned()),
        ))
    }
}

/// The faults every request goes through first: a delay, or KSeF down.
async fn gate(state: &SimState) -> Result<(), Reply> {
    let faults = state.lock().faults.clone();
    if !faults.delay.is_zero() {
        rocket::tokio::time::sleep(faults.delay).await;
    }
    if let Some(seconds) = faults.throttled {
        return Err(Reply {
            status: Status::TooManyRequests,
            body: "Przekroczono limit liczby żądań.".into(),
            content_type: ("text", "plain"),
            headers: vec![("Retry-After", seconds.to_string())],
        });
    }
    if faults.down {
        return Err(Reply {
            status: Status::ServiceUnavailable,
            body: "Usługa chwilowo niedostępna.".into(),
            content_type: ("text", "plain"),
            headers: vec![("Retry-After", "1".into())],
        });
    }
    Ok(())
}

fn access(state: &SimState, bearer: &Bearer) -> Result<String, Reply> {
    bearer
        .0
        .as_deref()
        .and_then(|token| state.lock().access_nip(token))
        .ok_or_else(unauthorized)
}

fn valid_until(minutes: i64) -> String {
    (chrono::Utc::now() + chrono::Duration::minutes(minutes)).to_rfc3339()
}

type Answer = Result<Reply, Reply>;

#[post("/auth/challenge")]
async fn challenge(state: &State<SimState>) -> Answer {
    gate(state).await?;
    let (challenge, timestamp_ms) = state.lock().new_challenge();
    Ok(json_reply(
        Status::Ok,
        &ChallengeResponse {
            challenge,
            timestamp: now_text(),
            timestamp_ms,
            client_ip: Some("127.0.0.1".into()),
        },
    ))
}

#[post("/auth/ksef-token", data = "<body>")]
async fn ksef_token(state: &State<SimState>, body: String) -> Answer {
    gate(state).await?;
    let request: KsefTokenRequest = parse(&body)?;
    let known_key = state
        .certificates
        .iter()
        .any(|c| c.public_key_id == request.public_key_id);
    if request.public_key_id.is_some() && !known_key {
        return Err(refused((21470, "Nieznany klucz publiczny.".into())));
    }
    let (reference_number, token) = state
        .lock()
        .start_login(
            &request.challenge,
            &request.context_identifier.value,
            &request.encrypted_token,
            &state.token,
        )
        .map_err(refused)?;
    Ok(json_reply(
        Status::Accepted,
        &AuthInitResponse {
            reference_number,
            authentication_token: TokenInfo {
                token,
                valid_until: valid_until(60),
            },
        },
    ))
}

#[get("/auth/<reference>")]
async fn auth_status(state: &State<SimState>, bearer: Bearer, reference: &str) -> Answer {
    gate(state).await?;
    let inner = state.lock();
    let login = inner
        .logins
        .get(reference)
        .filter(|l| bearer.0.as_deref() == Some(l.authentication_token.as_str()))
        .ok_or_else(unauthorized)?;
    let info = match login.code {
        200 => status(200, "Uwierzytelnianie zakończone sukcesem"),
        _ => {
            let mut info = status(
                450,
                "Uwierzytelnianie zakończone niepowodzeniem z powodu błędnego tokenu",
            );
            info.details = Some(vec![
                "Token KSeF jest nieprawidłowy, wygasł lub został unieważniony.".into(),
            ]);
            info
        }
    };
    Ok(json_reply(Status::Ok, &AuthStatusResponse { status: info }))
}

#[post("/auth/token/redeem")]
async fn redeem(state: &State<SimState>, bearer: Bearer) -> Answer {
    gate(state).await?;
    let mut inner = state.lock();
    let token = bearer.0.ok_or_else(unauthorized)?;
    let login = inner
        .logins
        .values_mut()
        .find(|l| l.authentication_token == token)
        .ok_or_else(unauthorized)?;
    if login.code != 200 {
        return Err(refused((
            21301,
            "Uwierzytelnianie nie zakończyło się sukcesem.".into(),
        )));
    }
    if login.redeemed {
        return Err(refused((21301, "Tokeny zostały już pobrane.".into())));
    }
    login.redeemed = true;
    let nip = login.nip.clone();
    let access_token = inner.issue_access(&nip);
    let refresh_token = state::random_token();
    inner.refresh.insert(refresh_token.clone(), nip);
    Ok(json_reply(
        Status::Ok,
        &RedeemResponse {
            access_token: TokenInfo {
                token: access_token,
                valid_until: valid_until(15),
            },
            refresh_token: TokenInfo {
                token: refresh_token,
                valid_until: valid_until(7 * 24 * 60),
            },
        },
    ))
}

#[post("/auth/token/refresh")]
async fn refresh(state: &State<SimState>, bearer: Bearer) -> Answer {
    gate(state).await?;
    let mut inner = state.lock();
    let nip = bearer
        .0
        .and_then(|t| inner.refresh.get(&t).cloned())
        .ok_or_else(unauthorized)?;
    let token = inner.issue_access(&nip);
    Ok(json_reply(
        Status::Ok,
        &RefreshResponse {
            access_token: TokenInfo {
                token,
                valid_until: valid_until(15),
            },
        },
    ))
}

#[delete("/auth/sessions/current")]
async fn logout(state: &State<SimState>, bearer: Bearer) -> Answer {
    gate(state).await?;
    let token = bearer.0.ok_or_else(unauthorized)?;
    state
        .lock()
        .access
        .remove(&token)
        .ok_or_else(unauthorized)?;
    Ok(json_reply(Status::NoContent, &json!({})))
}

#[get("/security/public-key-certificates")]
async fn certificates(state: &State<SimState>) -> Answer {
    gate(state).await?;
    Ok(json_reply(Status::Ok, &*state.certificates))
}

#[post("/sessions/online", data = "<body>")]
async fn open_session(state: &State<SimState>, bearer: Bearer, body: String) -> Answer {
    gate(state).await?;
    let nip = access(state, &bearer)?;
    let request: OpenOnlineSessionRequest = parse(&body)?;
    if request.form_code.system_code != crate::ksef::fa3::SYSTEM_CODE {
        return Err(refused((
            21405,
            format!(
                "Nieobsługiwany formularz {}.",
                request.form_code.system_code
            ),
        )));
    }
    let reference_number = state
        .lock()
        .open_session(
            &nip,
            &request.encryption.encrypted_symmetric_key,
            &request.encryption.initialization_vector,
        )
        .map_err(refused)?;
    Ok(json_reply(
        Status::Created,
        &OpenOnlineSessionResponse {
            reference_number,
            valid_until: valid_until(12 * 60),
        },
    ))
}

#[post("/sessions/online/<reference>/invoices", data = "<body>")]
async fn send_invoice(
    state: &State<SimState>,
    bearer: Bearer,
    reference: &str,
    body: String,
) -> Answer {
    gate(state).await?;
    let nip = access(state, &bearer)?;
    let request: SendInvoiceRequest = parse(&body)?;
    let shared = state.inner().clone();
    let reference = reference.to_owned();
    // Decrypting and validating (xmllint) block: off the async workers.
    let outcome = rocket::tokio::task::spawn_blocking(move || {
        let schema = shared.schema.clone();
        shared
            .lock()
            .receive_invoice(&reference, &nip, &request, schema.as_ref())
    })
    .await
    .map_err(|_| problem(Status::InternalServerError, "Błąd przetwarzania."))?;
    let reference_number = outcome.map_err(refused)?;
    Ok(json_reply(
        Status::Accepted,
        &SendInvoiceResponse { reference_number },
    ))
}

#[post("/sessions/online/<reference>/close")]
async fn close_session(state: &State<SimState>, bearer: Bearer, reference: &str) -> Answer {
    gate(state).await?;
    let nip = access(state, &bearer)?;
    let mut inner = state.lock();
    let session = inner
        .sessions
        .get_mut(reference)
        .filter(|s| s.nip == nip)
        .ok_or_else(|| refused((21173, "Brak sesji o podanym numerze referencyjnym.".into())))?;
    session.closed = true;
    session.updated = now_text();
    Ok(Reply {
        status: Status::NoContent,
        body: String::new(),
        content_type: ("text", "plain"),
        headers: Vec::new(),
    })
}

#[post("/sessions/batch", data = "<body>")]
async fn open_batch(state: &State<SimState>, bearer: Bearer, body: String) -> Answer {
    gate(state).await?;
    let nip = access(state, &bearer)?;
    let request: OpenBatchSessionRequest = parse(&body)?;
    if request.form_code.system_code != crate::ksef::fa3::SYSTEM_CODE {
        return Err(refused((
            21405,
            format!(
                "Nieobsługiwany formularz {}.",
                request.form_code.system_code
            ),
        )));
    }
    let (reference_number, signature) = state.lock().open_batch(&nip, &request).map_err(refused)?;
    let part_upload_requests = request
        .batch_file
        .file_parts
        .iter()
        .map(|part| PartUploadRequest {
            ordinal_number: part.ordinal_number,
            method: "PUT".into(),
            url: format!(
                "{}/storage/batch/{reference_number}/{}?sig={signature}",
                state.base_url, part.ordinal_number
            ),
            headers: [("x-ms-blob-type".to_owned(), "BlockBlob".to_owned())].into(),
        })
        .collect();
    Ok(json_reply(
        Status::Created,
        &OpenBatchSessionResponse {
            reference_number,
            part_upload_requests,
        },
    ))
}

/// The pre-signed upload address of one part: no Bearer; the signature in the address.
#[put("/storage/batch/<reference>/<ordinal>?<sig>", data = "<data>")]
async fn upload_part(
    state: &State<SimState>,
    reference: &str,
    ordinal: i64,
    sig: &str,
    data: Data<'_>,
) -> Answer {
    gate(state).await?;
    let bytes = data
        .open(110.mebibytes())
        .into_bytes()
        .await
        .map_err(|_| problem(Status::BadRequest, "Nie odczytano części paczki."))?;
    if !bytes.is_complete() {
        return Err(refused((21402, "Część paczki przekracza 100 MB.".into())));
    }
    match state
        .lock()
        .receive_part(reference, ordinal, sig, bytes.into_inner())
    {
        Ok(()) => Ok(Reply {
            status: Status::Created,
            body: String::new(),
            content_type: ("text", "plain"),
            headers: Vec::new(),
        }),
        Err(UploadRefusal::Forbidden) => Err(problem(
            Status::Forbidden,
            "Adres przesyłania jest nieprawidłowy lub wygasł.",
        )),
        Err(UploadRefusal::Refused(refusal)) => Err(refused(refusal)),
    }
}

#[post("/sessions/batch/<reference>/close")]
async fn close_batch(state: &State<SimState>, bearer: Bearer, reference: &str) -> Answer {
    gate(state).await?;
    let nip = access(state, &bearer)?;
    let closed = state.lock().close_batch(reference, &nip).map_err(refused)?;
    // KSeF answers at once and processes the package afterwards (decrypting, unzipping and
    // validating every invoice block: off the async workers).
    let shared = state.inner().clone();
    let reference = reference.to_owned();
    rocket::tokio::task::spawn_blocking(move || {
        state::process_batch(&shared, &reference, &nip, closed);
    });
    Ok(Reply {
        status: Status::NoContent,
        body: String::new(),
        content_type: ("text", "plain"),
        headers: Vec::new(),
    })
}

/// `x-continuation-token`, if any.
pub(super) struct Continuation(Option<String>);

#[rocket::async_trait]
impl<'r> FromRequest<'r> for Continuation {
    type Error = ();

    async fn from_request(request: &'r Request<'_>) -> Outcome<Self, ()> {
        Outcome::Success(Continuation(
            request
                .headers()
                .get_one("x-continuation-token")
                .map(str::to_owned),
        ))
    }
}

/// A session's invoices, `pageSize` (10–1000) at a time; the next page's token in the body.
#[get("/sessions/<reference>/invoices?<pageSize>")]
#[allow(non_snake_case)]
async fn session_invoices(
    state: &State<SimState>,
    bearer: Bearer,
    continuation: Continuation,
    reference: &str,
    pageSize: Option<usize>,
) -> Answer {
    gate(state).await?;
    access(state, &bearer)?;
    let page = pageSize.unwrap_or(10).clamp(10, 1000);
    let offset = continuation
        .0
        .as_deref()
        .and_then(|t| t.parse::<usize>().ok())
        .unwrap_or(0);
    let inner = state.lock();
    let (found, total) = inner
        .session_invoices(reference, offset, page)
        .ok_or_else(|| refused((21173, "Brak sesji o podanym numerze referencyjnym.".into())))?;
    let invoices = found
        .into_iter()
        .map(|(invoice_reference, found)| {
            status_of(&inner, &state.base_url, invoice_reference, found)
        })
        .collect();
    let next = offset + page;
    Ok(json_reply(
        Status::Ok,
        &SessionInvoicesResponse {
            continuation_token: (next < total).then(|| next.to_string()),
            invoices,
        },
    ))
}

/// What `GET …/invoices/{ref}` and the list show of one invoice.
fn status_of(
    inner: &state::Inner,
    base_url: &str,
    reference: &str,
    found: &state::SimInvoice,
) -> SessionInvoiceStatus {
    let shown = inner.shown_status(found);
    let done = shown.code == 200;
    SessionInvoiceStatus {
        ordinal_number: found.ordinal,
        invoice_number: found.number.clone(),
        ksef_number: found.ksef_number.clone().filter(|_| done),
        reference_number: reference.to_owned(),
        invoice_hash: found.hash.clone(),
        acquisition_date: found.acquisition_date.clone().filter(|_| done),
        invoicing_date: found.invoicing_date.clone(),
        upo_download_url: done.then(|| format!("{base_url}/storage/upo/{reference}")),
        upo_download_url_expiration_date: done.then(|| valid_until(60)),
        invoicing_mode: Some(if found.offline { "Offline" } else { "Online" }.into()),
        status: shown,
    }
}

#[get("/sessions/<reference>")]
async fn session_status(state: &State<SimState>, bearer: Bearer, reference: &str) -> Answer {
    gate(state).await?;
    access(state, &bearer)?;
    state
        .lock()
        .session_json(reference)
        .map(|body| json_reply(Status::Ok, &body))
        .ok_or_else(|| refused((21173, "Brak sesji o podanym numerze referencyjnym.".into())))
}

#[get("/sessions/<reference>/invoices/<invoice>")]
async fn invoice_status(
    state: &State<SimState>,
    bearer: Bearer,
    reference: &str,
    invoice: &str,
) -> Answer {
    gate(state).await?;
    access(state, &bearer)?;
    let inner = state.lock();
    let found = inner
        .invoices
        .get(invoice)
        .filter(|i| i.session == reference)
        .ok_or_else(|| problem(Status::NotFound, "Nie znaleziono faktury w sesji."))?;
    Ok(json_reply(
        Status::Ok,
        &status_of(&inner, &state.base_url, invoice, found),
    ))
}

fn upo_reply(upo: &str) -> Reply {
    Reply {
        status: Status::Ok,
        body: upo.to_owned(),
        content_type: ("application", "xml"),
        headers: vec![("x-ms-meta-hash", sha256_base64(upo.as_bytes()))],
    }
}

#[get("/sessions/<reference>/invoices/<invoice>/upo")]
async fn invoice_upo(
    state: &State<SimState>,
    bearer: Bearer,
    reference: &str,
    invoice: &str,
) -> Answer {
    gate(state).await?;
    access(state, &bearer)?;
    let inner = state.lock();
    inner
        .invoices
        .get(invoice)
        .filter(|i| i.session == reference && inner.shown_status(i).code == 200)
        .and_then(|i| i.upo.as_deref())
        .map(upo_reply)
        .ok_or_else(|| problem(Status::NotFound, "Brak UPO dla faktury."))
}

/// The pre-signed download address: no Bearer, as the Ministry's storage.
#[get("/storage/upo/<invoice>")]
async fn stored_upo(state: &State<SimState>, invoice: &str) -> Answer {
    gate(state).await?;
    let inner = state.lock();
    inner
        .invoices
        .get(invoice)
        .filter(|i| inner.shown_status(i).code == 200)
        .and_then(|i| i.upo.as_deref())
        .map(upo_reply)
        .ok_or_else(|| problem(Status::NotFound, "Brak UPO."))
}
