//! Local test servers that speak the real protocols of the services e-BOK talks to, with faults
//! on demand. Used by `ebok demo` and the tests; never chosen by a production configuration.

pub mod ksef;
pub mod payu;
mod server;
