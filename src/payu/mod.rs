//! PayU (REST API v2.1): the OAuth client-credentials login, orders (create, read, cancel,
//! refund) and the check of the signature PayU puts on its notifications. The only code that
//! speaks PayU. Uses `domain` only; amounts are grosze as PayU counts them.

pub mod client;
pub mod signature;
pub mod wire;
