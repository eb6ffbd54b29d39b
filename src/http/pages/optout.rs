//! The opt-out page at /o/{token}, linked from every e-mail: the link shows a button (a mail
//! scanner that opens links must not opt anyone out); pressing it, or a mail program's one-click
//! POST (RFC 8058), opts out. NL or EN as the recipient's e-mails, unless `?lang=` says otherwise.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};

use super::{message, query_lang, render};
use crate::app::mailings::{self as app, OptOut};
use crate::error::AppError;
use crate::http::{db, AppState};
use crate::i18n::mail::{mail_text, MailText};
use crate::i18n::Lang;
use crate::store::AnyConnection;

#[derive(askama::Template)]
#[template(path = "optout.html")]
pub struct OptOutPage<'a> {
    pub lang: &'a str,
    pub title: &'a str,
    pub question: &'a str,
    pub button: &'a str,
    pub token: &'a str,
}

/// `?lang=` when given, else the recipient's language, else NL.
fn lang(req: &HttpRequest, recipient: Option<Lang>) -> Lang {
    query_lang(req).or(recipient).unwrap_or_default()
}

/// Tokens are URL-safe base64 of 32 bytes; anything else is not looked up.
fn plausible(token: &str) -> bool {
    token.len() == 43
        && token
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// What a link's token stands for, through `look` (an implausible token is not looked up:
/// unknown), as a page: an unknown token a 404, a known one `known`'s page, given the
/// recipient's language, the texts, the survey's name and whether they opted out already.
async fn answer(
    state: &AppState,
    req: &HttpRequest,
    token: String,
    look: fn(&mut AnyConnection, &str) -> Result<OptOut, AppError>,
    known: impl FnOnce(Lang, &MailText, &str, bool) -> HttpResponse,
) -> Result<HttpResponse, AppError> {
    let outcome = if plausible(&token) {
        db(state, move |conn| look(conn, &token)).await?
    } else {
        OptOut::Unknown
    };
    Ok(match outcome {
        OptOut::Unknown => {
            let lang = lang(req, None);
            let t = mail_text(lang);
            message(
                StatusCode::NOT_FOUND,
                lang.code(),
                t.opt_out_title,
                t.opt_out_unknown,
                "problem",
            )
        }
        OptOut::Known {
            lang: l,
            done,
            title,
            organisation,
        } => {
            let lang = lang(req, Some(l));
            let t = mail_text(lang);
            known(
                lang,
                t,
                &t.survey_named(&title, organisation.as_deref()),
                done,
            )
        }
    })
}

/// The recipient has opted out of the survey's e-mails.
fn opted_out(lang: Lang, t: &MailText, survey: &str) -> HttpResponse {
    let body = t.opt_out_done.replace("{survey}", survey);
    message(StatusCode::OK, lang.code(), t.opt_out_title, &body, "done")
}

#[tracing::instrument(skip_all)]
pub async fn show(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let token = path.into_inner();
    let look = app::opt_out_status;
    answer(
        &state,
        &req,
        token.clone(),
        look,
        |lang, t, survey, done| {
            if done {
                return opted_out(lang, t, survey);
            }
            let question = t.opt_out_question.replace("{survey}", survey);
            render(
                StatusCode::OK,
                &OptOutPage {
                    lang: lang.code(),
                    title: t.opt_out_title,
                    question: &question,
                    button: t.opt_out_button,
                    token: &token,
                },
            )
        },
    )
    .await
}

#[tracing::instrument(skip_all)]
pub async fn confirm(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let look = app::opt_out;
    answer(
        &state,
        &req,
        path.into_inner(),
        look,
        |lang, t, survey, _| opted_out(lang, t, survey),
    )
    .await
}
