//! The real binary serving over HTTP (`ebok serve`, a process of its own, background jobs and
//! all) and a browser that speaks to it over plain sockets: a cookie jar, the CSRF token taken
//! from the page's form, the origin a reverse proxy would pass on. Nothing here retries: a
//! request that is not answered comes back as an error, for the test to count as lost.

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::Child;
use std::time::{Duration, Instant};

use super::TestApp;

/// The address the instances are reached at behind their (imagined) reverse proxy: links and
/// the origin check of forms use it, whichever instance answers.
pub const PUBLIC_URL: &str = "http://127.0.0.1:8000";

/// `ebok serve` on a port of its own, against the test's database and directories (shared by
/// every instance, as nodes behind one proxy share them), killed when dropped.
pub struct Instance {
    pub port: u16,
    child: Child,
    log: std::path::PathBuf,
}

impl Instance {
    /// Starts `ebok serve` with `env` on top of the test's settings and waits until it answers
    /// `/health`.
    pub fn start(app: &TestApp, name: &str, port: u16, env: &[(&str, String)]) -> Instance {
        let log = app.data_dir().join(format!("{name}.log"));
        let file = std::fs::File::create(&log).expect("instance log");
        let mut command = super::ebok_command(app, &["serve"]);
        command
            .env("ROCKET_ADDRESS", "127.0.0.1")
            .env("ROCKET_PORT", port.to_string())
            .env("ROCKET_LOG_LEVEL", "critical")
            .env("EBOK_PUBLIC_URL", PUBLIC_URL)
            // The test's clients play the proxy and say which subscriber's address they forward.
            .env("EBOK_TRUSTED_PROXIES", "127.0.0.1/32")
            .envs(env.iter().map(|(key, value)| (key, value)))
            // A file, not a pipe nobody reads: a full pipe would stop the server mid-request.
            .stdout(file.try_clone().expect("log handle"))
            .stderr(file);
        let child = command.spawn().expect("ebok serve starts");
        let mut instance = Instance { port, child, log };
        instance.wait_until_answering();
        instance
    }

    pub fn base(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    fn wait_until_answering(&mut self) {
        let deadline = Instant::now() + Duration::from_secs(120);
        loop {
            if let Ok(answer) = exchange(self.port, "GET", "/health", &[], &[]) {
                assert_eq!(answer.status, 200, "/health: {}", answer.body);
                return;
            }
            if let Some(status) = self.child.try_wait().expect("instance state") {
                panic!(
                    "ebok serve ended ({status}) before answering:\n{}",
                    self.log()
                );
            }
            assert!(
                Instant::now() < deadline,
                "ebok serve did not answer:\n{}",
                self.log()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// What the instance wrote to stdout and stderr.
    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// SIGKILL, as when the node dies.
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Instance {
    fn drop(&mut self) {
        self.kill();
    }
}

#[derive(Debug, Clone)]
pub struct Answer {
    pub status: u16,
    headers: Vec<(String, String)>,
    pub body: String,
}

impl Answer {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }

    pub fn location(&self) -> Option<&str> {
        self.header("Location")
    }
}

/// One request over a fresh connection (HTTP/1.0: the server closes it after the answer, so
/// the body ends where the stream does).
pub fn exchange(
    port: u16,
    method: &str,
    path: &str,
    headers: &[(&str, String)],
    body: &[u8],
) -> Result<Answer, String> {
    let mut stream =
        TcpStream::connect(("127.0.0.1", port)).map_err(|e| format!("connect: {e}"))?;
    // Generous: a debug build on a busy machine; a server that hangs longer has lost it.
    stream
        .set_read_timeout(Some(Duration::from_secs(120)))
        .map_err(|e| e.to_string())?;
    let mut request = format!(
        "{method} {path} HTTP/1.0\r\nHost: 127.0.0.1:{port}\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (name, value) in headers {
        request.push_str(&format!("{name}: {value}\r\n"));
    }
    request.push_str("\r\n");
    stream
        .write_all(request.as_bytes())
        .and_then(|()| stream.write_all(body))
        .map_err(|e| format!("send: {e}"))?;
    let mut raw = Vec::new();
    stream
        .read_to_end(&mut raw)
        .map_err(|e| format!("read: {e}"))?;
    let raw = String::from_utf8_lossy(&raw);
    let (head, body) = raw
        .split_once("\r\n\r\n")
        .ok_or_else(|| format!("no complete answer: {raw:?}"))?;
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|line| line.split_whitespace().nth(1))
        .and_then(|code| code.parse().ok())
        .ok_or_else(|| format!("no status line: {head:?}"))?;
    let headers = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(key, value)| (key.trim().to_owned(), value.trim().to_owned()))
        .collect();
    Ok(Answer {
        status,
        headers,
        body: body.to_owned(),
    })
}

/// A person's browser behind the proxy: their cookies (valid on every instance, which share
/// the keys), their address, forwarded in `X-Real-IP`, and the instances the proxy hands their
/// requests to in turn (round robin, so a form read from one is sent to the other).
pub struct Browser {
    cookies: BTreeMap<String, String>,
    client_ip: String,
    ports: Vec<u16>,
    turn: usize,
}

impl Browser {
    pub fn new(client_ip: &str, ports: &[u16]) -> Browser {
        assert!(!ports.is_empty(), "a browser needs an instance to talk to");
        Browser {
            cookies: BTreeMap::new(),
            client_ip: client_ip.to_owned(),
            ports: ports.to_vec(),
            turn: 0,
        }
    }

    pub fn get(&mut self, path: &str) -> Result<Answer, String> {
        self.send("GET", path, None, &[])
    }

    pub fn post(&mut self, path: &str, content_type: &str, body: &[u8]) -> Result<Answer, String> {
        self.send("POST", path, Some(content_type), body)
    }

    /// Opens the form on `page` and sends `fields` with its CSRF token to `action`, as a
    /// browser submits a form (multipart when `multipart`).
    pub fn submit(
        &mut self,
        page: &str,
        action: &str,
        fields: &[(&str, &str)],
        multipart: bool,
    ) -> Result<(Answer, Answer), String> {
        let form_page = self.get(page)?;
        let token = csrf_token(&form_page.body).ok_or_else(|| {
            format!(
                "no form on {page} ({}): {}",
                form_page.status, form_page.body
            )
        })?;
        // First, as the portal's forms place it: a multipart form is refused before its
        // (possibly large) body is read unless the token comes first.
        let mut all = vec![("csrf_token", token.as_str())];
        all.extend_from_slice(fields);
        let answer = if multipart {
            let content_type = format!("multipart/form-data; boundary={}", super::BOUNDARY);
            self.post(action, &content_type, &super::multipart_body(&all, &[]))?
        } else {
            let body = super::form(&all);
            self.post(action, "application/x-www-form-urlencoded", body.as_bytes())?
        };
        Ok((form_page, answer))
    }

    fn send(
        &mut self,
        method: &str,
        path: &str,
        content_type: Option<&str>,
        body: &[u8],
    ) -> Result<Answer, String> {
        let mut headers = vec![
            ("X-Real-IP", self.client_ip.clone()),
            ("Origin", PUBLIC_URL.to_owned()),
        ];
        if let Some(content_type) = content_type {
            headers.push(("Content-Type", content_type.to_owned()));
        }
        if !self.cookies.is_empty() {
            let jar = self
                .cookies
                .iter()
                .map(|(name, value)| format!("{name}={value}"))
                .collect::<Vec<_>>()
                .join("; ");
            headers.push(("Cookie", jar));
        }
        let port = self.ports[self.turn % self.ports.len()];
        self.turn += 1;
        let answer = exchange(port, method, path, &headers, body)?;
        for (key, set_cookie) in &answer.headers {
            if !key.eq_ignore_ascii_case("Set-Cookie") {
                continue;
            }
            let pair = set_cookie.split(';').next().unwrap_or_default();
            let Some((name, value)) = pair.split_once('=') else {
                continue;
            };
            // Rocket removes a cookie with an empty value that expires at once.
            let removed =
                value.trim().is_empty() || set_cookie.to_ascii_lowercase().contains("max-age=0");
            if removed {
                self.cookies.remove(name.trim());
            } else {
                self.cookies
                    .insert(name.trim().to_owned(), value.trim().to_owned());
            }
        }
        Ok(answer)
    }
}

/// The CSRF token of the first form on a page.
pub fn csrf_token(html: &str) -> Option<String> {
    let document = scraper::Html::parse_document(html);
    let selector = scraper::Selector::parse("input[name=csrf_token]").expect("selector");
    document
        .select(&selector)
        .next()
        .and_then(|input| input.value().attr("value"))
        .map(str::to_owned)
}
