//! The resources' handlers. Each is documented for the OpenAPI document (`docs.rs`) where it
//! is declared.

use crate::domain::ContractId;
use crate::domain::CustomerId;
use crate::domain::InvoiceId;
use rocket::http::ContentType;
use rocket::{FromForm, Route, State, get, post, put, routes};

use super::{ApiRequest, ApiResponse, FileBody, JsonBody};
use crate::app::App;
use crate::app::api::billing::{
    self, InvoiceList, InvoiceOut, PaymentIn, PaymentOut, StatementIn, StatementOut,
};
use crate::app::api::ingest::{self, SessionsIn, SessionsReport, TrafficIn, TrafficReport};
use crate::app::api::resources::{
    self, ContractIn, ContractList, ContractOut, CustomerIn, CustomerList, CustomerOut, EndpointIn,
    EndpointList, EndpointOut, NetworkView, ServiceIn, ServiceList, ServiceOut, TariffList,
};
use crate::app::api::tickets::{self, ReplyIn, ReplyOut, TicketList};
use crate::app::api::{Answer, ListQuery, Problem, Scope};

pub fn routes() -> Vec<Route> {
    routes![
        list_customers,
        get_customer,
        create_customer,
        update_customer,
        list_contracts,
        get_contract,
        create_contract,
        update_contract,
        suspend_contract,
        list_services,
        get_service,
        create_service,
        update_service,
        suspend_service,
        list_endpoints,
        get_endpoint,
        create_endpoint,
        update_endpoint,
        suspend_endpoint,
        list_tariffs,
        network,
        ingest_traffic,
        ingest_sessions,
        list_invoices,
        get_invoice,
        invoice_pdf,
        invoice_xml,
        create_payment,
        import_statement,
        list_tickets,
        reply_to_ticket,
    ]
}

/// A list's query string: `cursor`, `updated_since`, `limit` and (where a list has it)
/// `customer_id`. Numbers arrive as text so a bad one is a field problem, not a 404.
#[derive(Debug, Default, FromForm)]
pub struct ListParams {
    cursor: Option<String>,
    updated_since: Option<String>,
    limit: Option<String>,
    customer_id: Option<String>,
}

impl ListParams {
    /// The page asked for; `by_customer` says whether this list can be narrowed to a customer
    /// (the customers' own list cannot: its `customer_id` is ignored, as an unknown parameter).
    fn into_query(self, by_customer: bool) -> Result<ListQuery, Problem> {
        let mut errors = Vec::new();
        let mut number = |field: &str, text: Option<String>| match text {
            None => None,
            Some(text) => match text.parse::<i64>() {
                Ok(n) => Some(n),
                Err(_) => {
                    errors.push(crate::app::api::FieldProblem {
                        field: field.into(),
                        code: "api-integer".into(),
                        message: "This must be a whole number.".into(),
                    });
                    None
                }
            },
        };
        let limit = number("limit", self.limit);
        let customer_id = if by_customer {
            number("customer_id", self.customer_id).map(CustomerId)
        } else {
            None
        };
        if !errors.is_empty() {
            return Err(Problem::field_list(errors));
        }
        Ok(ListQuery {
            cursor: self.cursor,
            updated_since: self.updated_since,
            limit,
            customer_id,
        })
    }
}

macro_rules! list_query {
    ($params:expr, $by_customer:expr) => {
        match $params.into_query($by_customer) {
            Ok(query) => query,
            Err(problem) => return ApiResponse::problem(problem),
        }
    };
}

macro_rules! body {
    ($request:expr, $body:expr) => {{
        if let Some(refused) = $request.refused() {
            return refused;
        }
        match $body.0 {
            Ok(parsed) => parsed,
            Err(problem) => return ApiResponse::problem(problem),
        }
    }};
}

// ---- customers ----------------------------------------------------------------------------------

/// List customers, oldest first.
#[utoipa::path(get, path = "/api/v1/customers", tag = "customers",
    params(
        ("cursor" = Option<String>, Query, description = "next_cursor of the previous page"),
        ("updated_since" = Option<String>, Query, description = "RFC 3339 time: only those changed since"),
        ("limit" = Option<i64>, Query, description = "1–500, 100 by default"),
    ),
    responses(
        (status = 200, description = "A page of customers", body = CustomerList),
        (status = 422, description = "A bad query", body = Problem, content_type = "application/problem+json"),
    ))]
#[get("/api/v1/customers?<params..>")]
pub async fn list_customers(
    params: ListParams,
    request: ApiRequest,
    app: &State<App>,
) -> ApiResponse {
    let query = list_query!(params, false);
    request
        .read(app, Scope::CustomersRead, move |conn, _| {
            resources::list_customers(conn, &query)
        })
        .await
}

/// One customer.
#[utoipa::path(get, path = "/api/v1/customers/{id}", tag = "customers",
    params(("id" = i64, Path, description = "customer id")),
    responses(
        (status = 200, description = "The customer", body = CustomerOut),
        (status = 404, description = "No such customer", body = Problem, content_type = "application/problem+json"),
    ))]
#[get("/api/v1/customers/<id>")]
pub async fn get_customer(id: CustomerId, request: ApiRequest, app: &State<App>) -> ApiResponse {
    request
        .read(app, Scope::CustomersRead, move |conn, _| {
            resources::get_customer(conn, id)
        })
        .await
}

/// Create a customer (the next customer number and their own bank account are given).
#[utoipa::path(post, path = "/api/v1/customers", tag = "customers",
    request_body = CustomerIn,
    params(("Idempotency-Key" = Option<String>, Header, description = "repeat-safe writes")),
    responses(
        (status = 201, description = "Created", body = CustomerOut),
        (status = 422, description = "Field problems", body = Problem, content_type = "application/problem+json"),
    ))]
#[post("/api/v1/customers", data = "<body>")]
pub async fn create_customer(
    body: JsonBody<CustomerIn>,
    request: ApiRequest,
    app: &State<App>,
) -> ApiResponse {
    let (input, bytes) = body!(request, body);
    request
        .write(app, Scope::CustomersWrite, bytes, move |conn, cx| {
            let key = &cx.config().security.pesel_key;
            resources::create_customer(conn, key, &input, &cx.actor(), cx.now)
        })
        .await
}

/// Replace a customer's data.
#[utoipa::path(put, path = "/api/v1/customers/{id}", tag = "customers",
    request_body = CustomerIn,
    params(("id" = i64, Path, description = "customer id"),
        ("Idempotency-Key" = Option<String>, Header, description = "repeat-safe writes")),
    responses(
        (status = 200, description = "Saved", body = CustomerOut),
        (status = 404, description = "No such customer", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Field problems", body = Problem, content_type = "application/problem+json"),
    ))]
#[put("/api/v1/customers/<id>", data = "<body>")]
pub async fn update_customer(
    id: CustomerId,
    body: JsonBody<CustomerIn>,
    request: ApiRequest,
    app: &State<App>,
) -> ApiResponse {
    let (input, bytes) = body!(request, body);
    request
        .write(app, Scope::CustomersWrite, bytes, move |conn, cx| {
            let key = &cx.config().security.pesel_key;
            resources::update_customer(conn, key, id, &input, &cx.actor(), cx.now)
        })
        .await
}

// ---- contracts ----------------------------------------------------------------------------------

/// List contracts, oldest first.
#[utoipa::path(get, path = "/api/v1/contracts", tag = "contracts",
    params(
        ("cursor" = Option<String>, Query, description = "next_cursor of the previous page"),
        ("updated_since" = Option<String>, Query, description = "RFC 3339 time: only those changed since"),
        ("limit" = Option<i64>, Query, description = "1–500, 100 by default"),
        ("customer_id" = Option<i64>, Query, description = "only this customer's"),
    ),
    responses(
        (status = 200, description = "A page of contracts", body = ContractList),
        (status = 422, description = "A bad query", body = Problem, content_type = "application/problem+json"),
    ))]
#[get("/api/v1/contracts?<params..>")]
pub async fn list_contracts(
    params: ListParams,
    request: ApiRequest,
    app: &State<App>,
) -> ApiResponse {
    let query = list_query!(params, true);
    request
        .read(app, Scope::CustomersRead, move |conn, _| {
            resources::list_contracts(conn, &query)
        })
        .await
}

/// One contract.
#[utoipa::path(get, path = "/api/v1/contracts/{id}", tag = "contracts",
    params(("id" = i64, Path, description = "contract id")),
    responses(
        (status = 200, description = "The contract", body = ContractOut),
        (status = 404, description = "No such contract", body = Problem, content_type = "application/problem+json"),
    ))]
#[get("/api/v1/contracts/<id>")]
pub async fn get_contract(id: ContractId, request: ApiRequest, app: &State<App>) -> ApiResponse {
    request
        .read(app, Scope::CustomersRead, move |conn, _| {
            resources::get_contract(conn, id)
        })
        .await
}

/// Create a contract for a customer.
#[utoipa::path(post, path = "/api/v1/contracts", tag = "contracts",
    request_body = ContractIn,
    params(("Idempotency-Key" = Option<String>, Header, description = "repeat-safe writes")),
    responses(
        (status = 201, description = "Created", body = ContractOut),
        (status = 422, description = "Field problems", body = Problem, content_type = "application/problem+json"),
    ))]
#[post("/api/v1/contracts", data = "<body>")]
pub async fn create_contract(
    body: JsonBody<ContractIn>,
    request: ApiRequest,
    app: &State<App>,
) -> ApiResponse {
    let (input, bytes) = body!(request, body);
    request
        .write(app, Scope::CustomersWrite, bytes, move |conn, cx| {
            resources::save_contract(conn, None, &input, &cx.actor(), cx.now)
        })
        .await
}

/// Replace a contract's data.
#[utoipa::path(put, path = "/api/v1/contracts/{id}", tag = "contracts",
    request_body = ContractIn,
    params(("id" = i64, Path, description = "contract id"),
        ("Idempotency-Key" = Option<String>, Header, description = "repeat-safe writes")),
    responses(
        (status = 200, description = "Saved", body = ContractOut),
        (status = 404, description = "No such contract", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Field problems", body = Problem, content_type = "application/problem+json"),
    ))]
#[put("/api/v1/contracts/<id>", data = "<body>")]
pub async fn update_contract(
    id: ContractId,
    body: JsonBody<ContractIn>,
    request: ApiRequest,
    app: &State<App>,
) -> ApiResponse {
    let (input, bytes) = body!(request, body);
    request
        .write(app, Scope::CustomersWrite, bytes, move |conn, cx| {
            resources::save_contract(conn, Some(id), &input, &cx.actor(), cx.now)
        })
        .await
}

/// Suspend a contract.
#[utoipa::path(post, path = "/api/v1/contracts/{id}/suspend", tag = "contracts",
    params(("id" = i64, Path, description = "contract id"),
        ("Idempotency-Key" = Option<String>, Header, description = "repeat-safe writes")),
    responses(
        (status = 200, description = "Suspended", body = ContractOut),
        (status = 404, description = "No such contract", body = Problem, content_type = "application/problem+json"),
    ))]
#[post("/api/v1/contracts/<id>/suspend")]
pub async fn suspend_contract(
    id: ContractId,
    request: ApiRequest,
    app: &State<App>,
) -> ApiResponse {
    request
        .write(app, Scope::CustomersWrite, Vec::new(), move |conn, cx| {
            resources::suspend_contract(conn, id, &cx.actor(), cx.now)
        })
        .await
}

// ---- services -----------------------------------------------------------------------------------

/// List services, oldest first.
#[utoipa::path(get, path = "/api/v1/services", tag = "services",
    params(
        ("cursor" = Option<String>, Query, description = "next_cursor of the previous page"),
        ("updated_since" = Option<String>, Query, description = "RFC 3339 time: only those changed since"),
        ("limit" = Option<i64>, Query, description = "1–500, 100 by default"),
        ("customer_id" = Option<i64>, Query, description = "only this customer's"),
    ),
    responses(
        (status = 200, description = "A page of services", body = ServiceList),
        (status = 422, description = "A bad query", body = Problem, content_type = "application/problem+json"),
    ))]
#[get("/api/v1/services?<params..>")]
pub async fn list_services(
    params: ListParams,
    request: ApiRequest,
    app: &State<App>,
) -> ApiResponse {
    let query = list_query!(params, true);
    request
        .read(app, Scope::CustomersRead, move |conn, _| {
            resources::list_services(conn, &query)
        })
        .await
}

/// One service.
#[utoipa::path(get, path = "/api/v1/services/{id}", tag = "services",
    params(("id" = i64, Path, description = "service id")),
    responses(
        (status = 200, description = "The service", body = ServiceOut),
        (status = 404, description = "No such service", body = Problem, content_type = "application/problem+json"),
    ))]
#[get("/api/v1/services/<id>")]
pub async fn get_service(id: i64, request: ApiRequest, app: &State<App>) -> ApiResponse {
    request
        .read(app, Scope::CustomersRead, move |conn, _| {
            resources::get_service(conn, id)
        })
        .await
}

/// Create a service for a customer (on one of their contracts).
#[utoipa::path(post, path = "/api/v1/services", tag = "services",
    request_body = ServiceIn,
    params(("Idempotency-Key" = Option<String>, Header, description = "repeat-safe writes")),
    responses(
        (status = 201, description = "Created", body = ServiceOut),
        (status = 422, description = "Field problems", body = Problem, content_type = "application/problem+json"),
    ))]
#[post("/api/v1/services", data = "<body>")]
pub async fn create_service(
    body: JsonBody<ServiceIn>,
    request: ApiRequest,
    app: &State<App>,
) -> ApiResponse {
    let (input, bytes) = body!(request, body);
    request
        .write(app, Scope::CustomersWrite, bytes, move |conn, cx| {
            resources::save_service(conn, None, &input, &cx.actor(), cx.now)
        })
        .await
}

/// Replace a service's data.
#[utoipa::path(put, path = "/api/v1/services/{id}", tag = "services",
    request_body = ServiceIn,
    params(("id" = i64, Path, description = "service id"),
        ("Idempotency-Key" = Option<String>, Header, description = "repeat-safe writes")),
    responses(
        (status = 200, description = "Saved", body = ServiceOut),
        (status = 404, description = "No such service", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Field problems", body = Problem, content_type = "application/problem+json"),
    ))]
#[put("/api/v1/services/<id>", data = "<body>")]
pub async fn update_service(
    id: i64,
    body: JsonBody<ServiceIn>,
    request: ApiRequest,
    app: &State<App>,
) -> ApiResponse {
    let (input, bytes) = body!(request, body);
    request
        .write(app, Scope::CustomersWrite, bytes, move |conn, cx| {
            resources::save_service(conn, Some(id), &input, &cx.actor(), cx.now)
        })
        .await
}

/// Suspend a service and cut off its endpoints.
#[utoipa::path(post, path = "/api/v1/services/{id}/suspend", tag = "services",
    params(("id" = i64, Path, description = "service id"),
        ("Idempotency-Key" = Option<String>, Header, description = "repeat-safe writes")),
    responses(
        (status = 200, description = "Suspended", body = ServiceOut),
        (status = 404, description = "No such service", body = Problem, content_type = "application/problem+json"),
    ))]
#[post("/api/v1/services/<id>/suspend")]
pub async fn suspend_service(id: i64, request: ApiRequest, app: &State<App>) -> ApiResponse {
    request
        .write(app, Scope::CustomersWrite, Vec::new(), move |conn, cx| {
            resources::suspend_service(conn, id, &cx.actor(), cx.now)
        })
        .await
}

// ---- endpoints ----------------------------------------------------------------------------------

/// List endpoints, oldest first.
#[utoipa::path(get, path = "/api/v1/endpoints", tag = "endpoints",
    params(
        ("cursor" = Option<String>, Query, description = "next_cursor of the previous page"),
        ("updated_since" = Option<String>, Query, description = "RFC 3339 time: only those changed since"),
        ("limit" = Option<i64>, Query, description = "1–500, 100 by default"),
        ("customer_id" = Option<i64>, Query, description = "only this customer's"),
    ),
    responses(
        (status = 200, description = "A page of endpoints", body = EndpointList),
        (status = 422, description = "A bad query", body = Problem, content_type = "application/problem+json"),
    ))]
#[get("/api/v1/endpoints?<params..>")]
pub async fn list_endpoints(
    params: ListParams,
    request: ApiRequest,
    app: &State<App>,
) -> ApiResponse {
    let query = list_query!(params, true);
    request
        .read(app, Scope::CustomersRead, move |conn, _| {
            resources::list_endpoints(conn, &query)
        })
        .await
}

/// One endpoint.
#[utoipa::path(get, path = "/api/v1/endpoints/{id}", tag = "endpoints",
    params(("id" = i64, Path, description = "endpoint id")),
    responses(
        (status = 200, description = "The endpoint", body = EndpointOut),
        (status = 404, description = "No such endpoint", body = Problem, content_type = "application/problem+json"),
    ))]
#[get("/api/v1/endpoints/<id>")]
pub async fn get_endpoint(id: i64, request: ApiRequest, app: &State<App>) -> ApiResponse {
    request
        .read(app, Scope::CustomersRead, move |conn, _| {
            resources::get_endpoint(conn, id)
        })
        .await
}

/// Create an endpoint of a service (IP, MAC and PPPoE login are unique).
#[utoipa::path(post, path = "/api/v1/endpoints", tag = "endpoints",
    request_body = EndpointIn,
    params(("Idempotency-Key" = Option<String>, Header, description = "repeat-safe writes")),
    responses(
        (status = 201, description = "Created", body = EndpointOut),
        (status = 422, description = "Field problems", body = Problem, content_type = "application/problem+json"),
    ))]
#[post("/api/v1/endpoints", data = "<body>")]
pub async fn create_endpoint(
    body: JsonBody<EndpointIn>,
    request: ApiRequest,
    app: &State<App>,
) -> ApiResponse {
    let (input, bytes) = body!(request, body);
    request
        .write(app, Scope::CustomersWrite, bytes, move |conn, cx| {
            resources::save_endpoint(conn, cx.secrets(), None, &input, &cx.actor(), cx.now)
        })
        .await
}

/// Replace an endpoint's data.
#[utoipa::path(put, path = "/api/v1/endpoints/{id}", tag = "endpoints",
    request_body = EndpointIn,
    params(("id" = i64, Path, description = "endpoint id"),
        ("Idempotency-Key" = Option<String>, Header, description = "repeat-safe writes")),
    responses(
        (status = 200, description = "Saved", body = EndpointOut),
        (status = 404, description = "No such endpoint", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Field problems", body = Problem, content_type = "application/problem+json"),
    ))]
#[put("/api/v1/endpoints/<id>", data = "<body>")]
pub async fn update_endpoint(
    id: i64,
    body: JsonBody<EndpointIn>,
    request: ApiRequest,
    app: &State<App>,
) -> ApiResponse {
    let (input, bytes) = body!(request, body);
    request
        .write(app, Scope::CustomersWrite, bytes, move |conn, cx| {
            resources::save_endpoint(conn, cx.secrets(), Some(id), &input, &cx.actor(), cx.now)
        })
        .await
}

/// Suspend an endpoint: its access is cut off in the network view.
#[utoipa::path(post, path = "/api/v1/endpoints/{id}/suspend", tag = "endpoints",
    params(("id" = i64, Path, description = "endpoint id"),
        ("Idempotency-Key" = Option<String>, Header, description = "repeat-safe writes")),
    responses(
        (status = 200, description = "Suspended", body = EndpointOut),
        (status = 404, description = "No such endpoint", body = Problem, content_type = "application/problem+json"),
    ))]
#[post("/api/v1/endpoints/<id>/suspend")]
pub async fn suspend_endpoint(id: i64, request: ApiRequest, app: &State<App>) -> ApiResponse {
    request
        .write(app, Scope::CustomersWrite, Vec::new(), move |conn, cx| {
            resources::suspend_endpoint(conn, id, &cx.actor(), cx.now)
        })
        .await
}

// ---- tariffs and the network view ---------------------------------------------------------------

/// Every tariff (speeds and fees).
#[utoipa::path(get, path = "/api/v1/tariffs", tag = "tariffs",
    responses((status = 200, description = "The tariffs", body = TariffList)))]
#[get("/api/v1/tariffs")]
pub async fn list_tariffs(request: ApiRequest, app: &State<App>) -> ApiResponse {
    request
        .read(app, Scope::CustomersRead, |conn, _| {
            resources::list_tariffs(conn)
        })
        .await
}

/// What the routers need: per endpoint IP, MAC, PPPoE login, speeds, and the dunning flags.
/// Poll with `If-None-Match`: `304` while nothing changed.
#[utoipa::path(get, path = "/api/v1/network", tag = "network",
    params(("If-None-Match" = Option<String>, Header, description = "the ETag of the last answer")),
    responses(
        (status = 200, description = "The network view, with its ETag", body = NetworkView),
        (status = 304, description = "Unchanged since the ETag sent"),
    ))]
#[get("/api/v1/network")]
pub async fn network(request: ApiRequest, app: &State<App>) -> ApiResponse {
    let client = match &request.client {
        Ok(client) => client,
        Err(problem) => return ApiResponse::problem(problem.clone()),
    };
    let result = app
        .api(client, &request.info)
        .needs(Scope::NetworkRead)
        .run(|conn, _| resources::network_view(conn))
        .await;
    match result {
        Ok((_, (view, tag))) => {
            let unchanged = request.if_none_match.as_deref().is_some_and(|sent| {
                sent.split(',')
                    .any(|t| t.trim().trim_start_matches("W/") == tag || t.trim() == "*")
            });
            if unchanged {
                ApiResponse::NotModified(tag)
            } else {
                ApiResponse::Tagged(Answer::ok(200, view), tag)
            }
        }
        Err(refusal) => ApiResponse::problem(super::refused(refusal)),
    }
}

// ---- ingestion ----------------------------------------------------------------------------------

/// Send a batch of traffic counters (the collector's, per endpoint IP and 5-minute interval).
/// Idempotent: a counter replaces its (endpoint, interval) row, so a batch sent again changes
/// nothing and is reported as duplicates. Counters for IPs no endpoint has are not stored but
/// counted and named. A bad item refuses the whole batch (nothing stored).
#[utoipa::path(post, path = "/api/v1/traffic", tag = "traffic",
    request_body = TrafficIn,
    params(("Idempotency-Key" = Option<String>, Header, description = "repeat-safe writes")),
    responses(
        (status = 200, description = "What was stored, duplicated and unknown", body = TrafficReport),
        (status = 403, description = "The token lacks traffic:write", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Items with problems (nothing stored)", body = Problem, content_type = "application/problem+json"),
    ))]
#[post("/api/v1/traffic", data = "<body>")]
pub async fn ingest_traffic(
    body: JsonBody<TrafficIn>,
    request: ApiRequest,
    app: &State<App>,
) -> ApiResponse {
    let (input, bytes) = body!(request, body);
    request
        .write(app, Scope::TrafficWrite, bytes, move |conn, cx| {
            let raw_days = cx.config().traffic_raw_days;
            ingest::ingest_traffic(conn, &input, raw_days, &cx.actor(), cx.now)
        })
        .await
}

/// Send a batch of RADIUS accounting records (Start, Interim-Update, Stop). Idempotent per
/// accounting session id: records are merged into one session (the earliest start, the largest
/// counters, the stop once known); a record that tells nothing new is reported as a duplicate.
/// Sessions whose login and IP no endpoint has are not stored but counted and named.
#[utoipa::path(post, path = "/api/v1/radius/sessions", tag = "radius",
    request_body = SessionsIn,
    params(("Idempotency-Key" = Option<String>, Header, description = "repeat-safe writes")),
    responses(
        (status = 200, description = "What was created, updated, duplicated and unknown", body = SessionsReport),
        (status = 403, description = "The token lacks radius:write", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Items with problems (nothing stored)", body = Problem, content_type = "application/problem+json"),
    ))]
#[post("/api/v1/radius/sessions", data = "<body>")]
pub async fn ingest_sessions(
    body: JsonBody<SessionsIn>,
    request: ApiRequest,
    app: &State<App>,
) -> ApiResponse {
    let (input, bytes) = body!(request, body);
    request
        .write(app, Scope::RadiusWrite, bytes, move |conn, cx| {
            ingest::ingest_sessions(conn, &input, &cx.actor(), cx.now)
        })
        .await
}

// ---- invoices and payments ----------------------------------------------------------------------

/// List issued invoices by id, with where each one's payment stands.
#[utoipa::path(get, path = "/api/v1/invoices", tag = "invoices",
    params(
        ("cursor" = Option<String>, Query, description = "next_cursor of the previous page"),
        ("updated_since" = Option<String>, Query, description = "RFC 3339 time: only those issued since (an issued invoice never changes; a correction is a new one)"),
        ("limit" = Option<i64>, Query, description = "1–500, 100 by default"),
        ("customer_id" = Option<i64>, Query, description = "only this customer's"),
    ),
    responses(
        (status = 200, description = "A page of invoices", body = InvoiceList),
        (status = 422, description = "A bad query", body = Problem, content_type = "application/problem+json"),
    ))]
#[get("/api/v1/invoices?<params..>")]
pub async fn list_invoices(
    params: ListParams,
    request: ApiRequest,
    app: &State<App>,
) -> ApiResponse {
    let query = list_query!(params, true);
    request
        .read(app, Scope::InvoicesRead, move |conn, cx| {
            billing::list_invoices(conn, &query, cx.today)
        })
        .await
}

/// One issued invoice.
#[utoipa::path(get, path = "/api/v1/invoices/{id}", tag = "invoices",
    params(("id" = i64, Path, description = "invoice id")),
    responses(
        (status = 200, description = "The invoice", body = InvoiceOut),
        (status = 404, description = "No such invoice", body = Problem, content_type = "application/problem+json"),
    ))]
#[get("/api/v1/invoices/<id>")]
pub async fn get_invoice(id: InvoiceId, request: ApiRequest, app: &State<App>) -> ApiResponse {
    request
        .read(app, Scope::InvoicesRead, move |conn, cx| {
            billing::get_invoice(conn, id, cx.today)
        })
        .await
}

/// The invoice's PDF, byte for byte as stored (the KSeF-numbered one once KSeF numbered it).
#[utoipa::path(get, path = "/api/v1/invoices/{id}/pdf", tag = "invoices",
    params(("id" = i64, Path, description = "invoice id")),
    responses(
        (status = 200, description = "The stored PDF", content_type = "application/pdf"),
        (status = 404, description = "No such invoice, or no PDF", body = Problem, content_type = "application/problem+json"),
    ))]
#[get("/api/v1/invoices/<id>/pdf")]
pub async fn invoice_pdf(id: InvoiceId, request: ApiRequest, app: &State<App>) -> ApiResponse {
    request
        .document(
            app,
            Scope::InvoicesRead,
            ContentType::PDF,
            move |conn, cx| billing::invoice_pdf(conn, &cx.documents().store, id),
        )
        .await
}

/// The FA(3) XML the invoice was sent to KSeF with; 404 until it was sent.
#[utoipa::path(get, path = "/api/v1/invoices/{id}/ksef.xml", tag = "invoices",
    params(("id" = i64, Path, description = "invoice id")),
    responses(
        (status = 200, description = "The FA(3) XML as sent", content_type = "application/xml"),
        (status = 404, description = "No such invoice, or not sent to KSeF", body = Problem, content_type = "application/problem+json"),
    ))]
#[get("/api/v1/invoices/<id>/ksef.xml")]
pub async fn invoice_xml(id: InvoiceId, request: ApiRequest, app: &State<App>) -> ApiResponse {
    request
        .document(
            app,
            Scope::InvoicesRead,
            ContentType::XML,
            move |conn, _| billing::invoice_xml(conn, id),
        )
        .await
}

/// Record a payment: allocated like one staff record by hand (the oldest due invoices first,
/// the rest credit) and audited. Send an `Idempotency-Key`: a repeat records nothing again.
#[utoipa::path(post, path = "/api/v1/payments", tag = "payments",
    request_body = PaymentIn,
    params(("Idempotency-Key" = Option<String>, Header, description = "repeat-safe writes")),
    responses(
        (status = 201, description = "Recorded and allocated", body = PaymentOut),
        (status = 422, description = "Field problems", body = Problem, content_type = "application/problem+json"),
    ))]
#[post("/api/v1/payments", data = "<body>")]
pub async fn create_payment(
    body: JsonBody<PaymentIn>,
    request: ApiRequest,
    app: &State<App>,
) -> ApiResponse {
    let (input, bytes) = body!(request, body);
    request
        .write(app, Scope::PaymentsWrite, bytes, move |conn, cx| {
            billing::create_payment(conn, &input, &cx.actor(), cx.today, cx.now)
        })
        .await
}

/// Import a bank statement file (MT940, MT942, a bank's CSV export, the documented CSV or
/// Elixir-0), sent as the body as the bank gave it, and book it at once as staff would preview
/// and commit it: matched credits become allocated payments, the rest waits for staff. Each
/// bank transaction is booked once however often its file is sent.
#[utoipa::path(post, path = "/api/v1/payments/statements", tag = "payments",
    request_body(content = String, content_type = "application/octet-stream", description = "the statement file"),
    params(
        ("format" = Option<String>, Query, description = "mt940, mt942, csv or elixir0; recognised when absent"),
        ("encoding" = Option<String>, Query, description = "utf8, windows1250 or iso8859_2; recognised when absent"),
        ("name" = Option<String>, Query, description = "the file's name, for the staff's list"),
        ("Idempotency-Key" = Option<String>, Header, description = "repeat-safe writes"),
    ),
    responses(
        (status = 201, description = "Imported and booked", body = StatementOut),
        (status = 422, description = "The file cannot be read, or bad parameters", body = Problem, content_type = "application/problem+json"),
    ))]
#[post("/api/v1/payments/statements?<file..>", data = "<body>")]
pub async fn import_statement(
    file: StatementParams,
    body: FileBody,
    request: ApiRequest,
    app: &State<App>,
) -> ApiResponse {
    let bytes = body!(request, body);
    let input = StatementIn {
        bytes: bytes.clone(),
        format: file.format,
        encoding: file.encoding,
        name: file.name,
    };
    request
        .write(app, Scope::PaymentsWrite, bytes, move |conn, cx| {
            billing::import_statement(conn, &input, &cx.actor(), cx.now)
        })
        .await
}

/// What the query string says of an uploaded statement (each optional; see the document).
#[derive(Debug, Default, FromForm)]
pub struct StatementParams {
    format: Option<String>,
    encoding: Option<String>,
    name: Option<String>,
}

/// Support tickets, oldest first (cursor pagination; `updated_since`, `customer_id`).
#[utoipa::path(get, path = "/api/v1/tickets", tag = "tickets",
    params(
        ("cursor" = Option<String>, Query, description = "next_cursor of the previous page"),
        ("updated_since" = Option<String>, Query, description = "RFC 3339 time: only those changed since"),
        ("limit" = Option<i64>, Query, description = "1–500, 100 by default"),
        ("customer_id" = Option<i64>, Query, description = "one customer's tickets"),
    ),
    responses(
        (status = 200, description = "A page of tickets", body = TicketList),
        (status = 422, description = "Bad query", body = Problem, content_type = "application/problem+json"),
    ))]
#[get("/api/v1/tickets?<params..>")]
pub async fn list_tickets(
    params: ListParams,
    request: ApiRequest,
    app: &State<App>,
) -> ApiResponse {
    let query = list_query!(params, true);
    request
        .read(app, Scope::TicketsRead, move |conn, _| {
            tickets::list_tickets(conn, &query)
        })
        .await
}

/// Reply to the subscriber: the ticket becomes "answered" and the subscriber is mailed as they
/// chose; the reply is signed by the admin who created the token. Send an `Idempotency-Key`.
#[utoipa::path(post, path = "/api/v1/tickets/{id}/replies", tag = "tickets",
    request_body = ReplyIn,
    params(
        ("id" = i64, Path, description = "ticket id"),
        ("Idempotency-Key" = Option<String>, Header, description = "repeat-safe writes"),
    ),
    responses(
        (status = 201, description = "Replied", body = ReplyOut),
        (status = 404, description = "No such ticket", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Field problems", body = Problem, content_type = "application/problem+json"),
    ))]
#[post("/api/v1/tickets/<id>/replies", data = "<body>")]
pub async fn reply_to_ticket(
    id: i64,
    body: JsonBody<ReplyIn>,
    request: ApiRequest,
    app: &State<App>,
) -> ApiResponse {
    let (input, bytes) = body!(request, body);
    request
        .write(app, Scope::TicketsWrite, bytes, move |conn, cx| {
            tickets::reply(conn, cx.mail(), (cx.me.id, &cx.actor()), id, &input, cx.now)
        })
        .await
}
