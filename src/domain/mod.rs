//! Pure rules and value types. No I/O, no Diesel, no Rocket.

pub mod contract_number;
pub mod money;
pub mod nip;
pub mod nrb;
pub mod pesel;

pub use contract_number::{ContractNumber, ContractNumberError};
pub use money::{Money, MoneyError};
pub use nip::{Nip, NipError};
pub use nrb::{Nrb, NrbError};
pub use pesel::{Pesel, PeselError};
