//! A real SMTP server inside the test process: it speaks enough SMTP for lettre (EHLO, MAIL,
//! RCPT, DATA, RSET, NOOP, QUIT), keeps what it receives, and can be stopped and started again
//! on the same port to play a mail server that goes down.

use std::io::{BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

#[derive(Debug, Clone)]
pub struct ReceivedMail {
    pub to: Vec<String>,
    pub raw: String,
}

impl ReceivedMail {
    pub fn subject(&self) -> String {
        let parsed = mailparse::parse_mail(self.raw.as_bytes()).expect("parsable mail");
        use mailparse::MailHeaderMap;
        parsed
            .get_headers()
            .get_first_value("Subject")
            .unwrap_or_default()
    }

    /// The decoded text/plain part.
    pub fn text(&self) -> String {
        let parsed = mailparse::parse_mail(self.raw.as_bytes()).expect("parsable mail");
        fn find(part: &mailparse::ParsedMail<'_>) -> Option<String> {
            if part.ctype.mimetype == "text/plain" {
                return part.get_body().ok();
            }
            part.subparts.iter().find_map(find)
        }
        find(&parsed).unwrap_or_default()
    }

    /// The first link in the text that contains `path`.
    pub fn link_containing(&self, path: &str) -> Option<String> {
        self.text()
            .split_whitespace()
            .find(|word| word.starts_with("http") && word.contains(path))
            .map(str::to_owned)
    }
}

pub struct SmtpSink {
    pub address: SocketAddr,
    received: Arc<Mutex<Vec<ReceivedMail>>>,
    /// How long the server takes to acknowledge a message it has already kept.
    delay: Duration,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl SmtpSink {
    pub fn start() -> SmtpSink {
        SmtpSink::start_on(0, Arc::new(Mutex::new(Vec::new())), Duration::ZERO)
    }

    /// A server that keeps each message and only then, after `delay`, says it took it: a
    /// sender killed in that time has had its message delivered without hearing so.
    pub fn start_slow(delay: Duration) -> SmtpSink {
        SmtpSink::start_on(0, Arc::new(Mutex::new(Vec::new())), delay)
    }

    /// Listens on `port` (0 = any free one); `received` may be shared with an earlier run.
    fn start_on(port: u16, received: Arc<Mutex<Vec<ReceivedMail>>>, delay: Duration) -> SmtpSink {
        let listener = TcpListener::bind(("127.0.0.1", port)).expect("bind SMTP sink");
        listener
            .set_nonblocking(true)
            .expect("non-blocking listener");
        let address = listener.local_addr().expect("local address");
        let stop = Arc::new(AtomicBool::new(false));
        let thread = {
            let (stop, received) = (stop.clone(), received.clone());
            std::thread::spawn(move || {
                while !stop.load(Ordering::SeqCst) {
                    match listener.accept() {
                        // Each connection on its own thread, as a real server does: lettre's
                        // pool keeps a connection open after sending, and a sink that served one
                        // connection at a time left the next sender waiting for its greeting
                        // until lettre's 60 s timeout (the dunning walk took minutes on SQLite).
                        Ok((stream, _)) => {
                            let (stop, received) = (stop.clone(), received.clone());
                            std::thread::spawn(move || {
                                let _ = serve(stream, &received, &stop, delay);
                            });
                        }
                        Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                            std::thread::sleep(Duration::from_millis(5))
                        }
                        Err(_) => break,
                    }
                }
            })
        };
        SmtpSink {
            address,
            received,
            delay,
            stop,
            thread: Some(thread),
        }
    }

    pub fn url(&self) -> String {
        format!("smtp://{}:{}", self.address.ip(), self.address.port())
    }

    pub fn received(&self) -> Vec<ReceivedMail> {
        self.received.lock().expect("sink lock").clone()
    }

    /// Stops listening; connections are refused until `restart`.
    pub fn stop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }

    /// Listens again on the same port, keeping what was received.
    pub fn restart(&mut self) {
        self.stop();
        *self = SmtpSink::start_on(self.address.port(), self.received.clone(), self.delay);
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        self.stop();
    }
}

fn serve(
    stream: TcpStream,
    received: &Mutex<Vec<ReceivedMail>>,
    stop: &AtomicBool,
    delay: Duration,
) -> std::io::Result<()> {
    stream.set_nonblocking(false)?;
    stream.set_read_timeout(Some(Duration::from_millis(200)))?;
    let mut writer = stream.try_clone()?;
    let mut reader = BufReader::new(stream);
    writer.write_all(b"220 sink.test ESMTP\r\n")?;
    let mut recipients = Vec::new();
    let mut line = String::new();
    loop {
        // A stopped sink is a server gone away: it drops even a busy connection between two
        // commands (never between a message and its reply).
        if stop.load(Ordering::SeqCst) {
            return Ok(());
        }
        line.clear();
        match reader.read_line(&mut line) {
            Ok(0) => return Ok(()),
            Ok(_) => {}
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) =>
            {
                // lettre's pool keeps connections open; let a stopped sink drop them.
                if stop.load(Ordering::SeqCst) {
                    return Ok(());
                }
                continue;
            }
            Err(e) => return Err(e),
        }
        let command = line.trim_end().to_ascii_uppercase();
        if command.starts_with("EHLO") {
            writer.write_all(b"250-sink.test\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n")?;
        } else if command.starts_with("HELO")
            || command.starts_with("MAIL FROM")
            || command.starts_with("NOOP")
        {
            writer.write_all(b"250 OK\r\n")?;
        } else if command.starts_with("RSET") {
            recipients.clear();
            writer.write_all(b"250 OK\r\n")?;
        } else if command.starts_with("RCPT TO") {
            let address = line.trim_end()[8..]
                .trim()
                .trim_start_matches(':')
                .trim()
                .trim_matches(|c| c == '<' || c == '>');
            recipients.push(address.split('>').next().unwrap_or(address).to_owned());
            writer.write_all(b"250 OK\r\n")?;
        } else if command == "DATA" {
            writer.write_all(b"354 End data with <CR><LF>.<CR><LF>\r\n")?;
            let mut raw = String::new();
            loop {
                line.clear();
                match reader.read_line(&mut line) {
                    Ok(0) => return Ok(()),
                    Ok(_) => {}
                    Err(e)
                        if matches!(
                            e.kind(),
                            std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                        ) =>
                    {
                        continue;
                    }
                    Err(e) => return Err(e),
                }
                if line == ".\r\n" || line == ".\n" {
                    break;
                }
                // Undo dot-stuffing (RFC 5321 4.5.2).
                raw.push_str(line.strip_prefix('.').unwrap_or(&line));
            }
            received.lock().expect("sink lock").push(ReceivedMail {
                to: std::mem::take(&mut recipients),
                raw,
            });
            std::thread::sleep(delay);
            writer.write_all(b"250 OK: queued\r\n")?;
        } else if command.starts_with("QUIT") {
            writer.write_all(b"221 Bye\r\n")?;
            return Ok(());
        } else {
            writer.write_all(b"502 Command not implemented\r\n")?;
        }
    }
}

/// Queues `count` notices ("Powiadomienie 0", "Powiadomienie 1"… to abonent<n>@example.pl),
/// due and created at `due`, straight into the outbox: what a burst of notifications leaves
/// for the sender.
pub fn queue_notices(app: &super::TestApp, count: usize, due: chrono::NaiveDateTime) {
    use ebok::db::outbox::{self, NewOutboxMessage};
    let mut conn = app.conn();
    for n in 0..count {
        outbox::enqueue(
            &mut conn,
            &NewOutboxMessage {
                kind: "notice".into(),
                recipient: format!("abonent{n}@example.pl"),
                subject: format!("Powiadomienie {n}"),
                body_text: format!("Treść powiadomienia {n}."),
                body_html: None,
                attachment_path: None,
                status: ebok::domain::MailStatus::Pending,
                attempts: 0,
                next_attempt_at: due,
                locked_until: None,
                last_error: None,
                created_at: due,
                sent_at: None,
            },
        )
        .expect("notice queued");
    }
}
