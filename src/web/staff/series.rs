//! `/staff/serie`: numbering series, for admins only.

use rocket::form::FromForm;
use rocket::http::Status;
use rocket::response::{Flash, Redirect};
use rocket::{Either, Route, get, post, routes};
use rocket_dyn_templates::{Template, context};

use crate::app::audit::Actor;
use crate::app::clock;
use crate::app::series::{self, SeriesError, SeriesForm};
use crate::app::staff_roles::Permission;
use crate::domain::numbering::NumberingError;
use crate::web::client_ip::ClientIp;
use crate::web::csrf::{CsrfForm, Protected};
use crate::web::page::Layout;
use crate::web::session::CurrentStaff;
use crate::web::{Db, server_error};

pub fn routes() -> Vec<Route> {
    routes![list, create, update]
}

#[derive(Debug, FromForm)]
pub struct SeriesFields {
    #[field(default = String::new())]
    code: String,
    #[field(default = String::new())]
    name: String,
    #[field(default = String::new())]
    kind: String,
    #[field(default = String::new())]
    template: String,
    #[field(default = String::new())]
    reset_period: String,
    active: bool,
    #[field(default = String::new())]
    csrf_token: String,
}

impl CsrfForm for SeriesFields {
    fn csrf_token(&self) -> &str {
        &self.csrf_token
    }
}

impl SeriesFields {
    fn form(&self) -> SeriesForm {
        SeriesForm {
            code: self.code.clone(),
            name: self.name.clone(),
            kind: self.kind.clone(),
            template: self.template.clone(),
            reset_period: self.reset_period.clone(),
            active: self.active,
        }
    }
}

fn message(error: &SeriesError) -> String {
    match error {
        SeriesError::Code => "Kod serii to od 1 do 10 wielkich liter lub cyfr, np. FV.".into(),
        SeriesError::CodeTaken => "Seria o tym kodzie już istnieje.".into(),
        SeriesError::Name => "Podaj nazwę serii.".into(),
        SeriesError::Kind => "Wybierz rodzaj: faktury lub korekty.".into(),
        SeriesError::InUse => "W tej serii są już faktury: szablonu i okresu numeracji nie można zmienić. Załóż nową serię.".into(),
        SeriesError::NotFound => "Nie ma takiej serii.".into(),
        SeriesError::Template(problem) => format!("Szablon numeru: {}", template_message(problem)),
        SeriesError::Database(_) => "Nie udało się zapisać serii.".into(),
    }
}

fn template_message(problem: &NumberingError) -> &'static str {
    match problem {
        NumberingError::MissingCounter => "musi zawierać licznik {N} (np. {N:06}).",
        NumberingError::MoreThanOneCounter => "może zawierać tylko jeden licznik {N}.",
        NumberingError::UnknownToken(_) => {
            "dozwolone znaczniki to {YYYY}, {YY}, {MM}, {N} i {N:0k}."
        }
        NumberingError::BadCounterWidth(_) => {
            "szerokość licznika zapisz jako {N:06} (od 01 do 012)."
        }
        NumberingError::UnclosedBrace | NumberingError::StrayClosingBrace => {
            "nawiasy { } nie pasują do siebie."
        }
        NumberingError::ControlCharacter => "zawiera niedozwolony znak.",
        NumberingError::MissingMonth => "seria numerowana co miesiąc musi zawierać {MM} i rok.",
        NumberingError::MissingYear => {
            "seria numerowana co rok (lub co miesiąc) musi zawierać rok: {YYYY} lub {YY}."
        }
        NumberingError::UnknownResetPeriod(_) => "wybierz, kiedy numeracja zaczyna się od nowa.",
    }
}

async fn page(
    db: &Db,
    layout: Layout,
    error: Option<String>,
    typed: Option<SeriesForm>,
) -> Result<Template, Status> {
    let rows = db.query(series::list).await?;
    let typed = typed.unwrap_or(SeriesForm {
        kind: "invoice".into(),
        reset_period: "monthly".into(),
        active: true,
        ..SeriesForm::default()
    });
    Ok(Template::render(
        "staff/series",
        context! {
            layout,
            rows,
            error,
            typed: context! { code: typed.code, name: typed.name, kind: typed.kind, template: typed.template, reset_period: typed.reset_period },
        },
    ))
}

#[get("/staff/serie")]
async fn list(staff: CurrentStaff, layout: Layout, db: Db) -> Result<Template, Status> {
    staff.require(Permission::ConfigureInvoicing)?;
    page(&db, layout, None, None).await
}

#[post("/staff/serie", data = "<form>")]
async fn create(
    form: Protected<SeriesFields>,
    staff: CurrentStaff,
    layout: Layout,
    ip: ClientIp,
    db: Db,
) -> Result<Either<Flash<Redirect>, (Status, Template)>, Status> {
    staff.require(Permission::ConfigureInvoicing)?;
    let actor = Actor::staff(staff.staff.id, ip.0.map(|ip| ip.to_string()));
    let input = form.form();
    let now = clock::now();
    let result = db
        .run(move |conn| series::create(conn, &input, &actor, now))
        .await
        .map_err(|e| server_error(&e))?;
    match result {
        Ok(_) => Ok(Either::Left(Flash::success(
            Redirect::to("/staff/serie"),
            "Dodano serię numeracji.",
        ))),
        Err(SeriesError::Database(e)) => Err(server_error(&e)),
        Err(error) => Ok(Either::Right((
            Status::UnprocessableEntity,
            page(&db, layout, Some(message(&error)), Some(form.form())).await?,
        ))),
    }
}

#[post("/staff/serie/<id>", data = "<form>")]
async fn update(
    id: i64,
    form: Protected<SeriesFields>,
    staff: CurrentStaff,
    layout: Layout,
    ip: ClientIp,
    db: Db,
) -> Result<Either<Flash<Redirect>, (Status, Template)>, Status> {
    staff.require(Permission::ConfigureInvoicing)?;
    let actor = Actor::staff(staff.staff.id, ip.0.map(|ip| ip.to_string()));
    let input = form.form();
    let now = clock::now();
    let result = db
        .run(move |conn| series::update(conn, id, &input, &actor, now))
        .await
        .map_err(|e| server_error(&e))?;
    match result {
        Ok(()) => Ok(Either::Left(Flash::success(
            Redirect::to("/staff/serie"),
            "Zapisano serię numeracji.",
        ))),
        Err(SeriesError::NotFound) => Err(Status::NotFound),
        Err(SeriesError::Database(e)) => Err(server_error(&e)),
        Err(error) => Ok(Either::Right((
            Status::UnprocessableEntity,
            page(&db, layout, Some(message(&error)), None).await?,
        ))),
    }
}
