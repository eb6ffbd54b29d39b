//! The researcher's console under /admin: server-rendered pages for admins (the same login as
//! the team-lead pages), one file per page. A handler reads like an API handler: its extractors
//! ([`Admin`], [`CsrfForm`], [`CsrfUpload`]) let only a signed-in admin with the session's CSRF
//! token through and hand over a typed form; it calls `app`; [`settle`] redirects on success or
//! renders the page again with each error next to its field, in the page's language, with what
//! was typed kept and nothing stored.

use actix_web::dev::Payload;
use actix_web::error::InternalError;
use actix_web::http::StatusCode;
use actix_web::{web, FromRequest, HttpRequest, HttpResponse, ResponseError};
use std::future::Future;
use std::pin::Pin;

use super::session::{error_page, page_user, redirect};
use super::{lang_of, message, render};
use crate::error::{AppError, ErrorCode};
use crate::http::auth::Principal;
use crate::http::AppState;
use crate::i18n::console::{console_text, ConsoleText};
use crate::i18n::Lang;

pub mod audit;
pub mod form;
pub mod links;
pub mod mailing;
pub mod overview;
pub mod survey;
pub mod survey_form;
pub mod teams;
pub mod upload;
pub mod users;
pub mod wave;

pub use form::Fields;

/// The application's state, as handlers take it.
pub type State = web::Data<AppState>;

/// The console's routes: `method "path" => handler`, in the style of the API's table.
macro_rules! console_routes {
    ($($method:ident $path:literal => $handler:path,)+) => {
        pub fn configure(cfg: &mut web::ServiceConfig) {
            $(cfg.route($path, web::$method().to($handler));)+
        }
    };
}

console_routes! {
    get "/admin" => overview::show,
    get "/admin/teams" => teams::show,
    post "/admin/teams" => teams::create,
    post "/admin/teams/{id}" => teams::rename,
    get "/admin/teams/{id}/delete" => teams::confirm,
    post "/admin/teams/{id}/delete" => teams::delete,
    get "/admin/users" => users::show,
    post "/admin/users" => users::create,
    post "/admin/users/{id}" => users::update,
    post "/admin/users/{id}/delete" => users::delete,
    get "/admin/surveys/new" => survey::new,
    post "/admin/surveys" => survey::create,
    get "/admin/surveys/{id}" => survey::edit,
    post "/admin/surveys/{id}" => survey::update,
    get "/admin/surveys/{id}/preview" => survey::preview,
    post "/admin/surveys/{id}/waves" => wave::create,
    get "/admin/surveys/{id}/waves/{wave_id}" => wave::show,
    post "/admin/surveys/{id}/waves/{wave_id}" => wave::update,
    get "/admin/surveys/{id}/waves/{wave_id}/close" => wave::confirm,
    post "/admin/surveys/{id}/waves/{wave_id}/close" => wave::close,
    post "/admin/surveys/{id}/waves/{wave_id}/import" => wave::import,
    get "/admin/surveys/{id}/waves/{wave_id}/import-template.csv" => wave::template,
    get "/admin/surveys/{id}/waves/{wave_id}/links" => wave::back,
    post "/admin/surveys/{id}/waves/{wave_id}/links" => links::personal,
    post "/admin/surveys/{id}/waves/{wave_id}/links/again" => links::links_again,
    get "/admin/surveys/{id}/waves/{wave_id}/team-links" => wave::back,
    post "/admin/surveys/{id}/waves/{wave_id}/team-links" => links::team_link,
    post "/admin/surveys/{id}/waves/{wave_id}/team-links/again" => links::poster_again,
    get "/admin/surveys/{id}/waves/{wave_id}/mailings" => wave::back,
    post "/admin/surveys/{id}/waves/{wave_id}/mailings" => mailing::upload,
    post "/admin/surveys/{id}/waves/{wave_id}/mailings/{mailing_id}/reminders" => mailing::remind,
    post "/admin/surveys/{id}/waves/{wave_id}/mailings/{mailing_id}/retry" => mailing::retry,
    post "/admin/surveys/{id}/waves/{wave_id}/mail-template" => mailing::template,
    post "/admin/surveys/{id}/waves/{wave_id}/mail-test" => mailing::test_send,
    post "/admin/invitations/{id}/revoke" => wave::revoke,
    get "/admin/audit" => audit::show,
    get "/admin/audit.csv" => audit::csv,
}

/// A signed-in admin, in the language of the page. As an extractor: not signed in, a redirect
/// to the login page (back here afterwards); signed in but no admin, a 403 page.
pub struct Admin {
    pub lang: Lang,
    pub t: &'static ConsoleText,
    pub who: Principal,
}

type Refusal = actix_web::Error;

fn refuse(page: HttpResponse) -> Refusal {
    InternalError::from_response("console request refused", page).into()
}

impl Admin {
    async fn of(req: HttpRequest) -> Result<Admin, HttpResponse> {
        let lang = lang_of(&req);
        let Some(state) = req.app_data::<web::Data<AppState>>() else {
            return Err(error_page(lang, &ErrorCode::Internal.into()));
        };
        let who = page_user(state, &req).await?;
        let t = console_text(lang);
        if !who.is_admin() {
            let status = StatusCode::FORBIDDEN;
            return Err(message(status, t.lang_code, t.not_admin, "", "problem"));
        }
        Ok(Admin { lang, t, who })
    }

    /// The page's shared head: language, title, the user, the CSRF token, and the address of
    /// this page (for the language link: a GET page, so a form's result never 404s).
    pub fn head(&self, title: &'static str, here: impl Into<String>) -> Head {
        Head {
            lang: self.t.lang_code,
            title,
            user: self.who.email.clone().unwrap_or_default(),
            csrf: self.who.csrf.clone().unwrap_or_default(),
            notice: None,
            errors: Errors::default(),
            here: here.into(),
            lang_form: None,
        }
    }

    /// A console page's address in this language, with a notice (`done=…`; "" for none).
    pub fn to(&self, path: &str, done: &str) -> String {
        match done {
            "" => format!("{path}?{}", self.q()),
            d => format!("{path}?{}&done={d}", self.q()),
        }
    }

    /// `lang=xx` for links that keep the page's language.
    pub fn q(&self) -> String {
        format!("lang={}", self.lang.code())
    }

    /// What a form cannot show next to a field, as a page in the reader's language.
    pub fn failed(&self, e: &AppError) -> HttpResponse {
        error_page(self.lang, e)
    }
}

impl FromRequest for Admin {
    type Error = Refusal;
    type Future = Pin<Box<dyn Future<Output = Result<Admin, Refusal>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move { Admin::of(req).await.map_err(refuse) })
    }
}

/// A console form from a signed-in admin whose CSRF token matched the session's (compared in
/// constant time), read into `T` (see `form`). A wrong token gets a 403 page in the admin's
/// language; a form that cannot be read (a tampered select) a 400 page.
pub struct CsrfForm<T> {
    pub admin: Admin,
    pub form: T,
    /// Every field as posted (for forms with numbered names).
    pub fields: Fields,
}

impl<T: serde::de::DeserializeOwned + 'static> FromRequest for CsrfForm<T> {
    type Error = Refusal;
    type Future = Pin<Box<dyn Future<Output = Result<CsrfForm<T>, Refusal>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let admin = Admin::of(req.clone());
        let body = web::Form::<Vec<(String, String)>>::from_request(req, payload);
        Box::pin(async move {
            let admin = admin.await.map_err(refuse)?;
            let pairs = body.await.map_err(|e| {
                let e = e.as_error::<AppError>().map_or_else(
                    || ErrorCode::BadForm {
                        detail: e.to_string(),
                    },
                    |a| a.problem().cloned().unwrap_or(ErrorCode::Internal),
                );
                refuse(admin.failed(&e.into()))
            })?;
            let fields = Fields::new(pairs.into_inner());
            admin
                .who
                .check_csrf(Some(&fields.get("csrf")))
                .map_err(|e| refuse(admin.failed(&e)))?;
            let form = fields.read::<T>().map_err(|e| {
                refuse(
                    admin.failed(
                        &ErrorCode::BadForm {
                            detail: e.to_string(),
                        }
                        .into(),
                    ),
                )
            })?;
            Ok(CsrfForm {
                admin,
                form,
                fields,
            })
        })
    }
}

/// A multipart upload (a CSV file) from a signed-in admin, its CSRF part checked like
/// [`CsrfForm`]'s; at most `upload::LIMIT` bytes.
pub struct CsrfUpload {
    pub admin: Admin,
    /// The parts: (name, content).
    pub parts: Vec<(String, Vec<u8>)>,
}

impl CsrfUpload {
    /// A part's content ("" when absent).
    pub fn part(&self, name: &str) -> &[u8] {
        self.parts
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_slice())
            .unwrap_or_default()
    }
}

impl FromRequest for CsrfUpload {
    type Error = Refusal;
    type Future = Pin<Box<dyn Future<Output = Result<CsrfUpload, Refusal>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let admin = Admin::of(req.clone());
        let body = web::Payload::from_request(req, payload);
        let content_type = req
            .headers()
            .get(actix_web::http::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string();
        Box::pin(async move {
            let admin = admin.await.map_err(refuse)?;
            let too_large = || refuse(admin.failed(&ErrorCode::FileTooLarge { mb: 20 }.into()));
            let bytes = match body.await {
                Ok(p) => match p.to_bytes_limited(upload::LIMIT).await {
                    Ok(Ok(b)) => b,
                    _ => return Err(too_large()),
                },
                Err(_) => return Err(too_large()),
            };
            let parts = upload::multipart(&content_type, &bytes);
            let up = CsrfUpload { admin, parts };
            let csrf = String::from_utf8_lossy(up.part("csrf")).to_string();
            up.admin
                .who
                .check_csrf(Some(&csrf))
                .map_err(|e| refuse(up.admin.failed(&e)))?;
            Ok(up)
        })
    }
}

/// What every console page shows above its content (see `templates/admin/nav.html`).
pub struct Head {
    pub lang: &'static str,
    pub title: &'static str,
    pub user: String,
    pub csrf: String,
    pub notice: Option<String>,
    /// `_form`: a refused change, shown above the page; any other field: the banner saying
    /// nothing was saved.
    pub errors: Errors,
    /// This page's address without the language (the language link adds it).
    pub here: String,
    /// A page that shows what exists only once (new links): its language link is a form that
    /// posts them back to this address, to be shown again in the other language.
    pub lang_form: Option<(String, Vec<(String, String)>)>,
}

impl Head {
    pub fn notice(mut self, n: Option<impl Into<String>>) -> Head {
        self.notice = n.map(Into::into);
        self
    }
    pub fn errors(mut self, e: &Errors) -> Head {
        self.errors = e.clone();
        self
    }
    pub fn lang_form(mut self, action: String, hidden: Vec<(String, String)>) -> Head {
        self.lang_form = Some((action, hidden));
        self
    }
    /// The language link: this page in the other language.
    pub fn other_lang(&self, other: &str) -> String {
        let sep = if self.here.contains('?') { '&' } else { '?' };
        format!("{}{sep}lang={other}", self.here)
    }
}

/// Errors shown next to their fields (`_form` for the form as a whole).
#[derive(Default, Clone, Debug)]
pub struct Errors(pub Vec<(String, String)>);

impl Errors {
    pub fn get(&self, field: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(f, _)| f == field)
            .map(|(_, m)| m.as_str())
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    /// The message for an error from `app`: a validation error next to its field, a refused
    /// change above the form; None for errors a form cannot show (they get an error page).
    pub fn from_error(lang: Lang, e: &AppError) -> Option<Errors> {
        if e.is_validation() {
            Some(Errors(vec![(
                e.field().unwrap_or_default(),
                e.message(lang),
            )]))
        } else if e.is_conflict() {
            Some(Errors(vec![("_form".into(), e.message(lang))]))
        } else {
            None
        }
    }
    /// The same errors with a refused change shown at `field` (a form of one field).
    pub fn at(mut self, field: &str) -> Errors {
        for (f, _) in self.0.iter_mut() {
            if f == "_form" {
                *f = field.to_string();
            }
        }
        self
    }
}

/// The end of a console form: on success a redirect to `done`'s address (so a reload sends
/// nothing again); an error a form can show renders the page again through `again` (the
/// errors and the status: 422 or 409); any other error is an error page.
pub async fn settle<T, Fut>(
    admin: &Admin,
    result: Result<T, AppError>,
    done: impl FnOnce(T) -> String,
    again: impl FnOnce(Errors, StatusCode) -> Fut,
) -> HttpResponse
where
    Fut: Future<Output = HttpResponse>,
{
    match result {
        Ok(v) => redirect(&done(v)),
        Err(e) => match Errors::from_error(admin.lang, &e) {
            Some(errors) => again(errors, e.status_code()).await,
            None => admin.failed(&e),
        },
    }
}

/// `?done=` of a redirect after a form: which notice the page shows.
#[derive(serde::Deserialize, Default)]
pub struct Done {
    pub done: Option<String>,
}

impl Done {
    pub fn notice(&self, t: &ConsoleText) -> Option<&'static str> {
        match self.done.as_deref()? {
            "deleted" => Some(t.deleted),
            "closed" => Some(t.closed_done),
            _ => Some(t.saved),
        }
    }
}

/// A fraction as a percentage ("—" when there is none).
pub fn percent(lang: Lang, r: Option<f64>) -> String {
    match r {
        None => "—".into(),
        Some(r) => format!("{}%", crate::i18n::format::number(lang, 100.0 * r, 0)),
    }
}

/// A form with nothing to read but its CSRF token (a button).
#[derive(serde::Deserialize)]
pub struct Confirm {}

#[derive(askama::Template)]
#[template(path = "admin/confirm.html")]
struct ConfirmPage<'a> {
    h: Head,
    t: &'a ConsoleText,
    question: &'a str,
    undone: &'a [&'a str],
    action: (String, &'a str),
    cancel: String,
}

/// A step before something that cannot be undone: the question, what cannot be undone, the
/// button that does it (a form: no script needed) and the way back.
pub fn confirm_page(
    admin: &Admin,
    h: Head,
    question: &str,
    undone: &[&str],
    action: (String, &str),
    cancel: String,
) -> HttpResponse {
    render(
        StatusCode::OK,
        &ConfirmPage {
            h,
            t: admin.t,
            question,
            undone,
            action,
            cancel,
        },
    )
}
