//! The opt-out page at /o/{token}, linked from every e-mail: the link shows a button (a mail
//! scanner that opens links must not opt anyone out); pressing it, or a mail program's one-click
//! POST (RFC 8058), opts out. NL or EN as the recipient's e-mails, unless `?lang=` says otherwise.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};

use super::{render, MessagePage};
use crate::app::mailings::{self as app, OptOut};
use crate::error::AppError;
use crate::http::{db, AppState};
use crate::i18n::mail::mail_text;
use crate::i18n::Lang;

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
    web::Query::<std::collections::HashMap<String, String>>::from_query(req.query_string())
        .ok()
        .and_then(|q| q.get("lang").and_then(|l| Lang::parse(l)))
        .or(recipient)
        .unwrap_or_default()
}

/// Tokens are URL-safe base64 of 32 bytes; anything else is not looked up.
fn plausible(token: &str) -> bool {
    token.len() == 43
        && token
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

fn message(lang: Lang, status: StatusCode, body: &str, kind: &str) -> HttpResponse {
    let t = mail_text(lang);
    render(
        status,
        &MessagePage {
            lang: lang.code(),
            title: t.opt_out_title,
            heading: t.opt_out_title,
            body,
            kind,
        },
    )
}

#[tracing::instrument(skip_all)]
pub async fn show(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let token = path.into_inner();
    let status = if plausible(&token) {
        let t = token.clone();
        db(&state, move |conn| app::opt_out_status(conn, &t)).await?
    } else {
        OptOut::Unknown
    };
    Ok(match status {
        OptOut::Unknown => {
            let lang = lang(&req, None);
            message(
                lang,
                StatusCode::NOT_FOUND,
                mail_text(lang).opt_out_unknown,
                "problem",
            )
        }
        OptOut::Known {
            lang: l,
            done,
            title,
            organisation,
        } => {
            let lang = lang(&req, Some(l));
            let t = mail_text(lang);
            let survey = t.survey_named(&title, organisation.as_deref());
            if done {
                let body = t.opt_out_done.replace("{survey}", &survey);
                message(lang, StatusCode::OK, &body, "done")
            } else {
                let question = t.opt_out_question.replace("{survey}", &survey);
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
            }
        }
    })
}

#[tracing::instrument(skip_all)]
pub async fn confirm(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let token = path.into_inner();
    let outcome = if plausible(&token) {
        db(&state, move |conn| app::opt_out(conn, &token)).await?
    } else {
        OptOut::Unknown
    };
    Ok(match outcome {
        OptOut::Unknown => {
            let lang = lang(&req, None);
            message(
                lang,
                StatusCode::NOT_FOUND,
                mail_text(lang).opt_out_unknown,
                "problem",
            )
        }
        OptOut::Known {
            lang: l,
            title,
            organisation,
            ..
        } => {
            let lang = lang(&req, Some(l));
            let t = mail_text(lang);
            let survey = t.survey_named(&title, organisation.as_deref());
            message(
                lang,
                StatusCode::OK,
                &t.opt_out_done.replace("{survey}", &survey),
                "done",
            )
        }
    })
}
