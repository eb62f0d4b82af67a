//! `ebok payu sim`: the local PayU test server, for `ebok serve` with `EBOK_PAYU_URL` pointing at
//! it (`ebok demo` starts one by itself).

use std::time::Duration;

use clap::Subcommand;

use crate::config::PayuConfig;
use crate::sim::payu::{self, Faults, PayuSim, SimOptions};

#[derive(Debug, Subcommand)]
pub enum PayuCommand {
    /// Run the local PayU test server until stopped. Faults can also be switched while it runs:
    /// `curl -d duplicate=true http://127.0.0.1:PORT/sim/faults`.
    Sim {
        #[arg(long, default_value_t = 8200)]
        port: u16,
        /// Deliver every notification twice.
        #[arg(long)]
        duplicate: bool,
        /// Deliver the notifications of one payment last first (COMPLETED before PENDING).
        #[arg(long)]
        reorder: bool,
        /// Answer every API call with 503, as when PayU is down.
        #[arg(long)]
        down: bool,
        /// Never notify: orders stay unpaid for e-BOK until they expire.
        #[arg(long)]
        silent: bool,
        /// How long one of PayU's retry minutes lasts here, in milliseconds.
        #[arg(long, default_value_t = 1000)]
        retry_minute_ms: u64,
    },
}

/// The configuration that points e-BOK at a local server.
pub fn local_config(server: &PayuSim) -> PayuConfig {
    PayuConfig {
        url: server.base_url.clone(),
        pos_id: payu::DEMO_POS_ID.into(),
        client_id: payu::DEMO_POS_ID.into(),
        client_secret: payu::DEMO_CLIENT_SECRET.into(),
        second_key: payu::DEMO_SECOND_KEY.into(),
        notify_url: None,
    }
}

/// The local PayU server for `ebok demo` (any free port).
pub fn start_local(port: u16) -> anyhow::Result<PayuSim> {
    payu::spawn(SimOptions::demo(port)).map_err(|e| anyhow::anyhow!("the local PayU server: {e}"))
}

pub fn run(command: PayuCommand) -> anyhow::Result<()> {
    match command {
        PayuCommand::Sim {
            port,
            duplicate,
            reorder,
            down,
            silent,
            retry_minute_ms,
        } => {
            let mut options = SimOptions::demo(port);
            options.minute = Duration::from_millis(retry_minute_ms.max(1));
            options.faults = Faults {
                duplicate,
                reorder,
                down,
                silent,
                ..Faults::default()
            };
            let server = payu::spawn(options).map_err(|e| anyhow::anyhow!(e))?;
            println!(
                "Local PayU server at {}. Stop with Ctrl-C.",
                server.base_url
            );
            println!(
                "Point e-BOK at it: EBOK_PAYU_URL={} EBOK_PAYU_POS_ID={} EBOK_PAYU_CLIENT_SECRET={} EBOK_PAYU_SECOND_KEY={}",
                server.base_url,
                payu::DEMO_POS_ID,
                payu::DEMO_CLIENT_SECRET,
                payu::DEMO_SECOND_KEY
            );
            server.wait();
            Ok(())
        }
    }
}
