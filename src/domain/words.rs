//! Closed sets of values stored as a word in a text column (an invoice's kind, a contract's
//! status, a KSeF document's state …): one enum each, so code matches on a variant instead of comparing strings, and a
//! word the code does not know is an error where the row is read, not a branch nobody took.
//!
//! The stored word is also what pages, JSON and the audit trail see (serde writes it), so
//! templates comparing `invoice.kind == "correction"` read what they always read. The column
//! mapping lives in `db::typed`.
//!
//! Words that belong to rules of their own are declared with `stored_words!` beside those rules
//! (tickets, online payments, recurring payments, visits, discounts, dunning, shop orders); the
//! rest are here.

/// A value stored as one of a fixed set of words.
pub trait StoredWord: Sized + Copy + 'static {
    /// Every value, in the order the words are listed.
    const ALL: &'static [Self];

    /// The word stored for this value.
    fn as_str(self) -> &'static str;

    /// The value stored as `word`, if it is one of ours.
    fn parse(word: &str) -> Option<Self> {
        Self::ALL
            .iter()
            .copied()
            .find(|value| value.as_str() == word)
    }
}

/// Defines an enum of stored words with `StoredWord`, `Display` and serde as the word.
macro_rules! stored_words {
    ($(#[$doc:meta])* $name:ident { $($(#[$variant_doc:meta])* $variant:ident = $word:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name {
            $($(#[$variant_doc])* $variant),+
        }

        impl $crate::domain::words::StoredWord for $name {
            const ALL: &'static [Self] = &[$($name::$variant),+];

            fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $word),+
                }
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.pad($crate::domain::words::StoredWord::as_str(*self))
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str($crate::domain::words::StoredWord::as_str(*self))
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let word = String::deserialize(deserializer)?;
                <$name as $crate::domain::words::StoredWord>::parse(&word).ok_or_else(|| {
                    serde::de::Error::custom(format!(
                        concat!("not a ", stringify!($name), ": {:?}"),
                        word
                    ))
                })
            }
        }
    };
}
pub(crate) use stored_words;

stored_words!(
    /// What an invoice row is: an invoice, or a corrective invoice (art. 106j).
    InvoiceKind {
        Invoice = "invoice",
        /// "Faktura korygująca": refers to the document it corrects.
        Correction = "correction",
    }
);

stored_words!(
    /// Where an invoice row stands. Only issued invoices carry a number and count as owed.
    InvoiceStatus {
        Draft = "draft",
        Issued = "issued",
    }
);

stored_words!(
    /// How the invoice reaches the customer: by e-mail (with consent, art. 106n) or on paper.
    Delivery {
        Email = "email",
        Paper = "paper",
    }
);

stored_words!(
    /// Whether a customer is a person (PESEL, prices with VAT) or a company (NIP, net prices).
    CustomerKind {
        Person = "person",
        Company = "company",
    }
);

stored_words!(
    /// A portal account's state: pending until the e-mail is confirmed, disabled by staff.
    AccountStatus {
        Pending = "pending",
        Active = "active",
        Disabled = "disabled",
    }
);

stored_words!(
    /// A contract's state. Only an active contract is billed and offers its services.
    ContractStatus {
        Active = "active",
        Suspended = "suspended",
        Terminated = "terminated",
    }
);

stored_words!(
    /// A service's state on the network.
    ServiceStatus {
        Active = "active",
        Suspended = "suspended",
        Ended = "ended",
    }
);

stored_words!(
    /// What a service is.
    ServiceKind {
        Internet = "internet",
        Tv = "tv",
        Phone = "phone",
        Hosting = "hosting",
        StaticIp = "static_ip",
        Other = "other",
    }
);

stored_words!(
    /// A domain's registration state.
    DomainStatus {
        Active = "active",
        Expired = "expired",
        Pending = "pending",
        TransferredOut = "transferred_out",
    }
);

stored_words!(
    /// Where an invoice's FA(3) document is on its way to KSeF. The sender moves it only by
    /// conditional updates on the state it leaves (`db::ksef`).
    KsefState {
        /// Made while KSeF was not set up (or for a buyer it does not serve): never sent.
        Local = "local",
        /// The XML could not be made from the invoice; staff see why.
        XmlFailed = "xml_failed",
        /// Waiting for the sender (or for its original's KSeF number, without XML yet).
        Queued = "queued",
        /// Claimed by a sender until its lease runs out.
        Sending = "sending",
        /// Taken into a KSeF session; the verdict is not known yet.
        Sent = "sent",
        /// KSeF gave it its number.
        Accepted = "accepted",
        /// KSeF refused it; staff may send it again.
        Rejected = "rejected",
    }
);

impl KsefState {
    /// Given to KSeF and not refused: the invoice has, or is about to have, a KSeF number.
    pub fn is_with_ksef(self) -> bool {
        matches!(self, KsefState::Sent | KsefState::Accepted)
    }

    /// Never goes to KSeF as it stands (no XML, or made locally).
    pub fn is_never_sent(self) -> bool {
        matches!(self, KsefState::Local | KsefState::XmlFailed)
    }
}

stored_words!(
    /// A billing run's state (`billing_runs.status`). A run whose heartbeat stopped is still
    /// `Running` in the table; the panel shows it as interrupted and the next start ends it.
    RunStatus {
        Running = "running",
        Finished = "finished",
        Failed = "failed",
    }
);

stored_words!(
    /// A message in the mail outbox (`outbox.status`).
    MailStatus {
        /// Waiting for its next attempt.
        Pending = "pending",
        /// Claimed by a sender until its lease runs out.
        Sending = "sending",
        Sent = "sent",
        /// Every attempt failed; staff see the last error.
        Failed = "failed",
    }
);

stored_words!(
    /// A profile change the subscriber asked for and the ISP verifies first
    /// (`profile_change_requests.status`).
    ChangeRequestStatus {
        Pending = "pending",
        Approved = "approved",
        Rejected = "rejected",
        /// Withdrawn by the subscriber (or replaced by a newer request for the same field).
        Withdrawn = "withdrawn",
    }
);

stored_words!(
    /// The refund of a correction's overpaid part (`correction_refunds.status`).
    RefundStatus {
        /// Owed to the customer; staff (or PayU) have not sent it yet.
        Pending = "pending",
        Sent = "sent",
    }
);

stored_words!(
    /// A refund sent back through PayU (`payu_refunds.state`): `ToSend` → `Requested` (PayU took
    /// it) → `Finalized` or `Canceled` (PayU's notification); `Refused` when PayU would not take
    /// it at all.
    PayuRefundState {
        ToSend = "to_send",
        Requested = "requested",
        Finalized = "finalized",
        Canceled = "canceled",
        Refused = "refused",
    }
);

impl PayuRefundState {
    /// PayU will not send it: staff send the money by transfer instead.
    pub fn is_given_up(self) -> bool {
        matches!(self, PayuRefundState::Canceled | PayuRefundState::Refused)
    }
}

stored_words!(
    /// An imported bank statement (`import_batches.status`): read into a preview, then booked
    /// or dropped by staff, once.
    BatchStatus {
        Preview = "preview",
        Committed = "committed",
        Discarded = "discarded",
    }
);

stored_words!(
    /// What a `news` item is: news for the dashboard, or a notice of an outage or of planned
    /// work, which says when it starts and is mailed to the customers of its area.
    NewsKind {
        News = "news",
        Outage = "outage",
        Maintenance = "maintenance",
    }
);

impl NewsKind {
    /// The kinds that are notices of network work (a start, an end, an area to mail).
    pub const NOTICES: [NewsKind; 2] = [NewsKind::Outage, NewsKind::Maintenance];

    pub fn is_notice(self) -> bool {
        self != NewsKind::News
    }
}

stored_words!(
    /// One line of an imported statement (`bank_transactions.status`).
    TransactionStatus {
        /// A credit matched to a customer (booked as a payment once committed).
        Matched = "matched",
        /// A credit no customer was found for: the review queue once committed.
        Unmatched = "unmatched",
        /// Assigned to a customer by staff from the review queue.
        Assigned = "assigned",
        /// Booked by an earlier import: listed, never booked twice.
        Duplicate = "duplicate",
        /// Money going out: listed only.
        Debit = "debit",
        /// A credit that only looks booked before: waits for staff, never dropped.
        Held = "held",
    }
);

impl StoredWord for super::PriceKind {
    const ALL: &'static [Self] = &[super::PriceKind::Net, super::PriceKind::Gross];

    fn as_str(self) -> &'static str {
        match self {
            super::PriceKind::Net => "net",
            super::PriceKind::Gross => "gross",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::PriceKind;

    #[test]
    fn every_word_reads_back_as_its_value_and_nothing_else_does() {
        for kind in InvoiceKind::ALL {
            assert_eq!(InvoiceKind::parse(kind.as_str()), Some(*kind));
        }
        for status in InvoiceStatus::ALL {
            assert_eq!(InvoiceStatus::parse(status.as_str()), Some(*status));
        }
        assert_eq!(Delivery::parse("paper"), Some(Delivery::Paper));
        assert_eq!(PriceKind::parse("net"), Some(PriceKind::Net));
        assert_eq!(InvoiceKind::parse("Invoice"), None);
        assert_eq!(Delivery::parse(""), None);
    }

    #[test]
    fn serde_writes_and_reads_the_stored_word() {
        assert_eq!(
            serde_json::to_string(&InvoiceKind::Correction).unwrap(),
            "\"correction\""
        );
        assert_eq!(
            serde_json::from_str::<Delivery>("\"email\"").unwrap(),
            Delivery::Email
        );
        assert!(serde_json::from_str::<InvoiceStatus>("\"paid\"").is_err());
    }

    #[test]
    fn a_word_keeps_the_width_asked_for() {
        // `ebok ksef status` lines the states up with `{:>10}`.
        assert_eq!(format!("{:>10}|", KsefState::Sent), "      sent|");
        assert_eq!(format!("{:<8}|", KsefState::Queued), "queued  |");
    }
}
