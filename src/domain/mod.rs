//! Pure rules and value types. No I/O, no Diesel, no Rocket.

pub mod allocation;
pub mod amount_in_words;
pub mod bank_statement;
pub mod billing;
pub mod contact;
pub mod contract_number;
pub mod discounts;
pub mod dunning;
pub mod holidays;
pub mod ids;
pub mod interest;
pub mod interest_note;
pub mod issued_invoice;
pub mod late_compensation;
pub mod money;
pub mod network;
pub mod network_export;
pub mod nip;
pub mod notices;
pub mod nrb;
pub mod numbering;
pub mod online_payment;
pub mod orders;
pub mod payment_qr;
pub mod payment_title;
pub mod pesel;
pub mod radius;
pub mod receivables;
pub mod recurring;
pub mod subscription_periods;
pub mod tickets;
pub mod top_up;
pub mod traffic;
pub mod vat;
pub mod visits;
pub mod words;

pub use amount_in_words::amount_in_words;
pub use contract_number::{ContractNumber, ContractNumberError};
pub use ids::{ContractId, CustomerId, InvoiceId};
pub use money::{Money, MoneyError};
pub use nip::{Nip, NipError};
pub use nrb::{Nrb, NrbError};
pub use numbering::{NumberTemplate, NumberingError, ResetPeriod, period_key};
pub use payment_qr::{PaymentQr, PaymentQrError};
pub use pesel::{Pesel, PeselError};
pub use vat::{InvoiceTotals, LineInput, PriceKind, VatError, VatRate};
pub use words::{
    AccountStatus, BatchStatus, ChangeRequestStatus, ContractStatus, CustomerKind, Delivery,
    DomainStatus, InvoiceKind, InvoiceStatus, KsefState, MailStatus, NewsKind, PayuRefundState,
    RefundStatus, RunStatus, ServiceKind, ServiceStatus, StoredWord, TransactionStatus,
};
