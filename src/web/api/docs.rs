//! The OpenAPI 3.1 document, generated from the handlers and types by utoipa, at
//! `/api/v1/openapi.json`, and a reference page rendered from it on the server at
//! `/api/v1/docs` (no script, nothing from a CDN).

use rocket::http::ContentType;
use rocket::{Route, State, get, routes};
use serde_json::{Value, json};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use super::handlers;
use crate::app::api::billing::{
    AllocationOut, InvoiceList, InvoiceOut, PaymentIn, PaymentOut, StatementOut,
};
use crate::app::api::ingest::{
    CounterIn, SessionIn, SessionsIn, SessionsReport, TrafficIn, TrafficReport,
};
use crate::app::api::resources::{
    ContractIn, ContractList, ContractOut, CustomerIn, CustomerList, CustomerOut, EndpointIn,
    EndpointList, EndpointOut, NetworkEntry, NetworkView, ServiceIn, ServiceList, ServiceOut,
    TariffList, TariffOut,
};
use crate::app::api::tickets::{ReplyIn, ReplyOut, TicketList, TicketOut};
use crate::app::api::{self, FieldProblem, Problem};
use crate::i18n::Lang;
use crate::web::Site;
use crate::web::page::Layout;
use crate::web::views::{Template, context};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "e-BOK JSON API",
        version = "1",
        description = "Provisioning and integrations for the ISP's own systems. Every call but \
            this document and its reference page needs `Authorization: Bearer <token>` (tokens \
            are made by an admin under Staff → API tokens). Errors are RFC 9457 problems; \
            writes accept an `Idempotency-Key`."
    ),
    paths(
        openapi_json,
        reference,
        handlers::list_customers,
        handlers::get_customer,
        handlers::create_customer,
        handlers::update_customer,
        handlers::list_contracts,
        handlers::get_contract,
        handlers::create_contract,
        handlers::update_contract,
        handlers::suspend_contract,
        handlers::list_services,
        handlers::get_service,
        handlers::create_service,
        handlers::update_service,
        handlers::suspend_service,
        handlers::list_endpoints,
        handlers::get_endpoint,
        handlers::create_endpoint,
        handlers::update_endpoint,
        handlers::suspend_endpoint,
        handlers::list_tariffs,
        handlers::network,
        handlers::ingest_traffic,
        handlers::ingest_sessions,
        handlers::list_invoices,
        handlers::get_invoice,
        handlers::invoice_pdf,
        handlers::invoice_xml,
        handlers::create_payment,
        handlers::import_statement,
        handlers::list_tickets,
        handlers::reply_to_ticket,
    ),
    components(schemas(
        Problem, FieldProblem, CustomerIn, CustomerOut, CustomerList, ContractIn, ContractOut,
        ContractList, ServiceIn, ServiceOut, ServiceList, EndpointIn, EndpointOut, EndpointList,
        TariffOut, TariffList, NetworkEntry, NetworkView, CounterIn, TrafficIn, TrafficReport,
        SessionIn, SessionsIn, SessionsReport, InvoiceOut, InvoiceList, PaymentIn, PaymentOut,
        AllocationOut, StatementOut, TicketOut, TicketList, ReplyIn, ReplyOut
    )),
    modifiers(&BearerAuth),
    security(("bearer" = [])),
)]
struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// The API's OpenAPI 3.1 document.
pub fn openapi_document() -> Value {
    serde_json::to_value(ApiDoc::openapi()).unwrap_or(Value::Null)
}

pub fn routes() -> Vec<Route> {
    routes![openapi_json, reference]
}

/// This document.
#[utoipa::path(get, path = "/api/v1/openapi.json", tag = "reference", security(()),
    responses((status = 200, description = "The OpenAPI 3.1 document", content_type = "application/json")))]
#[get("/api/v1/openapi.json")]
fn openapi_json() -> (ContentType, String) {
    (ContentType::JSON, openapi_document().to_string())
}

/// The reference page, rendered from this document.
#[utoipa::path(get, path = "/api/v1/docs", tag = "reference", security(()),
    responses((status = 200, description = "The reference page", content_type = "text/html")))]
#[get("/api/v1/docs")]
fn reference(site: &State<Site>, lang: Lang) -> Template {
    let doc = openapi_document();
    let operations = operations(&doc);
    let schemas = schemas(&doc);
    let problems = api::problem_catalogue();
    let description = doc["info"]["description"].as_str().unwrap_or("").to_owned();
    let layout = Layout::bare(site.0.as_ref().clone(), lang);
    Template::render(
        "api/reference",
        context! { layout, description, operations, schemas, problems },
    )
}

/// The operations, in the document's order of paths, as rows for the page.
fn operations(doc: &Value) -> Vec<Value> {
    let mut rows = Vec::new();
    let Some(paths) = doc["paths"].as_object() else {
        return rows;
    };
    for (path, item) in paths {
        let Some(item) = item.as_object() else {
            continue;
        };
        for (method, op) in item {
            let params: Vec<Value> = op["parameters"]
                .as_array()
                .map(|list| {
                    list.iter()
                        .map(|p| {
                            json!({
                                "name": p["name"], "in": p["in"],
                                "required": p["required"].as_bool().unwrap_or(false),
                                "description": p["description"],
                            })
                        })
                        .collect()
                })
                .unwrap_or_default();
            let body = op["requestBody"]["content"]["application/json"]["schema"]["$ref"]
                .as_str()
                .map(schema_name);
            let responses: Vec<Value> = op["responses"]
                .as_object()
                .map(|map| {
                    map.iter()
                        .map(|(status, r)| {
                            let schema = r["content"]
                                .as_object()
                                .and_then(|c| c.values().next())
                                .and_then(|m| m["schema"]["$ref"].as_str())
                                .map(schema_name);
                            json!({ "status": status, "description": r["description"], "schema": schema })
                        })
                        .collect()
                })
                .unwrap_or_default();
            rows.push(json!({
                "method": method.to_uppercase(),
                "path": path,
                "anchor": format!("{method}-{}", path.replace(['/', '{', '}', '.'], "-")),
                "summary": op["summary"],
                "description": op["description"],
                "tag": op["tags"][0],
                "params": params,
                "body": body,
                "responses": responses,
                "public": op["security"].as_array().is_some_and(|s| s.iter().all(|r| r.as_object().is_some_and(|o| o.is_empty()))),
            }));
        }
    }
    rows
}

fn schema_name(reference: &str) -> String {
    reference.rsplit('/').next().unwrap_or(reference).to_owned()
}

/// The schemas with their fields.
fn schemas(doc: &Value) -> Vec<Value> {
    let Some(schemas) = doc["components"]["schemas"].as_object() else {
        return Vec::new();
    };
    schemas
        .iter()
        .map(|(name, schema)| {
            let required: Vec<&str> = schema["required"]
                .as_array()
                .map(|r| r.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default();
            let fields: Vec<Value> = schema["properties"]
                .as_object()
                .map(|props| {
                    props
                        .iter()
                        .map(|(field, p)| {
                            json!({
                                "name": field,
                                "type": type_of(p),
                                "required": required.contains(&field.as_str()),
                                "description": p["description"],
                            })
                        })
                        .collect()
                })
                .unwrap_or_default();
            json!({
                "name": name,
                "description": schema["description"],
                "fields": fields,
                "example": schema.get("example").map(|e| serde_json::to_string_pretty(e).unwrap_or_default()),
            })
        })
        .collect()
}

fn type_of(p: &Value) -> String {
    if let Some(reference) = p["$ref"].as_str() {
        return schema_name(reference);
    }
    match &p["type"] {
        Value::String(t) if t == "array" => format!("array of {}", type_of(&p["items"])),
        Value::String(t) => match p["format"].as_str() {
            Some(format) => format!("{t} ({format})"),
            None => t.clone(),
        },
        Value::Array(types) => types
            .iter()
            .filter_map(Value::as_str)
            .collect::<Vec<_>>()
            .join(" | "),
        _ => p["oneOf"]
            .as_array()
            .map(|alts| alts.iter().map(type_of).collect::<Vec<_>>().join(" | "))
            .unwrap_or_else(|| "any".into()),
    }
}
