//! KSeF's environments and where each one lives (ksef-docs `srodowiska.md`, `kody-qr.md`).

use std::fmt;

/// Which KSeF the seller's invoices go to. `Local` is e-BOK's own test server (`sim::ksef`);
/// it has no verification host of its own, so its KOD I points at the Ministry's test host.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum KsefEnvironment {
    Local,
    Test,
    Demo,
    Production,
}

impl KsefEnvironment {
    pub const ALL: [KsefEnvironment; 4] = [
        KsefEnvironment::Test,
        KsefEnvironment::Demo,
        KsefEnvironment::Production,
        KsefEnvironment::Local,
    ];

    pub fn parse(text: &str) -> Option<KsefEnvironment> {
        match text.trim().to_ascii_lowercase().as_str() {
            "local" => Some(KsefEnvironment::Local),
            "test" => Some(KsefEnvironment::Test),
            "demo" => Some(KsefEnvironment::Demo),
            "production" => Some(KsefEnvironment::Production),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            KsefEnvironment::Local => "local",
            KsefEnvironment::Test => "test",
            KsefEnvironment::Demo => "demo",
            KsefEnvironment::Production => "production",
        }
    }

    /// The Ministry's API of the environment; the local server's address is only known when
    /// it runs.
    pub fn api_url(self) -> Option<&'static str> {
        match self {
            KsefEnvironment::Test => Some("https://api-test.ksef.mf.gov.pl/v2"),
            KsefEnvironment::Demo => Some("https://api-demo.ksef.mf.gov.pl/v2"),
            KsefEnvironment::Production => Some("https://api.ksef.mf.gov.pl/v2"),
            KsefEnvironment::Local => None,
        }
    }

    /// Where KOD I sends whoever scans it to verify the invoice.
    pub fn qr_base(self) -> &'static str {
        match self {
            KsefEnvironment::Production => "https://qr.ksef.mf.gov.pl",
            KsefEnvironment::Demo => "https://qr-demo.ksef.mf.gov.pl",
            KsefEnvironment::Test | KsefEnvironment::Local => "https://qr-test.ksef.mf.gov.pl",
        }
    }
}

impl fmt::Display for KsefEnvironment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
