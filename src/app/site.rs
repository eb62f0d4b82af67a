//! What every page shows about the ISP (name, contact), loaded once at start so layouts and
//! error pages need no query.

use crate::db::{self, DbConn};

#[derive(Debug, Clone, serde::Serialize)]
pub struct SiteInfo {
    pub isp_name: String,
    pub isp_short_name: String,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub website: Option<String>,
}

impl Default for SiteInfo {
    fn default() -> SiteInfo {
        SiteInfo {
            isp_name: "e-BOK".into(),
            isp_short_name: "e-BOK".into(),
            phone: None,
            email: None,
            website: None,
        }
    }
}

/// The ISP's name and contacts at start, for the layout and mail; the defaults when the
/// database cannot say (the portal still starts and shows its error pages).
pub fn at_start(pool: &crate::db::Pool) -> SiteInfo {
    pool.get()
        .ok()
        .and_then(|mut conn| load(&mut conn).ok())
        .unwrap_or_default()
}

pub fn load(conn: &mut DbConn) -> diesel::QueryResult<SiteInfo> {
    Ok(match db::seller::find(conn)? {
        Some(seller) => SiteInfo {
            isp_name: seller.name,
            isp_short_name: seller.short_name,
            phone: Some(seller.phone),
            email: Some(seller.email),
            website: seller.website,
        },
        None => SiteInfo::default(),
    })
}
