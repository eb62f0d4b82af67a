//! Hostile input on every route (issue 24, part 6): the walk is generated from the application's
//! own route table, so a new route is covered without anyone remembering it. As a visitor, a
//! subscriber and a staff admin, every GET route is asked with each dynamic segment and query
//! parameter replaced by ids of the signed-in customer, another customer's ids and garbage
//! (negative, huge, not a number, broken percent-encoding, Polish letters); then every form the
//! walk saw on a page is posted with a valid CSRF token and its fields empty, huge, of the wrong
//! type and as invalid UTF-8. No answer may be a 500 and nothing may panic.

mod common;

use std::collections::{BTreeMap, BTreeSet};

use common::TestApp;
use rocket::http::{ContentType, Header, Method, Status};
use rocket::local::blocking::Client;

/// What a path segment or query value is replaced with.
const VALUES: &[&str] = &[
    "1",
    "2",
    "3",
    "999999",
    "0",
    "-1",
    "99999999999999999999999",
    "abc",
    "%FF%FE",
    "%C4%85%C5%BA",
    "..%2F..%2Fetc%2Fpasswd",
    "1.5",
];

/// Routes the walk does not call: signing out would end the walk's own session, and a run of
/// the billing would issue real invoices for a minute while the walk goes on (it has its own
/// tests for bad input).
fn skipped(method: Method, path: &str) -> bool {
    path.contains("wyloguj")
        || path.contains("logout")
        || (method == Method::Post && path.starts_with("/staff/rozliczenia"))
}

/// `/faktury/<id>/pdf` with `<id>` = value; `<path..>` segments too.
fn fill(pattern: &str, value: &str) -> String {
    pattern
        .split('/')
        .map(|segment| {
            if segment.starts_with('<') && segment.ends_with('>') {
                value.to_owned()
            } else {
                segment.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// `?<rok>&<status>` (or `?lang=<lang>`) with every parameter = value.
fn query(pattern: Option<&str>, value: &str) -> String {
    let Some(pattern) = pattern else {
        return String::new();
    };
    let pairs: Vec<String> = pattern
        .split('&')
        .map(|part| {
            let name = part
                .split('=')
                .next()
                .unwrap_or(part)
                .trim_matches(|c| c == '<' || c == '>' || c == '.');
            format!("{name}={value}")
        })
        .collect();
    format!("?{}", pairs.join("&"))
}

/// A form seen on a page: where it posts and its field names.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct SeenForm {
    action: String,
    multipart: bool,
    fields: Vec<String>,
}

fn forms_on(html: &str) -> Vec<SeenForm> {
    let document = scraper::Html::parse_document(html);
    let form_selector = scraper::Selector::parse("form[method=post], form[method=POST]").unwrap();
    let field_selector =
        scraper::Selector::parse("input[name], select[name], textarea[name]").unwrap();
    document
        .select(&form_selector)
        .filter_map(|form| {
            let action = form.value().attr("action")?.to_owned();
            if !action.starts_with('/') {
                return None;
            }
            let multipart = form
                .value()
                .attr("enctype")
                .is_some_and(|e| e.contains("multipart"));
            let fields: BTreeSet<String> = form
                .select(&field_selector)
                .filter_map(|f| f.value().attr("name"))
                .filter(|name| *name != "csrf_token")
                .map(str::to_owned)
                .collect();
            Some(SeenForm {
                action,
                multipart,
                fields: fields.into_iter().collect(),
            })
        })
        .collect()
}

fn csrf(client: &Client) -> Option<String> {
    for page in ["/staff/login", "/dane", "/logowanie", "/staff"] {
        let html = client
            .get(page)
            .dispatch()
            .into_string()
            .unwrap_or_default();
        let document = scraper::Html::parse_document(&html);
        let selector = scraper::Selector::parse("input[name=csrf_token]").unwrap();
        if let Some(token) = document
            .select(&selector)
            .next()
            .and_then(|input| input.value().attr("value"))
        {
            return Some(token.to_owned());
        }
    }
    None
}

/// Percent-encodes a form value; `raw` values are sent as they are (to carry broken encodings).
fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            other => format!("%{other:02X}"),
        })
        .collect()
}

/// The bodies a form is posted with: each as (description, urlencoded body after the token).
fn hostile_bodies(fields: &[String]) -> Vec<(&'static str, String)> {
    let all = |value: &str| {
        fields
            .iter()
            .map(|f| format!("{}={value}", encode(f)))
            .collect::<Vec<_>>()
            .join("&")
    };
    vec![
        ("no fields", String::new()),
        ("empty", all("")),
        ("wrong type", all("abc")),
        ("negative", all("-1")),
        ("huge number", all("99999999999999999999999")),
        ("huge text", all(&"x".repeat(100_000))),
        ("invalid UTF-8", all("%FF%FE%C3")),
        ("markup", all(&encode("<script>alert(1)</script>'\"--"))),
        ("repeated", format!("{}&{}", all("1"), all("2"))),
        ("unknown field", format!("{}&unknown_field=1", all("1"))),
    ]
}

struct Walk<'a> {
    failures: Vec<String>,
    forms: BTreeMap<String, SeenForm>,
    requests: usize,
    client: &'a Client,
    who: &'static str,
}

impl Walk<'_> {
    fn check(&mut self, method: &str, uri: &str, status: Status) {
        self.requests += 1;
        if status.code >= 500 && status != Status::ServiceUnavailable {
            self.failures
                .push(format!("{} {method} {uri} → {}", self.who, status.code));
        }
    }

    fn get(&mut self, uri: &str) {
        let response = self.client.get(uri.to_owned()).dispatch();
        let status = response.status();
        let html = if response
            .content_type()
            .is_some_and(|t| t == ContentType::HTML)
        {
            response.into_string().unwrap_or_default()
        } else {
            String::new()
        };
        self.check("GET", uri, status);
        for form in forms_on(&html) {
            self.forms.entry(form.action.clone()).or_insert(form);
        }
    }

    fn post(&mut self, uri: &str, token: &str, body: &str, multipart: bool) {
        let mut request = self
            .client
            .post(uri.to_owned())
            .header(Header::new("Origin", "http://127.0.0.1:8000"));
        let body = if body.is_empty() {
            format!("csrf_token={token}")
        } else {
            format!("csrf_token={token}&{body}")
        };
        // A multipart form (an upload) sent urlencoded must be refused cleanly too.
        let _ = multipart;
        request = request.header(ContentType::Form);
        let status = request.body(body).dispatch().status();
        self.check("POST", uri, status);
    }
}

fn walk_as(app: &TestApp, client: &Client, who: &'static str) -> (usize, Vec<String>) {
    let routes: Vec<(Method, String, Option<String>)> = app
        .client
        .rocket()
        .routes()
        .map(|route| {
            (
                route.method,
                route.uri.path().to_owned(),
                route.uri.query().map(str::to_owned),
            )
        })
        .collect();
    let mut walk = Walk {
        failures: Vec::new(),
        forms: BTreeMap::new(),
        requests: 0,
        client,
        who,
    };
    for (method, path, query_pattern) in &routes {
        if *method != Method::Get || skipped(*method, path) {
            continue;
        }
        let dynamic = path.contains('<') || query_pattern.is_some();
        if !dynamic {
            walk.get(path);
            continue;
        }
        for value in VALUES {
            let uri = format!(
                "{}{}",
                fill(path, value),
                query(query_pattern.as_deref(), value)
            );
            walk.get(&uri);
        }
    }
    // Every POST route in the table, with the forms' own fields where a page showed the form.
    let token = csrf(client).unwrap_or_default();
    let seen = walk.forms.clone();
    for (method, path, _) in &routes {
        if *method != Method::Post || skipped(*method, path) {
            continue;
        }
        let targets: Vec<(String, Vec<String>, bool)> = {
            let matching: Vec<&SeenForm> = seen
                .values()
                .filter(|form| same_route(path, &form.action))
                .collect();
            if matching.is_empty() {
                vec![(
                    fill(path, "1"),
                    vec!["id".to_owned(), "value".to_owned()],
                    false,
                )]
            } else {
                matching
                    .into_iter()
                    .map(|form| (form.action.clone(), form.fields.clone(), form.multipart))
                    .collect()
            }
        };
        for (action, fields, multipart) in targets {
            if skipped(Method::Post, &action) {
                continue;
            }
            for (_, body) in hostile_bodies(&fields) {
                walk.post(&action, &token, &body, multipart);
            }
            // The same form against another customer's or no such record.
            if path.contains('<') {
                for value in ["999999", "-1", "abc"] {
                    walk.post(&fill(path, value), &token, "", multipart);
                }
            }
        }
    }
    (walk.requests, walk.failures)
}

/// `/zgloszenia/<id>/odpowiedz` matches `/zgloszenia/12/odpowiedz`.
fn same_route(pattern: &str, action: &str) -> bool {
    let action = action.split('?').next().unwrap_or(action);
    let (a, b): (Vec<&str>, Vec<&str>) =
        (pattern.split('/').collect(), action.split('/').collect());
    a.len() == b.len()
        && a.iter()
            .zip(&b)
            .all(|(p, s)| (p.starts_with('<') && p.ends_with('>')) || p == s)
}

fn no_route_answers_500_to_hostile_input(app: TestApp) {
    let app = app.with_demo(3);
    let subscriber = app.another_browser();
    let signed_in = common::log_in(&subscriber, "demo", ebok::app::demo::DEMO_PASSWORD);
    assert_eq!(signed_in.status(), Status::SeeOther);
    let staff = common::staff_client(&app, "admin", "Admin-ebok-2026");
    let visitor = app.another_browser();

    let mut requests = 0;
    let mut failures = Vec::new();
    for (who, client) in [
        ("visitor", &visitor),
        ("subscriber", &subscriber),
        ("staff admin", &staff),
    ] {
        let (asked, failed) = walk_as(&app, client, who);
        requests += asked;
        failures.extend(failed);
    }
    eprintln!(
        "route walk: {requests} requests, {} answered 500",
        failures.len()
    );
    assert!(
        requests > 1_000,
        "the walk covered the route table: {requests}"
    );
    assert!(failures.is_empty(), "answers 500:\n{}", failures.join("\n"));
}

backend_tests!(no_route_answers_500_to_hostile_input);
