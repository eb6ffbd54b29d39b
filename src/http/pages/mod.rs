//! Server-rendered HTML pages (askama), NL by default, EN by `?lang=en` or Accept-Language.

use actix_web::body::MessageBody;
use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpRequest, HttpResponse};

use crate::i18n::Lang;

/// `?` for page handlers: the error side is already the page to answer with.
macro_rules! or_page {
    ($result:expr) => {
        match $result {
            Ok(v) => v,
            Err(page) => return page,
        }
    };
}

pub mod actions;
pub mod admin;
pub mod dashboard;
pub mod live;
pub mod login;
pub mod oidc;
pub mod optout;
pub mod report;
pub mod respondent;
pub mod session;
pub mod view;
pub mod workshop;

pub const APP_CSS: &str = include_str!("../../../static/app.css");
/// The console's one-shot buttons: disabled once their form is submitted.
pub const CONSOLE_JS: &str = include_str!("../../../static/console.js");

/// A script of the pages, served from the binary (CSP allows only 'self').
pub const JS: &str = "text/javascript; charset=utf-8";
/// A style sheet of the pages.
pub const CSS: &str = "text/css; charset=utf-8";

/// A static file of the pages (a script or a style sheet), cached for an hour.
pub fn asset(content_type: &'static str, body: impl MessageBody + 'static) -> HttpResponse {
    HttpResponse::Ok()
        .content_type(content_type)
        .insert_header((header::CACHE_CONTROL, "public, max-age=3600"))
        .body(body)
}

async fn console_js() -> HttpResponse {
    asset(JS, CONSOLE_JS)
}

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/static/app.css", web::get().to(css))
        .route("/r/{token}", web::get().to(respondent::show))
        .route("/r/{token}", web::post().to(respondent::submit))
        .route("/o/{token}", web::get().to(optout::show))
        .route("/o/{token}", web::post().to(optout::confirm))
        .route("/static/workshop.js", web::get().to(workshop::workshop_js))
        .route("/static/console.js", web::get().to(console_js))
        .route(
            "/static/print-header.css",
            web::get().to(report::print_header_css),
        )
        .route("/static/live.js", web::get().to(live::live_js))
        .route("/static/live.css", web::get().to(live::live_css))
        .route("/w", web::get().to(live::join_form))
        .route("/w/{code}", web::get().to(live::phone))
        .route("/w/{code}", web::post().to(live::phone_guess))
        .route("/live/{code}", web::get().to(live::wall))
        .route("/surveys/{id}/workshop/live", web::post().to(live::start))
        .route("/", web::get().to(workshop::root))
        .route("/login", web::get().to(login::login_form))
        .route("/login", web::post().to(login::login))
        .route("/auth/oidc/login", web::get().to(oidc::start))
        .route("/auth/oidc/callback", web::get().to(oidc::callback))
        .route("/logout", web::get().to(login::logout_page))
        .route("/logout", web::post().to(login::logout))
        .route("/dashboard", web::get().to(dashboard::dashboard))
        .route("/surveys/{id}", web::get().to(report::report))
        .route("/surveys/{id}/workshop", web::get().to(workshop::workshop))
        .route(
            "/surveys/{id}/workshop/actions",
            web::post().to(workshop::record_action),
        )
        .route(
            "/surveys/{id}/actions/{action_id}",
            web::post().to(actions::update_action),
        )
        .configure(admin::configure);
}

async fn css() -> HttpResponse {
    asset(CSS, APP_CSS)
}

/// The language `?lang=` asks for, if any.
pub fn query_lang(req: &HttpRequest) -> Option<Lang> {
    web::Query::<std::collections::HashMap<String, String>>::from_query(req.query_string())
        .ok()
        .and_then(|q| q.get("lang").and_then(|l| Lang::parse(l)))
}

/// The page language: `?lang=` first, then Accept-Language, then NL.
pub fn lang_of(req: &HttpRequest) -> Lang {
    query_lang(req).unwrap_or_else(|| {
        req.headers()
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok())
            .map(Lang::from_accept_language)
            .unwrap_or_default()
    })
}

/// An HTML response with the given status.
pub fn html(status: StatusCode, body: String) -> HttpResponse {
    HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(body)
}

/// Renders a template, or a plain 500 page when rendering fails.
pub fn render<T: askama::Template>(status: StatusCode, page: &T) -> HttpResponse {
    match page.render() {
        Ok(body) => html(status, body),
        Err(e) => {
            tracing::error!(error = %e, "template rendering failed");
            html(
                StatusCode::INTERNAL_SERVER_ERROR,
                "<!DOCTYPE html><title>Error</title><p>Internal error</p>".into(),
            )
        }
    }
}

#[derive(askama::Template)]
#[template(path = "message.html")]
pub struct MessagePage<'a> {
    pub lang: &'a str,
    pub title: &'a str,
    pub heading: &'a str,
    pub body: &'a str,
    pub kind: &'a str,
}

/// A message page, its heading also its title; `kind` styles it (`problem`, `done`, `thanks`).
pub fn message(
    status: StatusCode,
    lang: &str,
    heading: &str,
    body: &str,
    kind: &str,
) -> HttpResponse {
    render(
        status,
        &MessagePage {
            lang,
            title: heading,
            heading,
            body,
            kind,
        },
    )
}
