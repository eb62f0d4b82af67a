//! What every local test server shares: a loopback port, a Rocket of its own in its own thread
//! (quiet, no Ctrl-C handling, quick shutdown), started only once it answers, stopped on drop.

use std::net::{Ipv4Addr, TcpListener, TcpStream};
use std::time::{Duration, Instant};

use rocket::{Build, Rocket};

/// `requested`, or a free loopback port when it is 0.
pub fn port(requested: u16) -> Result<u16, String> {
    if requested != 0 {
        return Ok(requested);
    }
    TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .and_then(|listener| listener.local_addr())
        .map(|address| address.port())
        .map_err(|e| format!("no free loopback port: {e}"))
}

/// A running server; dropping it shuts it down and waits for its thread.
pub struct Running {
    shutdown: rocket::Shutdown,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Running {
    /// Blocks the calling thread until the server has stopped.
    pub fn wait(mut self) {
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        self.shutdown.clone().notify();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// Starts `mount`'s routes on 127.0.0.1:`port` in a thread named `thread_name` and returns once
/// the port answers. `service` names it in errors ("KSeF", "PayU").
pub fn launch(
    service: &str,
    thread_name: &str,
    port: u16,
    mount: impl FnOnce(Rocket<Build>) -> Rocket<Build>,
) -> Result<Running, String> {
    let config = rocket::Config {
        address: Ipv4Addr::LOCALHOST.into(),
        port,
        workers: 2,
        log_level: rocket::config::LogLevel::Off,
        secret_key: rocket::config::SecretKey::generate()
            .ok_or_else(|| format!("no randomness for the local {service} server's key"))?,
        shutdown: rocket::config::Shutdown {
            ctrlc: false,
            grace: 1,
            mercy: 1,
            ..Default::default()
        },
        cli_colors: false,
        ..rocket::Config::default()
    };
    let rocket = mount(rocket::custom(config));
    let (sender, receiver) = std::sync::mpsc::channel();
    let thread = std::thread::Builder::new()
        .name(thread_name.into())
        .spawn(move || {
            let _ = rocket::execute(async move {
                match rocket.ignite().await {
                    Ok(ignited) => {
                        let _ = sender.send(Ok(ignited.shutdown()));
                        ignited.launch().await.map(|_| ())
                    }
                    Err(error) => {
                        let _ = sender.send(Err(error.to_string()));
                        Ok(())
                    }
                }
            });
        })
        .map_err(|e| e.to_string())?;
    let shutdown = receiver
        .recv()
        .map_err(|_| format!("the local {service} server did not start"))??;
    let running = Running {
        shutdown,
        thread: Some(thread),
    };
    let started = Instant::now();
    while TcpStream::connect((Ipv4Addr::LOCALHOST, port)).is_err() {
        if started.elapsed() > Duration::from_secs(10) {
            return Err(format!(
                "the local {service} server does not listen on port {port}"
            ));
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    Ok(running)
}
