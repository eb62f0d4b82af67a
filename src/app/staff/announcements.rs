//! News and outage notices on the subscriber dashboard, and the offer banner: staff create them,
//! schedule them (publish / start / end), target them (everyone, or one area: a city matched
//! against the subscriber's installation city) and retire them. Times are typed in Polish local
//! time and stored in UTC.

use chrono::{NaiveDateTime, TimeZone};
use chrono_tz::Europe::Warsaw;
use serde_json::json;

use super::{FieldErrors, optional};
use crate::app::audit::{self, Actor};
use crate::db::news::announcements::{
    self, BannerChanges, NewOfferBanner, NewsChanges, OfferBanner,
};
use crate::db::news::{NewNewsItem, NewsItem};
use crate::db::{self, DbConn};
use crate::domain::{NewsKind, StoredWord};

#[derive(Debug, thiserror::Error)]
pub enum AnnouncementError {
    #[error("the form has problems")]
    Fields(FieldErrors),
    #[error("not found")]
    NotFound,
    #[error(transparent)]
    Database(#[from] diesel::result::Error),
}

/// `datetime-local` input ("2026-11-21T14:30") in Polish time → UTC. In the autumn DST overlap
/// the earlier instant is taken; a time that does not exist (spring gap) is refused.
pub fn local_to_utc(text: &str) -> Option<NaiveDateTime> {
    let naive = NaiveDateTime::parse_from_str(text.trim(), "%Y-%m-%dT%H:%M")
        .or_else(|_| NaiveDateTime::parse_from_str(text.trim(), "%Y-%m-%dT%H:%M:%S"))
        .ok()?;
    Warsaw
        .from_local_datetime(&naive)
        .earliest()
        .map(|t| t.naive_utc())
}

/// UTC → the `datetime-local` value in Polish time.
pub fn utc_to_local(at: NaiveDateTime) -> String {
    at.and_utc()
        .with_timezone(&Warsaw)
        .format("%Y-%m-%dT%H:%M")
        .to_string()
}

fn time(
    errors: &mut FieldErrors,
    field: &str,
    text: &str,
    required: bool,
) -> Option<NaiveDateTime> {
    if text.trim().is_empty() {
        if required {
            errors.add(field, "staff-error-datetime");
        }
        return None;
    }
    let parsed = local_to_utc(text);
    if parsed.is_none() {
        errors.add(field, "staff-error-datetime");
    }
    parsed
}

fn area(errors: &mut FieldErrors, text: &str) -> Option<String> {
    let area = optional(text)?;
    if area.chars().count() > 80 {
        errors.add("area", "staff-error-area");
    }
    Some(area)
}

// ---- news and outage notices ------------------------------------------------------------------

#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct NewsForm {
    pub kind: String,
    pub title: String,
    pub body: String,
    pub urgent: bool,
    pub area: String,
    pub published_at: String,
    pub starts_at: String,
    pub ends_at: String,
}

impl NewsForm {
    pub fn from_item(n: &NewsItem) -> NewsForm {
        NewsForm {
            kind: n.kind.as_str().to_owned(),
            title: n.title.clone(),
            body: n.body.clone(),
            urgent: n.urgent,
            area: n.area.clone().unwrap_or_default(),
            published_at: utc_to_local(n.published_at),
            starts_at: n.starts_at.map(utc_to_local).unwrap_or_default(),
            ends_at: n.ends_at.map(utc_to_local).unwrap_or_default(),
        }
    }
}

fn check_news(form: &NewsForm, now: NaiveDateTime) -> Result<NewsChanges, FieldErrors> {
    let mut errors = FieldErrors::default();
    let kind = NewsKind::parse(&form.kind);
    if kind.is_none() {
        errors.add("kind", "staff-error-choice");
    }
    if optional(&form.title).is_none() || form.title.trim().chars().count() > 200 {
        errors.add("title", "staff-error-title");
    }
    if optional(&form.body).is_none() {
        errors.add("body", "staff-error-required");
    }
    // Published now unless scheduled.
    let published_at = time(&mut errors, "published_at", &form.published_at, false).unwrap_or(now);
    // An outage or maintenance notice says when it starts; dashboards show it until it ends.
    let is_outage = kind.is_some_and(NewsKind::is_notice);
    let starts_at = time(&mut errors, "starts_at", &form.starts_at, is_outage);
    let ends_at = time(&mut errors, "ends_at", &form.ends_at, false);
    if let (Some(start), Some(end)) = (starts_at, ends_at)
        && end <= start
    {
        errors.add("ends_at", "staff-error-ends-before-start");
    }
    let area = area(&mut errors, &form.area);
    // An unknown kind was added to `errors` above.
    let Some(kind) = kind else {
        return Err(errors);
    };
    errors.into_result(NewsChanges {
        kind,
        title: form.title.trim().to_owned(),
        body: form.body.trim().to_owned(),
        urgent: form.urgent,
        area,
        published_at,
        starts_at,
        ends_at,
    })
}

pub fn save_news(
    conn: &mut DbConn,
    id: Option<i64>,
    form: &NewsForm,
    actor: &Actor,
    now: NaiveDateTime,
) -> Result<i64, AnnouncementError> {
    let changes = check_news(form, now).map_err(AnnouncementError::Fields)?;
    db::write_transaction(conn, |conn| {
        let (id, before) = match id {
            Some(id) => {
                let before =
                    announcements::find_news(conn, id)?.ok_or(AnnouncementError::NotFound)?;
                announcements::update_news(conn, id, &changes)?;
                (id, Some(NewsForm::from_item(&before)))
            }
            None => {
                let id = db::news::insert(
                    conn,
                    &NewNewsItem {
                        kind: changes.kind,
                        title: changes.title.clone(),
                        body: changes.body.clone(),
                        urgent: changes.urgent,
                        area: changes.area.clone(),
                        published_at: changes.published_at,
                        starts_at: changes.starts_at,
                        ends_at: changes.ends_at,
                        author_staff_id: actor.staff_id,
                        created_at: now,
                    },
                )?;
                (id, None)
            }
        };
        audit::record(
            conn,
            actor,
            if before.is_some() {
                "news_changed"
            } else {
                "news_created"
            },
            json!({ "news": id, "before": before, "after": form }),
            now,
        )?;
        Ok(id)
    })
}

pub fn retire_news(
    conn: &mut DbConn,
    id: i64,
    actor: &Actor,
    now: NaiveDateTime,
) -> Result<bool, AnnouncementError> {
    db::write_transaction(conn, |conn| {
        let item = announcements::find_news(conn, id)?.ok_or(AnnouncementError::NotFound)?;
        let retired = announcements::retire_news(conn, id, now)?;
        if retired {
            audit::record(
                conn,
                actor,
                "news_retired",
                json!({ "news": id, "title": item.title }),
                now,
            )?;
        }
        Ok(retired)
    })
}

// ---- the offer banner -------------------------------------------------------------------------

#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct BannerForm {
    pub title: String,
    pub body: String,
    pub link_url: String,
    pub area: String,
    pub starts_at: String,
    pub ends_at: String,
}

impl BannerForm {
    pub fn from_banner(b: &OfferBanner) -> BannerForm {
        BannerForm {
            title: b.title.clone(),
            body: b.body.clone(),
            link_url: b.link_url.clone().unwrap_or_default(),
            area: b.area.clone().unwrap_or_default(),
            starts_at: utc_to_local(b.starts_at),
            ends_at: b.ends_at.map(utc_to_local).unwrap_or_default(),
        }
    }
}

/// A banner links to a page of the portal ("/uslugi") or to the ISP's site over HTTPS; nothing
/// that could run script (`javascript:`) or leave over plain HTTP.
fn link(errors: &mut FieldErrors, text: &str) -> Option<String> {
    let url = optional(text)?;
    let ok = (url.starts_with('/') && !url.starts_with("//"))
        || (url.starts_with("https://") && url.len() > "https://".len());
    if !ok || url.chars().any(char::is_whitespace) || url.len() > 500 {
        errors.add("link_url", "staff-error-link");
    }
    Some(url)
}

fn check_banner(form: &BannerForm, now: NaiveDateTime) -> Result<BannerChanges, FieldErrors> {
    let mut errors = FieldErrors::default();
    if optional(&form.title).is_none() || form.title.trim().chars().count() > 120 {
        errors.add("title", "staff-error-title");
    }
    if optional(&form.body).is_none() {
        errors.add("body", "staff-error-required");
    }
    let link_url = link(&mut errors, &form.link_url);
    let starts_at = time(&mut errors, "starts_at", &form.starts_at, false).unwrap_or(now);
    let ends_at = time(&mut errors, "ends_at", &form.ends_at, false);
    if ends_at.is_some_and(|end| end <= starts_at) {
        errors.add("ends_at", "staff-error-ends-before-start");
    }
    let area = area(&mut errors, &form.area);
    errors.into_result(BannerChanges {
        title: form.title.trim().to_owned(),
        body: form.body.trim().to_owned(),
        link_url,
        area,
        starts_at,
        ends_at,
    })
}

pub fn save_banner(
    conn: &mut DbConn,
    id: Option<i64>,
    form: &BannerForm,
    actor: &Actor,
    now: NaiveDateTime,
) -> Result<i64, AnnouncementError> {
    let changes = check_banner(form, now).map_err(AnnouncementError::Fields)?;
    db::write_transaction(conn, |conn| {
        let (id, before) = match id {
            Some(id) => {
                let before =
                    announcements::find_banner(conn, id)?.ok_or(AnnouncementError::NotFound)?;
                announcements::update_banner(conn, id, &changes)?;
                (id, Some(BannerForm::from_banner(&before)))
            }
            None => {
                let id = announcements::insert_banner(
                    conn,
                    &NewOfferBanner {
                        title: changes.title.clone(),
                        body: changes.body.clone(),
                        link_url: changes.link_url.clone(),
                        area: changes.area.clone(),
                        starts_at: changes.starts_at,
                        ends_at: changes.ends_at,
                        retired_at: None,
                        created_by_staff_id: actor.staff_id,
                        created_at: now,
                    },
                )?;
                (id, None)
            }
        };
        audit::record(
            conn,
            actor,
            if before.is_some() {
                "banner_changed"
            } else {
                "banner_created"
            },
            json!({ "banner": id, "before": before, "after": form }),
            now,
        )?;
        Ok(id)
    })
}

pub fn retire_banner(
    conn: &mut DbConn,
    id: i64,
    actor: &Actor,
    now: NaiveDateTime,
) -> Result<bool, AnnouncementError> {
    db::write_transaction(conn, |conn| {
        let banner = announcements::find_banner(conn, id)?.ok_or(AnnouncementError::NotFound)?;
        let retired = announcements::retire_banner(conn, id, now)?;
        if retired {
            audit::record(
                conn,
                actor,
                "banner_retired",
                json!({ "banner": id, "title": banner.title }),
                now,
            )?;
        }
        Ok(retired)
    })
}

/// Where an announcement stands now, for the staff list.
pub fn state(
    published_or_start: NaiveDateTime,
    ends_at: Option<NaiveDateTime>,
    retired_at: Option<NaiveDateTime>,
    now: NaiveDateTime,
) -> &'static str {
    if retired_at.is_some() {
        "retired"
    } else if published_or_start > now {
        "scheduled"
    } else if ends_at.is_some_and(|end| end <= now) {
        "ended"
    } else {
        "live"
    }
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct NewsRow {
    pub item: NewsItem,
    pub state: &'static str,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct BannerRow {
    pub banner: OfferBanner,
    pub state: &'static str,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Overview {
    pub news: Vec<NewsRow>,
    pub banners: Vec<BannerRow>,
    pub cities: Vec<String>,
}

pub fn overview(conn: &mut DbConn, now: NaiveDateTime) -> diesel::QueryResult<Overview> {
    let news = announcements::all_news(conn, 200)?
        .into_iter()
        .map(|item| NewsRow {
            state: state(item.published_at, item.ends_at, item.retired_at, now),
            item,
        })
        .collect();
    let banners = announcements::all_banners(conn, 100)?
        .into_iter()
        .map(|banner| BannerRow {
            state: state(banner.starts_at, banner.ends_at, banner.retired_at, now),
            banner,
        })
        .collect();
    Ok(Overview {
        news,
        banners,
        cities: announcements::installation_cities(conn)?,
    })
}

// ---- one editor for both kinds ----------------------------------------------------------------

/// What differs between a news item and the offer banner; creating, editing and retiring them is
/// otherwise the same, so the staff pages are written once over this.
pub trait Announcement: Send + 'static {
    type Form: Clone + Default + serde::Serialize + Send + 'static;
    /// The form of a new one, published (or starting) now.
    fn blank(now: NaiveDateTime) -> Self::Form;
    fn load(conn: &mut DbConn, id: i64) -> diesel::QueryResult<Option<Self::Form>>;
    fn save(
        conn: &mut DbConn,
        id: Option<i64>,
        form: &Self::Form,
        actor: &Actor,
        now: NaiveDateTime,
    ) -> Result<i64, AnnouncementError>;
    fn retire(
        conn: &mut DbConn,
        id: i64,
        actor: &Actor,
        now: NaiveDateTime,
    ) -> Result<bool, AnnouncementError>;
}

/// News items and outage or maintenance notices.
pub struct News;

/// The dashboard's offer banner.
pub struct Banner;

impl Announcement for News {
    type Form = NewsForm;
    fn blank(now: NaiveDateTime) -> NewsForm {
        NewsForm {
            kind: "news".into(),
            published_at: utc_to_local(now),
            ..NewsForm::default()
        }
    }
    fn load(conn: &mut DbConn, id: i64) -> diesel::QueryResult<Option<NewsForm>> {
        Ok(announcements::find_news(conn, id)?.map(|item| NewsForm::from_item(&item)))
    }
    fn save(
        conn: &mut DbConn,
        id: Option<i64>,
        form: &NewsForm,
        actor: &Actor,
        now: NaiveDateTime,
    ) -> Result<i64, AnnouncementError> {
        save_news(conn, id, form, actor, now)
    }
    fn retire(
        conn: &mut DbConn,
        id: i64,
        actor: &Actor,
        now: NaiveDateTime,
    ) -> Result<bool, AnnouncementError> {
        retire_news(conn, id, actor, now)
    }
}

impl Announcement for Banner {
    type Form = BannerForm;
    fn blank(now: NaiveDateTime) -> BannerForm {
        BannerForm {
            starts_at: utc_to_local(now),
            ..BannerForm::default()
        }
    }
    fn load(conn: &mut DbConn, id: i64) -> diesel::QueryResult<Option<BannerForm>> {
        Ok(announcements::find_banner(conn, id)?.map(|banner| BannerForm::from_banner(&banner)))
    }
    fn save(
        conn: &mut DbConn,
        id: Option<i64>,
        form: &BannerForm,
        actor: &Actor,
        now: NaiveDateTime,
    ) -> Result<i64, AnnouncementError> {
        save_banner(conn, id, form, actor, now)
    }
    fn retire(
        conn: &mut DbConn,
        id: i64,
        actor: &Actor,
        now: NaiveDateTime,
    ) -> Result<bool, AnnouncementError> {
        retire_banner(conn, id, actor, now)
    }
}

/// The form an editor page shows with the towns an announcement can be limited to.
pub struct Editor<F> {
    pub form: F,
    pub cities: Vec<String>,
}

/// The editor of announcement `id` (`None`: a new one, blank); `None` when there is no such one.
pub fn editor<A: Announcement>(
    conn: &mut DbConn,
    id: Option<i64>,
    now: NaiveDateTime,
) -> diesel::QueryResult<Option<Editor<A::Form>>> {
    let form = match id {
        Some(id) => match A::load(conn, id)? {
            Some(form) => form,
            None => return Ok(None),
        },
        None => A::blank(now),
    };
    let cities = announcements::installation_cities(conn)?;
    Ok(Some(Editor { form, cities }))
}

/// The towns for an editor page shown again with a typed form's problems.
pub fn cities(conn: &mut DbConn) -> diesel::QueryResult<Vec<String>> {
    announcements::installation_cities(conn)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn polish_times_are_stored_in_utc_across_dst() {
        assert_eq!(
            local_to_utc("2026-07-01T12:00").unwrap().to_string(),
            "2026-07-01 10:00:00"
        );
        assert_eq!(
            local_to_utc("2026-11-21T12:00").unwrap().to_string(),
            "2026-11-21 11:00:00"
        );
        // 02:30 on the last Sunday of March does not exist in Poland.
        assert_eq!(local_to_utc("2026-03-29T02:30"), None);
        assert_eq!(
            utc_to_local(local_to_utc("2026-11-21T12:00").unwrap()),
            "2026-11-21T12:00"
        );
    }

    #[test]
    fn banner_links_are_portal_paths_or_https() {
        let mut errors = FieldErrors::default();
        assert!(link(&mut errors, "/uslugi").is_some());
        assert!(link(&mut errors, "https://isp.pl/oferta").is_some());
        assert!(errors.is_empty());
        link(&mut errors, "javascript:alert(1)");
        assert_eq!(errors.get("link_url"), Some("staff-error-link"));
    }
}
