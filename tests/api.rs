//! The JSON API under /api/v1 (issue 21): provisioning through the API only, tokens made by an
//! admin in the staff panel, scopes, source networks, the rate limit, Idempotency-Key, ETag on
//! the network view, RFC 9457 problems for bad input, and the OpenAPI document that covers every
//! route and whose examples validate.

mod common;

use chrono::Duration;
use common::{TestApp, count, log_in, scalar_i64, staff_client};
use ebok::app::{clock, demo};
use ebok::domain::StoredWord;
use rocket::http::{ContentType, Header, Status};
use rocket::local::blocking::{Client, LocalResponse};
use serde_json::{Value, json};

backend_tests!(
    provisioning_runs_through_the_api_alone,
    tokens_are_checked_scoped_limited_and_audited,
    writes_with_an_idempotency_key_happen_once,
    the_network_view_answers_304_while_nothing_changed,
    traffic_and_radius_sessions_come_in_through_the_api_once,
    invoices_and_payments_through_the_api,
    the_demo_hands_out_a_working_api_token,
    tickets_are_listed_and_answered_through_the_api,
    a_bank_statement_comes_in_through_the_api_and_is_booked_once,
);

/// Makes a token through the staff panel's form, as an admin; answers the token shown once.
fn make_token(app: &TestApp, name: &str, scopes: &[&str], networks: &str, rate: &str) -> String {
    let admin = staff_client(app, demo::ADMIN_LOGIN, demo::ADMIN_PASSWORD);
    let mut fields = vec![
        ("name", name),
        ("allowed_networks", networks),
        ("rate_per_minute", rate),
        ("expires_on", ""),
    ];
    for scope in scopes {
        fields.push(("scopes", scope));
    }
    let response = common::post(&admin, "/staff/tokeny-api", "/staff/tokeny-api", &fields);
    assert_eq!(response.status(), Status::Ok, "token form");
    let html = response.into_string().unwrap_or_default();
    let document = scraper::Html::parse_document(&html);
    let selector = scraper::Selector::parse("#new-token").expect("selector");
    let token = document
        .select(&selector)
        .next()
        .map(|e| e.text().collect::<String>())
        .expect("the new token is shown once");
    // Shown once: the list page does not carry it.
    let again = admin
        .get("/staff/tokeny-api")
        .dispatch()
        .into_string()
        .unwrap_or_default();
    assert!(again.contains(name) && !again.contains(&token));
    token
}

struct Api<'c> {
    client: &'c Client,
    token: String,
}

impl<'c> Api<'c> {
    fn call(
        &self,
        method: &str,
        path: &str,
        body: Option<&str>,
        headers: &[(&str, &str)],
    ) -> LocalResponse<'c> {
        let mut request = match method {
            "GET" => self.client.get(path.to_owned()),
            "POST" => self.client.post(path.to_owned()),
            "PUT" => self.client.put(path.to_owned()),
            other => panic!("{other}"),
        };
        request = request.header(Header::new(
            "Authorization",
            format!("Bearer {}", self.token),
        ));
        for (name, value) in headers {
            request = request.header(Header::new(name.to_string(), value.to_string()));
        }
        if let Some(body) = body {
            request = request.header(ContentType::JSON).body(body);
        }
        request.dispatch()
    }

    fn json(&self, method: &str, path: &str, body: Option<Value>) -> (Status, Value) {
        let text = body.map(|b| b.to_string());
        let response = self.call(method, path, text.as_deref(), &[]);
        read(response)
    }
}

fn read(response: LocalResponse<'_>) -> (Status, Value) {
    let status = response.status();
    let problem = status.code >= 400;
    let kind = response.content_type().map(|c| c.to_string());
    let text = response.into_string().unwrap_or_default();
    if problem {
        assert_eq!(
            kind.as_deref(),
            Some("application/problem+json"),
            "a refusal is a problem: {text}"
        );
    }
    let value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("JSON ({e}): {text}"));
    (status, value)
}

fn problem_type(value: &Value) -> &str {
    value["type"].as_str().unwrap_or("")
}

fn customer_body(email: &str) -> Value {
    json!({
        "kind": "company", "company_name": "Hurtownia Nowak sp. z o.o.", "nip": "5252248481",
        "address_line": "ul. Długa 5", "postal_code": "00-001", "city": "Warszawa",
        "email": email, "phone": "600100200", "language": "pl"
    })
}

fn provisioning_runs_through_the_api_alone(app: TestApp) {
    let app = app.with_demo(0);
    let token = make_token(
        &app,
        "provisioning",
        &["customers:read", "customers:write", "network:read"],
        "",
        "1000",
    );
    let api = Api {
        client: &app.client,
        token,
    };

    // Customer.
    let (status, customer) = api.json(
        "POST",
        "/api/v1/customers",
        Some(customer_body("hurt@example.com")),
    );
    assert_eq!(status, Status::Created, "{customer}");
    let customer_id = customer["id"].as_i64().expect("id");
    assert!(customer["customer_number"].as_i64().is_some());
    assert_eq!(customer["bank_account"].as_str().map(str::len), Some(26));

    // Bad input: an unknown field, a missing one, broken JSON, bad values; all problems.
    let mut unknown = customer_body("x@example.com");
    unknown["shoe_size"] = json!(44);
    let (status, problem) = api.json("POST", "/api/v1/customers", Some(unknown));
    assert_eq!(status, Status::UnprocessableEntity);
    assert_eq!(problem_type(&problem), "/api/v1/problems/validation");
    assert_eq!(problem["errors"][0]["field"], "shoe_size");
    let (status, problem) = api.json("POST", "/api/v1/customers", Some(json!({"kind": "person"})));
    assert_eq!(status, Status::UnprocessableEntity);
    assert_eq!(problem["errors"][0]["code"], "api-missing-field");
    let response = api.call("POST", "/api/v1/customers", Some("{\"kind\": "), &[]);
    let (status, problem) = read(response);
    assert_eq!(status, Status::BadRequest);
    assert_eq!(problem_type(&problem), "/api/v1/problems/malformed-body");
    let mut bad = customer_body("not-an-address");
    bad["postal_code"] = json!("0001");
    let (status, problem) = api.json("POST", "/api/v1/customers", Some(bad));
    assert_eq!(status, Status::UnprocessableEntity);
    let fields: Vec<&str> = problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["field"].as_str())
        .collect();
    assert!(
        fields.contains(&"email") && fields.contains(&"postal_code"),
        "{problem}"
    );
    assert!(
        problem["errors"][0]["message"]
            .as_str()
            .is_some_and(|m| !m.is_empty())
    );

    // Contract on a tariff from the API.
    let (status, tariffs) = api.json("GET", "/api/v1/tariffs", None);
    assert_eq!(status, Status::Ok);
    let tariff = tariffs["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["active"] == true)
        .expect("an active tariff")
        .clone();
    let contract_body = json!({
        "customer_id": customer_id, "number": "API/2026/0001", "tariff_id": tariff["id"],
        "signed_on": "2026-12-01", "starts_on": "2026-12-01", "term_months": 24,
        "monthly_fee": "79.99", "billing_day": 1, "install_address_line": "ul. Długa 5",
        "install_postal_code": "00-001", "install_city": "Warszawa"
    });
    let (status, contract) = api.json("POST", "/api/v1/contracts", Some(contract_body.clone()));
    assert_eq!(status, Status::Created, "{contract}");
    assert_eq!(contract["monthly_fee"], "79.99");
    let contract_id = contract["id"].as_i64().unwrap();
    let (status, problem) = api.json("POST", "/api/v1/contracts", Some(contract_body));
    assert_eq!(status, Status::UnprocessableEntity);
    assert_eq!(problem["errors"][0]["field"], "number");

    // Service and endpoint.
    let (status, service) = api.json(
        "POST",
        "/api/v1/services",
        Some(json!({
            "customer_id": customer_id, "contract_id": contract_id, "kind": "internet",
            "name": "Internet światłowodowy", "activated_on": "2026-12-01", "monthly_fee": "0.00"
        })),
    );
    assert_eq!(status, Status::Created, "{service}");
    let service_id = service["id"].as_i64().unwrap();
    let endpoint_body = json!({
        "service_id": service_id, "ipv4": "100.64.200.17", "mac": "02:11:22:33:44:55",
        "pppoe_login": "hurtownia.nowak", "pppoe_password": "Tajne-Haslo-1",
        "address_line": "ul. Długa 5", "postal_code": "00-001", "city": "Warszawa"
    });
    let (status, endpoint) = api.json("POST", "/api/v1/endpoints", Some(endpoint_body.clone()));
    assert_eq!(status, Status::Created, "{endpoint}");
    assert!(
        endpoint.get("pppoe_password").is_none(),
        "the password is never returned"
    );
    let endpoint_id = endpoint["id"].as_i64().unwrap();
    assert_eq!(endpoint["customer_id"], customer_id);
    // The same IP again is a field problem.
    let mut clash = endpoint_body.clone();
    clash["pppoe_login"] = json!("someone.else");
    clash["mac"] = json!("02:11:22:33:44:66");
    let (status, problem) = api.json("POST", "/api/v1/endpoints", Some(clash));
    assert_eq!(status, Status::UnprocessableEntity);
    assert_eq!(problem["errors"][0]["field"], "ipv4");
    assert_eq!(problem["errors"][0]["code"], "staff-error-ipv4-taken");

    // The network view has it, at the tariff's speed, on.
    let (status, view) = api.json("GET", "/api/v1/network", None);
    assert_eq!(status, Status::Ok);
    let entry = |view: &Value| {
        view["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["endpoint_id"] == endpoint_id)
            .cloned()
            .expect("the endpoint is in the network view")
    };
    let before = entry(&view);
    assert_eq!(before["ipv4"], "100.64.200.17");
    assert_eq!(before["pppoe_login"], "hurtownia.nowak");
    assert_eq!(before["download_mbps"], tariff["download_mbps"]);
    assert_eq!(before["access_enabled"], true);
    assert_eq!(before["blocked"], false);

    // Update, then suspend.
    let mut changed = endpoint_body.clone();
    changed["ipv4"] = json!("100.64.200.18");
    changed.as_object_mut().unwrap().remove("pppoe_password");
    let (status, endpoint) = api.json(
        "PUT",
        &format!("/api/v1/endpoints/{endpoint_id}"),
        Some(changed),
    );
    assert_eq!(status, Status::Ok, "{endpoint}");
    assert_eq!(endpoint["ipv4"], "100.64.200.18");
    let (status, suspended) = api.json(
        "POST",
        &format!("/api/v1/endpoints/{endpoint_id}/suspend"),
        None,
    );
    assert_eq!(status, Status::Ok);
    assert_eq!(suspended["access_enabled"], false);
    let (_, view) = api.json("GET", "/api/v1/network", None);
    assert_eq!(entry(&view)["access_enabled"], false);
    let (status, service) = api.json(
        "POST",
        &format!("/api/v1/services/{service_id}/suspend"),
        None,
    );
    assert_eq!(status, Status::Ok);
    assert_eq!(service["status"], "suspended");
    let (status, contract) = api.json(
        "POST",
        &format!("/api/v1/contracts/{contract_id}/suspend"),
        None,
    );
    assert_eq!(status, Status::Ok);
    assert_eq!(contract["status"], "suspended");

    // Lists: cursor pages cover everything once; updated_since narrows.
    let mut seen = Vec::new();
    let mut cursor = String::new();
    loop {
        let (status, page) = api.json(
            "GET",
            &format!("/api/v1/customers?limit=2&cursor={cursor}"),
            None,
        );
        assert_eq!(status, Status::Ok);
        for item in page["items"].as_array().unwrap() {
            seen.push(item["id"].as_i64().unwrap());
        }
        match page["next_cursor"].as_str() {
            Some(next) => cursor = next.to_owned(),
            None => break,
        }
    }
    let all = count(&mut app.conn(), "SELECT id FROM customers");
    assert_eq!(seen.len() as i64, all);
    assert!(seen.windows(2).all(|w| w[0] < w[1]) && seen.contains(&customer_id));
    let (_, future) = api.json(
        "GET",
        "/api/v1/endpoints?updated_since=2100-01-01T00:00:00Z",
        None,
    );
    assert_eq!(future["items"].as_array().unwrap().len(), 0);
    let (_, mine) = api.json(
        "GET",
        &format!("/api/v1/endpoints?customer_id={customer_id}&updated_since=2000-01-01T00:00:00Z"),
        None,
    );
    assert_eq!(mine["items"].as_array().unwrap().len(), 1);
    let (status, problem) = api.json(
        "GET",
        "/api/v1/services?limit=0&updated_since=yesterday",
        None,
    );
    assert_eq!(status, Status::UnprocessableEntity);
    assert_eq!(problem["errors"].as_array().unwrap().len(), 2);

    // Unknown things are 404 problems, never pages.
    for path in ["/api/v1/customers/999999", "/api/v1/nothing-here"] {
        let (status, problem) = api.json("GET", path, None);
        assert_eq!(status, Status::NotFound, "{path}");
        assert_eq!(problem["status"], 404);
    }
    // An id that is not a number: Rocket refuses the segment (422), as a problem too.
    let (status, problem) = api.json("GET", "/api/v1/customers/abc", None);
    assert_eq!(status, Status::UnprocessableEntity);
    assert_eq!(problem["status"], 422);
    let (status, _) = read(api.call(
        "POST",
        "/api/v1/customers",
        Some("a=b"),
        &[("Content-Type", "application/x-www-form-urlencoded")],
    ));
    assert_eq!(status.code, 415);

    // Each call is in the audit log with the token's name; writes too, as the API.
    let calls = count(
        &mut app.conn(),
        "SELECT id FROM audit_log WHERE action = 'api_call' AND actor_kind = 'system' AND details LIKE '%\"api_token\":\"provisioning\"%'",
    );
    assert!(calls >= 20, "{calls} audited calls");
    let created = count(
        &mut app.conn(),
        "SELECT id FROM audit_log WHERE action = 'endpoint_created' AND details LIKE '%\"api_token\":\"provisioning\"%'",
    );
    assert_eq!(created, 1);
}

fn tokens_are_checked_scoped_limited_and_audited(app: TestApp) {
    let app = app.with_demo(0);
    // No token, a wrong one.
    let (status, problem) = read(app.client.get("/api/v1/customers").dispatch());
    assert_eq!(status, Status::Unauthorized);
    assert_eq!(problem_type(&problem), "/api/v1/problems/unauthorized");
    let wrong = Api {
        client: &app.client,
        token: "ebok_nope".into(),
    };
    assert_eq!(
        wrong.json("GET", "/api/v1/customers", None).0,
        Status::Unauthorized
    );

    // A read-only token cannot write.
    let reader = Api {
        client: &app.client,
        token: make_token(&app, "reader", &["customers:read"], "", "1000"),
    };
    assert_eq!(reader.json("GET", "/api/v1/customers", None).0, Status::Ok);
    let (status, problem) = reader.json(
        "POST",
        "/api/v1/customers",
        Some(customer_body("r@example.com")),
    );
    assert_eq!(status, Status::Forbidden);
    assert_eq!(
        problem_type(&problem),
        "/api/v1/problems/insufficient-scope"
    );
    let (status, _) = reader.json("GET", "/api/v1/network", None);
    assert_eq!(status, Status::Forbidden);
    assert_eq!(
        count(
            &mut app.conn(),
            "SELECT id FROM customers WHERE email = 'r@example.com'"
        ),
        0
    );

    // A token for another network.
    let elsewhere = Api {
        client: &app.client,
        token: make_token(&app, "routers", &["network:read"], "192.0.2.0/24", "1000"),
    };
    let response = app
        .client
        .get("/api/v1/network")
        .header(Header::new(
            "Authorization",
            format!("Bearer {}", elsewhere.token),
        ))
        .remote("198.51.100.7:5000".parse().unwrap())
        .dispatch();
    let (status, problem) = read(response);
    assert_eq!(status, Status::Forbidden);
    assert_eq!(problem_type(&problem), "/api/v1/problems/network-denied");
    let response = app
        .client
        .get("/api/v1/network")
        .header(Header::new(
            "Authorization",
            format!("Bearer {}", elsewhere.token),
        ))
        .remote("192.0.2.10:5000".parse().unwrap())
        .dispatch();
    assert_eq!(response.status(), Status::Ok);

    // Three calls a minute: the fourth is 429 with Retry-After.
    let slow = Api {
        client: &app.client,
        token: make_token(&app, "slow", &["customers:read"], "", "3"),
    };
    for _ in 0..3 {
        assert_eq!(slow.json("GET", "/api/v1/tariffs", None).0, Status::Ok);
    }
    let response = slow.call("GET", "/api/v1/tariffs", None, &[]);
    let retry_after: u64 = response
        .headers()
        .get_one("Retry-After")
        .and_then(|s| s.parse().ok())
        .expect("Retry-After");
    assert!((1..=60).contains(&retry_after));
    let (status, problem) = read(response);
    assert_eq!(status, Status::TooManyRequests);
    assert_eq!(problem_type(&problem), "/api/v1/problems/rate-limited");
    assert_eq!(problem["retry_after"], retry_after);
    // Other tokens are not held back by it.
    assert_eq!(reader.json("GET", "/api/v1/tariffs", None).0, Status::Ok);

    // Revoked in the panel: refused at once.
    let admin = staff_client(&app, demo::ADMIN_LOGIN, demo::ADMIN_PASSWORD);
    let id = common::scalar_i64(&app, "SELECT id AS v FROM api_tokens WHERE name = 'reader'");
    let path = format!("/staff/tokeny-api/{id}/uniewaznij");
    let response = common::post(&admin, "/staff/tokeny-api", &path, &[]);
    assert_eq!(response.status(), Status::SeeOther);
    let (status, problem) = reader.json("GET", "/api/v1/customers", None);
    assert_eq!(status, Status::Unauthorized);
    assert_eq!(problem_type(&problem), "/api/v1/problems/token-expired");
    assert_eq!(
        count(
            &mut app.conn(),
            "SELECT id FROM audit_log WHERE action = 'api_token_revoked'"
        ),
        1
    );

    // Only the hash is stored.
    assert_eq!(
        count(
            &mut app.conn(),
            &format!(
                "SELECT id FROM api_tokens WHERE token_hash = '{}'",
                slow.token
            )
        ),
        0
    );
    // Billing staff do not see the page.
    let billing = staff_client(&app, "ksiegowosc", "Staff-ebok-2026");
    assert_eq!(
        billing.get("/staff/tokeny-api").dispatch().status(),
        Status::Forbidden
    );
}

fn writes_with_an_idempotency_key_happen_once(app: TestApp) {
    let app = app.with_demo(0);
    let api = Api {
        client: &app.client,
        token: make_token(
            &app,
            "crm",
            &["customers:read", "customers:write"],
            "",
            "1000",
        ),
    };
    let body = customer_body("once@example.com").to_string();
    let key = [("Idempotency-Key", "order-4711")];
    let first = api.call("POST", "/api/v1/customers", Some(&body), &key);
    assert!(first.headers().get_one("Idempotent-Replayed").is_none());
    let (status, created) = read(first);
    assert_eq!(status, Status::Created);
    let second = api.call("POST", "/api/v1/customers", Some(&body), &key);
    assert_eq!(
        second.headers().get_one("Idempotent-Replayed"),
        Some("true")
    );
    let (status, again) = read(second);
    assert_eq!(status, Status::Created);
    assert_eq!(again, created, "the same answer");
    assert_eq!(
        count(
            &mut app.conn(),
            "SELECT id FROM customers WHERE email = 'once@example.com'"
        ),
        1
    );

    // The same key with another body is refused and does nothing.
    let other = customer_body("twice@example.com").to_string();
    let (status, problem) = read(api.call("POST", "/api/v1/customers", Some(&other), &key));
    assert_eq!(status, Status::UnprocessableEntity);
    assert_eq!(
        problem_type(&problem),
        "/api/v1/problems/idempotency-key-reused"
    );
    assert_eq!(
        count(
            &mut app.conn(),
            "SELECT id FROM customers WHERE email = 'twice@example.com'"
        ),
        0
    );

    // Without a key, the same body is a second customer.
    let (status, _) = read(api.call("POST", "/api/v1/customers", Some(&body), &[]));
    assert_eq!(status, Status::Created);
    assert_eq!(
        count(
            &mut app.conn(),
            "SELECT id FROM customers WHERE email = 'once@example.com'"
        ),
        2
    );
}

fn the_network_view_answers_304_while_nothing_changed(app: TestApp) {
    let app = app.with_demo(2);
    let api = Api {
        client: &app.client,
        token: make_token(
            &app,
            "routers",
            &["network:read", "customers:write"],
            "",
            "1000",
        ),
    };
    let first = api.call("GET", "/api/v1/network", None, &[]);
    assert_eq!(first.status(), Status::Ok);
    let tag = first.headers().get_one("ETag").expect("ETag").to_owned();
    let (_, view) = read(first);
    let endpoint_id = view["items"][0]["endpoint_id"]
        .as_i64()
        .expect("demo endpoints");
    let unchanged = api.call("GET", "/api/v1/network", None, &[("If-None-Match", &tag)]);
    assert_eq!(unchanged.status(), Status::NotModified);
    assert_eq!(unchanged.headers().get_one("ETag"), Some(tag.as_str()));
    assert!(unchanged.into_string().unwrap_or_default().is_empty());
    // A change anywhere gives a new tag and the whole view.
    let (status, _) = api.json(
        "POST",
        &format!("/api/v1/endpoints/{endpoint_id}/suspend"),
        None,
    );
    assert_eq!(status, Status::Ok);
    let changed = api.call("GET", "/api/v1/network", None, &[("If-None-Match", &tag)]);
    assert_eq!(changed.status(), Status::Ok);
    assert_ne!(changed.headers().get_one("ETag"), Some(tag.as_str()));
}

/// Every /api/v1 route Rocket mounts is in the OpenAPI document, with its method.
#[test]
fn the_openapi_document_covers_every_api_route() {
    let app = TestApp::sqlite();
    let response = app.client.get("/api/v1/openapi.json").dispatch();
    assert_eq!(response.status(), Status::Ok);
    let doc: Value = serde_json::from_str(&response.into_string().unwrap()).unwrap();
    assert_eq!(doc["openapi"].as_str().map(|v| &v[..3]), Some("3.1"));
    let mut checked = 0;
    for route in app.client.rocket().routes() {
        let path = route.uri.path().to_string();
        if !path.starts_with("/api/v1") {
            continue;
        }
        let documented = path
            .split('/')
            .map(
                |part| match part.strip_prefix('<').and_then(|p| p.strip_suffix('>')) {
                    Some(name) => format!("{{{name}}}"),
                    None => part.to_owned(),
                },
            )
            .collect::<Vec<_>>()
            .join("/");
        let method = route.method.as_str().to_ascii_lowercase();
        assert!(
            doc["paths"][&documented][&method].is_object(),
            "{} {documented} is not in the OpenAPI document",
            route.method
        );
        checked += 1;
    }
    assert!(checked >= 20, "only {checked} API routes");
    // The reference page renders from it, without a script from elsewhere.
    let page = app.client.get("/api/v1/docs").dispatch();
    assert_eq!(page.status(), Status::Ok);
    // Tera escapes "/" in what it prints.
    let html = page.into_string().unwrap().replace("&#x2F;", "/");
    assert!(
        html.contains("/api/v1/endpoints/{id}/suspend") && html.contains("idempotency-key-reused")
    );
    assert!(!html.contains("cdn") && !html.contains("<script src=\"http"));
}

/// The document validates with openapi-spec-validator, and every example in it validates
/// against its schema (jsonschema, which the validator brings). `.ci/run` installs both into
/// `.venv-openapi`; without them the test says so, and fails under CI.
#[test]
fn the_openapi_document_and_its_examples_validate() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let python = std::env::var_os("EBOK_OPENAPI_PYTHON")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| root.join(".venv-openapi/bin/python"));
    if !python.exists() {
        assert!(
            std::env::var_os("CI").is_none(),
            "{} is missing: .ci/run installs openapi-spec-validator there",
            python.display()
        );
        eprintln!(
            "NOTE: the OpenAPI validation did NOT run: {} is missing",
            python.display()
        );
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("openapi.json");
    std::fs::write(&file, ebok::web::api::openapi_document().to_string()).unwrap();
    let output = std::process::Command::new(&python)
        .arg(root.join("tests/data/validate_openapi.py"))
        .arg(&file)
        .output()
        .expect("run the validator");
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(output.status.success(), "{said}");
    let examples: usize = said
        .lines()
        .find_map(|l| l.strip_prefix("examples checked: "))
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or(0);
    assert!(examples >= 10, "{said}");
}

/// The demo subscriber's endpoint (tests/traffic.rs uses it too).
const DEMO_IP: &str = "203.0.113.17";

fn traffic_and_radius_sessions_come_in_through_the_api_once(app: TestApp) {
    let app = app.with_config(|c| c.traffic_raw_days = 30).with_demo(0);
    let collector = Api {
        client: &app.client,
        token: make_token(
            &app,
            "collector",
            &["traffic:write", "radius:write"],
            "",
            "1000",
        ),
    };
    // A whole Polish day ten days back, a counter every 5 minutes, and one for an IP no
    // endpoint has.
    let day = clock::today() - Duration::days(10);
    let (from, to) = ebok::domain::traffic::day_hours(day);
    let mut counters = Vec::new();
    let (mut sum_in, mut sum_out) = (0_i64, 0_i64);
    let mut at = from;
    let mut i = 0_i64;
    while at < to {
        counters.push(json!({
            "ip": DEMO_IP, "interval_start": format!("{}Z", at.format("%Y-%m-%dT%H:%M:%S")),
            "bytes_in": 5000 + i, "bytes_out": 70 + i
        }));
        sum_in += 5000 + i;
        sum_out += 70 + i;
        at += Duration::minutes(5);
        i += 1;
    }
    let intervals = counters.len() as i64;
    counters.push(json!({
        "ip": "198.51.100.250", "interval_start": format!("{}Z", from.format("%Y-%m-%dT%H:%M:%S")),
        "bytes_in": 1, "bytes_out": 1
    }));
    let batch = json!({ "counters": counters });
    let samples = |app: &TestApp| count(&mut app.conn(), "SELECT endpoint_id FROM traffic_samples");
    let before = samples(&app);

    let (status, report) = collector.json("POST", "/api/v1/traffic", Some(batch.clone()));
    assert_eq!(status, Status::Ok, "{report}");
    assert_eq!(report["received"], intervals + 1);
    assert_eq!(report["accepted"], intervals);
    assert_eq!(report["rows_written"], intervals);
    assert_eq!(report["duplicates"], 0);
    assert_eq!(report["unknown"], 1, "an unknown IP is reported");
    assert_eq!(report["unknown_ips"], json!(["198.51.100.250"]));
    assert_eq!(samples(&app), before + intervals);

    // The same batch again: nothing written, all of it reported as duplicates.
    let (status, again) = collector.json("POST", "/api/v1/traffic", Some(batch.clone()));
    assert_eq!(status, Status::Ok);
    assert_eq!(again["rows_written"], 0, "{again}");
    assert_eq!(again["duplicates"], intervals);
    assert_eq!(again["unknown"], 1);
    assert_eq!(samples(&app), before + intervals);

    // A bad item refuses the batch, naming the item; nothing is stored.
    let bad = json!({ "counters": [
        {"ip": DEMO_IP, "interval_start": "2026-12-01T10:00:00Z", "bytes_in": 1, "bytes_out": 1},
        {"ip": "300.1.2.3", "interval_start": "soon", "bytes_in": -5, "bytes_out": 1}
    ]});
    let (status, problem) = collector.json("POST", "/api/v1/traffic", Some(bad));
    assert_eq!(status, Status::UnprocessableEntity);
    let fields: Vec<&str> = problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["field"].as_str())
        .collect();
    assert_eq!(
        fields,
        [
            "counters[1].ip",
            "counters[1].interval_start",
            "counters[1].bytes_in"
        ]
    );
    let (status, problem) = collector.json(
        "POST",
        "/api/v1/traffic",
        Some(json!({"counters": [], "extra": 1})),
    );
    assert_eq!(status, Status::UnprocessableEntity);
    assert_eq!(problem["errors"][0]["field"], "extra");
    assert_eq!(samples(&app), before + intervals);

    // A token without the scope: 403 problem, nothing stored.
    let reader = Api {
        client: &app.client,
        token: make_token(&app, "reader", &["customers:read"], "", "1000"),
    };
    for (path, body) in [
        ("/api/v1/traffic", json!({"counters": []})),
        ("/api/v1/radius/sessions", json!({"sessions": []})),
    ] {
        let (status, problem) = reader.json("POST", path, Some(body));
        assert_eq!(status, Status::Forbidden, "{path}");
        assert_eq!(
            problem_type(&problem),
            "/api/v1/problems/insufficient-scope"
        );
    }

    // Rolled up, the subscriber sees the counters on /statystyki.
    ebok::jobs::traffic::run_once(&app.pool, 30, clock::now()).unwrap();
    log_in(&app.client, demo::DEMO_LOGIN, demo::DEMO_PASSWORD);
    let mine = scalar_i64(
        &app,
        &format!("SELECT id AS v FROM endpoints WHERE ipv4 = '{DEMO_IP}'"),
    );
    let page = app.get(&format!("/statystyki?punkt={mine}&okres=day&dzien={day}"));
    assert_eq!(page.status(), Status::Ok);
    let html = page.into_string().unwrap();
    assert!(html.contains("<svg"));
    assert!(
        html.contains(&format!("data-bytes=\"{sum_in}\""))
            && html.contains(&format!("data-bytes=\"{sum_out}\"")),
        "the totals of the counters sent, once"
    );

    // RADIUS accounting: a start, then its stop; sent twice; one unknown login.
    let login =
        ebok::db::traffic::endpoints_by_login_or_address(&mut app.conn(), &[], &[DEMO_IP.into()])
            .unwrap()
            .into_iter()
            .find(|(_, _, ip)| ip.as_deref() == Some(DEMO_IP))
            .and_then(|(_, login, _)| login)
            .expect("the demo endpoint has a PPPoE login");
    let start = format!(
        "{}Z",
        (from + Duration::hours(8)).format("%Y-%m-%dT%H:%M:%S")
    );
    let stop = format!(
        "{}Z",
        (from + Duration::hours(11)).format("%Y-%m-%dT%H:%M:%S")
    );
    let started = json!({ "sessions": [
        {"session_id": "api-test-0001", "username": login, "nas_ip": "10.0.0.1",
         "framed_ip": DEMO_IP, "started_at": start, "bytes_in": 1000, "bytes_out": 100},
        {"session_id": "api-test-0002", "username": "nobody.here", "started_at": start,
         "bytes_in": 0, "bytes_out": 0}
    ]});
    let (status, report) = collector.json("POST", "/api/v1/radius/sessions", Some(started.clone()));
    assert_eq!(status, Status::Ok, "{report}");
    assert_eq!(
        (
            &report["created"],
            &report["unknown"],
            &report["unknown_logins"]
        ),
        (&json!(1), &json!(1), &json!(["nobody.here"]))
    );
    let stopped = json!({ "sessions": [
        {"session_id": "api-test-0001", "username": login, "started_at": start,
         "stopped_at": stop, "bytes_in": 900000, "bytes_out": 80000,
         "terminate_cause": "Lost-Carrier"}
    ]});
    let (_, report) = collector.json("POST", "/api/v1/radius/sessions", Some(stopped.clone()));
    assert_eq!(
        (&report["created"], &report["updated"]),
        (&json!(0), &json!(1))
    );
    // Both again, in the other order: nothing new.
    let (_, report) = collector.json("POST", "/api/v1/radius/sessions", Some(stopped));
    assert_eq!(report["duplicates"], 1, "{report}");
    let (_, report) = collector.json("POST", "/api/v1/radius/sessions", Some(started));
    assert_eq!(
        (&report["duplicates"], &report["updated"]),
        (&json!(1), &json!(0))
    );
    assert_eq!(
        count(
            &mut app.conn(),
            "SELECT id FROM radius_sessions WHERE session_key = 'api-test-0001' AND stopped_at IS NOT NULL AND bytes_in = 900000"
        ),
        1
    );
    let (status, problem) = collector.json(
        "POST",
        "/api/v1/radius/sessions",
        Some(json!({ "sessions": [
            {"session_id": "", "username": "x", "started_at": stop, "stopped_at": start,
             "bytes_in": 0, "bytes_out": 0}
        ]})),
    );
    assert_eq!(status, Status::UnprocessableEntity);
    let codes: Vec<&str> = problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["code"].as_str())
        .collect();
    assert_eq!(codes, ["api-session-id", "api-stop-before-start"]);

    // Staff see the connections on a fault ticket of that customer, not on a billing one.
    let customer = ebok::db::traffic::customer_of_endpoint(&mut app.conn(), mine)
        .unwrap()
        .unwrap();
    let ticket = |category: &str| {
        ebok::db::tickets::insert(
            &mut app.conn(),
            &ebok::db::tickets::NewTicket {
                customer_id: customer,
                opened_by_account_id: None,
                service_id: None,
                subject: "Internet nie działa".into(),
                category: ebok::domain::tickets::TicketCategory::parse(category)
                    .expect("a category"),
                status: ebok::domain::tickets::TicketStatus::Open,
                priority: "normal".into(),
                assigned_staff_id: None,
                created_at: clock::now(),
                updated_at: clock::now(),
                closed_at: None,
            },
        )
        .unwrap()
    };
    let (fault, billing) = (ticket("fault"), ticket("billing"));
    let staff = staff_client(&app, demo::ADMIN_LOGIN, demo::ADMIN_PASSWORD);
    let page = |id: i64| {
        let response = staff.get(format!("/staff/tickets/{id}")).dispatch();
        assert_eq!(response.status(), Status::Ok);
        response.into_string().unwrap()
    };
    assert!(page(fault).contains("data-session=\"api-test-0001\""));
    assert!(!page(billing).contains("id=\"connections-heading\""));
}

fn invoices_and_payments_through_the_api(app: TestApp) {
    let app = app.with_demo(0);
    let api = Api {
        client: &app.client,
        token: make_token(
            &app,
            "accounting",
            &["invoices:read", "payments:write"],
            "",
            "1000",
        ),
    };
    // An issued invoice with its stored PDF (not a KSeF-numbered one).
    let invoice = scalar_i64(
        &app,
        "SELECT MIN(id) AS v FROM invoices WHERE status = 'issued' AND pdf_path IS NOT NULL \
         AND id NOT IN (SELECT invoice_id FROM ksef_documents WHERE numbered_pdf_path IS NOT NULL)",
    );
    let customer = scalar_i64(
        &app,
        &format!("SELECT customer_id AS v FROM invoices WHERE id = {invoice}"),
    );

    // Lists: every issued invoice once over the pages; a customer's only.
    let issued = count(
        &mut app.conn(),
        "SELECT id FROM invoices WHERE status = 'issued'",
    );
    let mut seen = Vec::new();
    let mut cursor = String::new();
    loop {
        let (status, page) = api.json(
            "GET",
            &format!("/api/v1/invoices?limit=3&cursor={cursor}"),
            None,
        );
        assert_eq!(status, Status::Ok, "{page}");
        for item in page["items"].as_array().unwrap() {
            seen.push(item["id"].as_i64().unwrap());
        }
        match page["next_cursor"].as_str() {
            Some(next) => cursor = next.to_owned(),
            None => break,
        }
    }
    assert_eq!(seen.len() as i64, issued);
    assert!(seen.windows(2).all(|w| w[0] < w[1]));
    let (_, theirs) = api.json(
        "GET",
        &format!("/api/v1/invoices?customer_id={customer}"),
        None,
    );
    let theirs = theirs["items"].as_array().unwrap().clone();
    assert!(theirs.iter().all(|i| i["customer_id"] == customer));
    assert!(theirs.iter().any(|i| i["id"] == invoice));
    let (_, none) = api.json(
        "GET",
        "/api/v1/invoices?updated_since=2100-01-01T00:00:00Z",
        None,
    );
    assert_eq!(none["items"].as_array().unwrap().len(), 0);

    // One invoice; its PDF byte for byte as stored.
    let (status, one) = api.json("GET", &format!("/api/v1/invoices/{invoice}"), None);
    assert_eq!(status, Status::Ok);
    assert_eq!(one["has_pdf"], true);
    let total: i64 = scalar_i64(
        &app,
        &format!("SELECT total_gross AS v FROM invoices WHERE id = {invoice}"),
    );
    assert_eq!(
        one["total_gross"],
        format!("{}.{:02}", total / 100, total % 100)
    );
    let response = api.call("GET", &format!("/api/v1/invoices/{invoice}/pdf"), None, &[]);
    assert_eq!(response.status(), Status::Ok);
    assert_eq!(response.content_type(), Some(ContentType::PDF));
    let bytes = response.into_bytes().unwrap();
    let (path, sha): (Option<String>, Option<String>) = {
        use diesel::prelude::*;
        use ebok::db::schema::invoices;
        invoices::table
            .find(invoice)
            .select((invoices::pdf_path, invoices::pdf_sha256))
            .first(&mut *app.conn())
            .unwrap()
    };
    let stored = ebok::app::invoicing::PdfStore::new(&app.config.paths.invoices_dir)
        .read_verified(&path.unwrap(), &sha.unwrap())
        .unwrap();
    assert_eq!(bytes, stored, "the stored file, byte for byte");
    let (status, problem) = api.json("GET", "/api/v1/invoices/999999/pdf", None);
    assert_eq!(status, Status::NotFound);
    assert_eq!(problem_type(&problem), "/api/v1/problems/not-found");

    // The FA(3) XML: a 404 problem until it went to KSeF, then the XML as sent.
    let exec =
        |sql: &str| diesel::RunQueryDsl::execute(diesel::sql_query(sql), &mut *app.conn()).unwrap();
    exec(&format!(
        "UPDATE ksef_documents SET state = 'queued', xml = NULL WHERE invoice_id = {invoice}"
    ));
    let xml_path = format!("/api/v1/invoices/{invoice}/ksef.xml");
    let (status, problem) = api.json("GET", &xml_path, None);
    assert_eq!(status, Status::NotFound, "{problem}");
    let sent = exec(&format!(
        "UPDATE ksef_documents SET state = 'accepted', xml = '<Faktura>api</Faktura>' WHERE invoice_id = {invoice}"
    ));
    if sent == 1 {
        let response = api.call("GET", &xml_path, None, &[]);
        assert_eq!(response.status(), Status::Ok);
        assert_eq!(response.content_type(), Some(ContentType::XML));
        assert_eq!(response.into_string().unwrap(), "<Faktura>api</Faktura>");
    }

    // A payment with the same Idempotency-Key twice: one payment, the same answer.
    let payments = |app: &TestApp| {
        count(
            &mut app.conn(),
            &format!("SELECT id FROM payments WHERE customer_id = {customer}"),
        )
    };
    let before = payments(&app);
    let body = json!({
        "customer_id": customer, "amount": "12.34", "received_on": clock::today().to_string(),
        "method": "transfer", "title": "API test"
    })
    .to_string();
    let key = [("Idempotency-Key", "bank-tx-0001")];
    let (status, first) = read(api.call("POST", "/api/v1/payments", Some(&body), &key));
    assert_eq!(status, Status::Created, "{first}");
    assert_eq!(first["amount"], "12.34");
    assert_eq!(first["customer_id"], customer);
    let again = api.call("POST", "/api/v1/payments", Some(&body), &key);
    assert_eq!(again.headers().get_one("Idempotent-Replayed"), Some("true"));
    let (status, second) = read(again);
    assert_eq!(status, Status::Created);
    assert_eq!(first, second);
    assert_eq!(payments(&app), before + 1, "one payment");
    let recorded = count(
        &mut app.conn(),
        "SELECT id FROM audit_log WHERE action = 'payment_recorded' AND details LIKE '%\"api_token\":\"accounting\"%'",
    );
    assert_eq!(recorded, 1);

    // Bad payments are field problems; nothing is recorded.
    let (status, problem) = api.json(
        "POST",
        "/api/v1/payments",
        Some(json!({"customer_id": customer, "amount": "-5", "received_on": "2100-01-01", "method": "barter"})),
    );
    assert_eq!(status, Status::UnprocessableEntity);
    let mut fields: Vec<&str> = problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["field"].as_str())
        .collect();
    fields.sort_unstable();
    assert_eq!(fields, ["amount", "method", "received_on"]);
    let (status, problem) = api.json(
        "POST",
        "/api/v1/payments",
        Some(json!({"customer_id": 999999, "amount": "5", "received_on": "2026-01-01"})),
    );
    assert_eq!(status, Status::UnprocessableEntity);
    assert_eq!(problem["errors"][0]["field"], "customer_id");
    assert_eq!(payments(&app), before + 1);

    // Without the scopes: 403 problems.
    let reader = Api {
        client: &app.client,
        token: make_token(&app, "crm-reader", &["customers:read"], "", "1000"),
    };
    let (status, problem) = reader.json("GET", "/api/v1/invoices", None);
    assert_eq!(status, Status::Forbidden);
    assert_eq!(
        problem_type(&problem),
        "/api/v1/problems/insufficient-scope"
    );
    let (status, _) = read(reader.call("POST", "/api/v1/payments", Some(&body), &[]));
    assert_eq!(status, Status::Forbidden);
    let (status, _) =
        read(reader.call("GET", &format!("/api/v1/invoices/{invoice}/pdf"), None, &[]));
    assert_eq!(status, Status::Forbidden);
    assert_eq!(payments(&app), before + 1);
}

fn the_demo_hands_out_a_working_api_token(app: TestApp) {
    let first = app.seed_demo(0);
    let banner = first.logins_banner("http://localhost:8000");
    assert!(banner.contains(&format!("Authorization: Bearer {}", first.api_token)));
    let api = Api {
        client: &app.client,
        token: first.api_token.clone(),
    };
    let (status, page) = api.json("GET", "/api/v1/customers?limit=2", None);
    assert_eq!(status, Status::Ok, "{page}");
    assert_eq!(page["items"].as_array().unwrap().len(), 2);
    // Stored hashed like any token.
    assert_eq!(
        count(
            &mut app.conn(),
            &format!(
                "SELECT id FROM api_tokens WHERE token_hash = '{}'",
                first.api_token
            )
        ),
        0
    );
    // Seeding again makes a new one; the old one stops working.
    let second = app.seed_demo(0);
    assert_ne!(second.api_token, first.api_token);
    assert_eq!(
        api.json("GET", "/api/v1/tariffs", None).0,
        Status::Unauthorized
    );
    let api = Api {
        client: &app.client,
        token: second.api_token,
    };
    assert_eq!(api.json("GET", "/api/v1/tariffs", None).0, Status::Ok);
    assert_eq!(
        count(
            &mut app.conn(),
            "SELECT id FROM api_tokens WHERE name = 'demo'"
        ),
        1
    );
}

fn tickets_are_listed_and_answered_through_the_api(app: TestApp) {
    let app = app.with_demo(0);
    let token = make_token(
        &app,
        "helpdesk",
        &["tickets:read", "tickets:write"],
        "",
        "600",
    );
    let api = Api {
        client: &app.client,
        token,
    };
    let (status, page) = api.json("GET", "/api/v1/tickets?limit=1", None);
    assert_eq!(status, Status::Ok, "{page}");
    let first = &page["items"][0];
    let ticket = first["id"].as_i64().expect("a demo ticket");
    assert!(first["subject"].as_str().is_some_and(|s| !s.is_empty()));
    let next = page["next_cursor"]
        .as_str()
        .expect("more than one demo ticket");
    let (status, rest) = api.json("GET", &format!("/api/v1/tickets?cursor={next}"), None);
    assert_eq!(status, Status::Ok);
    assert!(
        rest["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|t| t["id"].as_i64() > Some(ticket))
    );
    let (status, bad) = api.json("GET", "/api/v1/tickets?customer_id=abc", None);
    assert_eq!(status, Status::UnprocessableEntity, "{bad}");

    let messages = |app: &TestApp| {
        scalar_i64(
            app,
            &format!(
                "SELECT CAST(COUNT(*) AS BIGINT) AS v FROM ticket_messages WHERE ticket_id = {ticket}"
            ),
        )
    };
    let before = messages(&app);
    let path = format!("/api/v1/tickets/{ticket}/replies");
    let body = json!({ "body": "Dzień dobry, awaria usunięta o 9:40." }).to_string();
    let reply = || {
        read(api.call(
            "POST",
            &path,
            Some(&body),
            &[("Idempotency-Key", "reply-1")],
        ))
    };
    let (status, answer) = reply();
    assert_eq!(status, Status::Created, "{answer}");
    assert_eq!(answer["status"], "answered");
    // The same key again: the same answer, no second message.
    assert_eq!(reply(), (Status::Created, answer));
    assert_eq!(messages(&app), before + 1);
    // Signed by the admin who made the token; the ticket is answered.
    let signed = scalar_i64(
        &app,
        &format!(
            "SELECT CAST(COUNT(*) AS BIGINT) AS v FROM ticket_messages m JOIN staff_users s \
             ON s.id = m.author_staff_id WHERE m.ticket_id = {ticket} AND s.login = '{}' \
             AND m.body LIKE 'Dzień dobry, awaria%'",
            demo::ADMIN_LOGIN
        ),
    );
    assert_eq!(signed, 1);
    let (_, listed) = api.json("GET", "/api/v1/tickets?limit=1", None);
    assert_eq!(listed["items"][0]["status"], "answered");

    // Bad input: a problem, nothing stored.
    for (body, code) in [
        (json!({ "body": "   " }), Status::UnprocessableEntity),
        (
            json!({ "body": "x", "internal": true }),
            Status::UnprocessableEntity,
        ),
        (json!({ "text": "x" }), Status::UnprocessableEntity),
    ] {
        let (status, problem) = read(api.call("POST", &path, Some(&body.to_string()), &[]));
        assert_eq!(status, code, "{body}: {problem}");
    }
    let (status, _) = api.json(
        "POST",
        "/api/v1/tickets/999999/replies",
        Some(json!({ "body": "Halo" })),
    );
    assert_eq!(status, Status::NotFound);
    assert_eq!(messages(&app), before + 1);

    // A token that may only read cannot reply.
    let reader = Api {
        client: &app.client,
        token: make_token(&app, "reader", &["tickets:read"], "", "600"),
    };
    let (status, problem) = reader.json("POST", &path, Some(json!({ "body": "Halo" })));
    assert_eq!(status, Status::Forbidden, "{problem}");
    assert_eq!(messages(&app), before + 1);
}

fn a_bank_statement_comes_in_through_the_api_and_is_booked_once(app: TestApp) {
    let (app, _) = common::bank::fixture(app);
    let token = make_token(&app, "bank", &["payments:write"], "", "600");
    let send = |path: &str, bytes: &[u8], token: &str| {
        read(
            app.client
                .post(path.to_owned())
                .header(Header::new("Authorization", format!("Bearer {token}")))
                .header(ContentType::Binary)
                .body(bytes)
                .dispatch(),
        )
    };
    let mt940: &[u8] = include_bytes!("data/statement_2026-11-19.mt940");
    let before = common::bank::active_payments(&app);
    let path = "/api/v1/payments/statements?name=wyciag.sta";
    let (status, first) = send(path, mt940, &token);
    assert_eq!(status, Status::Created, "{first}");
    assert_eq!(first["format"], "mt940");
    assert_eq!(first["encoding"], "windows1250");
    assert_eq!(first["booked"], 3, "{first}");
    assert_eq!(common::bank::active_payments(&app), before + 3);
    // The same file again (no Idempotency-Key): every transaction is known, nothing booked.
    let (status, again) = send(path, mt940, &token);
    assert_eq!(status, Status::Created, "{again}");
    assert_eq!(again["booked"], 0, "{again}");
    assert!(again["duplicates"].as_u64() >= Some(3), "{again}");
    assert_eq!(common::bank::active_payments(&app), before + 3);

    // Bad input: a problem naming what is wrong, nothing booked.
    let garbage: &[u8] = include_bytes!("data/garbage.bin");
    let (status, problem) = send(path, garbage, &token);
    assert_eq!(status, Status::UnprocessableEntity, "{problem}");
    assert_eq!(problem["errors"][0]["field"], "file", "{problem}");
    let (status, problem) = send("/api/v1/payments/statements?format=pdf", mt940, &token);
    assert_eq!(status, Status::UnprocessableEntity, "{problem}");
    assert_eq!(problem["errors"][0]["field"], "format", "{problem}");
    let reader = make_token(&app, "reader", &["tickets:read"], "", "600");
    assert_eq!(send(path, mt940, &reader).0, Status::Forbidden);
    assert_eq!(common::bank::active_payments(&app), before + 3);
}
