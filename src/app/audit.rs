//! Writing the audit trail from use cases.

use chrono::NaiveDateTime;
use serde_json::Value;

use crate::db::audit::NewAuditEntry;
use crate::db::{self, DbConn};

/// Who did it, from where.
#[derive(Debug, Clone, Default)]
pub struct Actor {
    pub account_id: Option<i64>,
    pub staff_id: Option<i64>,
    pub customer_id: Option<i64>,
    pub ip: Option<String>,
}

impl Actor {
    pub fn anonymous(ip: Option<String>) -> Actor {
        Actor {
            ip,
            ..Actor::default()
        }
    }

    pub fn account(account_id: i64, customer_id: i64, ip: Option<String>) -> Actor {
        Actor {
            account_id: Some(account_id),
            customer_id: Some(customer_id),
            ip,
            ..Actor::default()
        }
    }

    pub fn staff(staff_id: i64, ip: Option<String>) -> Actor {
        Actor {
            staff_id: Some(staff_id),
            ip,
            ..Actor::default()
        }
    }

    fn kind(&self) -> &'static str {
        match (self.account_id, self.staff_id) {
            (Some(_), _) => "customer",
            (None, Some(_)) => "staff",
            (None, None) => "anonymous",
        }
    }
}

pub fn record(
    conn: &mut DbConn,
    actor: &Actor,
    action: &str,
    details: Value,
    now: NaiveDateTime,
) -> diesel::QueryResult<()> {
    db::audit::insert(
        conn,
        &NewAuditEntry {
            at: now,
            actor_kind: actor.kind().into(),
            actor_account_id: actor.account_id,
            actor_staff_id: actor.staff_id,
            customer_id: actor.customer_id,
            ip: actor.ip.clone(),
            action: action.into(),
            details: details.to_string(),
        },
    )
    .map(|_| ())
}

impl Actor {
    /// The same actor, acting on one customer's records (so the customer card's audit trail
    /// finds the entry).
    pub fn for_customer(&self, customer_id: i64) -> Actor {
        Actor {
            customer_id: Some(customer_id),
            ..self.clone()
        }
    }
}
