//! Making links from the wave page: personal links shown once (with their CSV for a mail
//! merge, downloaded from the same page: no second request makes new links), and a team link on
//! a printable A4 poster with its QR code (the poster also downloads as a file to print again
//! later). Tokens exist only here: the language link of these pages posts the links back to be
//! shown again in the other language, so switching never loses them.

use actix_web::http::StatusCode;
use actix_web::HttpResponse;
use base64::Engine;

use super::overview::audience_name;
use super::wave::{again, Failed, Ids, LinksForm};
use super::{form::number, Admin, CsrfForm, Errors, Head, State};
use crate::app::audit::{audited, invitations_made, Action};
use crate::app::invitations::link;
use crate::app::surveys::{self as app, CreateInvitations};
use crate::domain::{Audience, SurveyId, TeamId, WaveId};
use crate::error::{AppError, ErrorCode};
use crate::http::pages::render;
use crate::http::{db, AppState};
use crate::i18n::console::ConsoleText;

#[derive(askama::Template)]
#[template(path = "admin/links.html")]
struct LinksPage<'a> {
    h: Head,
    t: &'a ConsoleText,
    team: String,
    audience: &'a str,
    public_url: Option<String>,
    links: Vec<String>,
    csv_href: String,
    file_name: String,
    back: String,
}

#[derive(askama::Template)]
#[template(path = "admin/poster.html")]
struct PosterPage<'a> {
    h: Head,
    t: &'a ConsoleText,
    poster: Poster<'a>,
    public_url: Option<String>,
    file_href: String,
    file_name: String,
    back: String,
}

/// The poster itself (on the page and in the file that downloads).
#[derive(askama::Template)]
#[template(path = "admin/poster_file.html")]
struct Poster<'a> {
    t: &'a ConsoleText,
    organisation: Option<String>,
    survey_title: String,
    team: String,
    link: String,
    qr_src: String,
    qr_alt: String,
}

/// The links as a CSV for a mail merge: a header, then one row per link.
pub fn links_csv(links: &[String], team: &str, audience: Audience) -> String {
    let mut out = String::from("link,team,audience\n");
    for l in links {
        let team = if team.contains([',', '"', '\n']) {
            format!("\"{}\"", team.replace('"', "\"\""))
        } else {
            team.to_string()
        };
        out.push_str(&format!("{l},{team},{}\n", audience.as_str()));
    }
    out
}

fn data_url(mime: &str, bytes: &[u8]) -> String {
    format!(
        "data:{mime};base64,{}",
        base64::engine::general_purpose::STANDARD.encode(bytes)
    )
}

/// A QR code of a link as an SVG document, or "" when the link is too long.
pub fn qr_svg(link: &str) -> String {
    use qrcode::render::svg;
    match qrcode::QrCode::with_error_correction_level(link.as_bytes(), qrcode::EcLevel::M) {
        Ok(code) => code
            .render::<svg::Color>()
            .min_dimensions(320, 320)
            .quiet_zone(true)
            .build(),
        Err(_) => String::new(),
    }
}

/// Reads the links form and makes the invitations (422 naming the field, 409 for a closed wave).
async fn make(
    state: &AppState,
    who: &crate::http::auth::Principal,
    (survey_id, wave_id): (SurveyId, WaveId),
    f: &LinksForm,
    team_link: bool,
) -> Result<(Vec<String>, TeamId, Audience, String), AppError> {
    let team_id = f
        .team_id
        .ok_or_else(|| AppError::at("team_id", ErrorCode::ChooseTeam))?;
    let body = CreateInvitations {
        wave_id,
        team_id,
        audience: f
            .audience
            .map(|a| a.as_str())
            .unwrap_or_default()
            .to_string(),
        count: if team_link {
            Some(1)
        } else {
            number("count", &f.count)?
        },
        max_uses: if team_link {
            number("max_uses", &f.max_uses)?
        } else {
            Some(1)
        },
        expires_at: None,
    };
    let public_url = state.settings.public_url.clone();
    let who = who.clone();
    db(state, move |conn| {
        let made = audited(
            conn,
            &who,
            Action::InvitationsCreated,
            |c| app::create_invitations(c, survey_id, &body),
            |m| invitations_made(survey_id, m.wave_id, m.team_id, m.audience, m.tokens.len()),
        )?;
        let team = crate::app::console::team(conn, team_id)?.name;
        let links = made
            .tokens
            .iter()
            .map(|t| link(public_url.as_deref(), t))
            .collect();
        Ok((links, team_id, made.audience, team))
    })
    .await
}

/// A refused links form: the wave page with the errors next to its fields.
async fn refused(
    state: &AppState,
    admin: &Admin,
    ids: (SurveyId, WaveId),
    form: LinksForm,
    e: AppError,
    team_link: bool,
) -> HttpResponse {
    match Errors::from_error(admin.lang, &e) {
        Some(errors) => {
            let failed = if team_link {
                Failed::TeamLink(form, errors)
            } else {
                Failed::Links(form, errors)
            };
            let status = actix_web::ResponseError::status_code(&e);
            again(state, admin, ids, status, failed).await
        }
        None => admin.failed(&e),
    }
}

fn wave_link(admin: &Admin, ids: (SurveyId, WaveId), anchor: &str) -> String {
    super::wave::wave_url(admin, ids, "", anchor)
}

/// The head of a page showing what exists once: its language link posts it back to `again`.
fn shown_once(
    admin: &Admin,
    title: &'static str,
    ids: (SurveyId, WaveId),
    again: &str,
    hidden: Vec<(String, String)>,
) -> Head {
    let base = format!("/admin/surveys/{}/waves/{}", ids.0, ids.1);
    let action = format!("{base}/{again}/again");
    admin.head(title, base).lang_form(action, hidden)
}

/// The links page, in the admin's language; its language link posts the links back.
fn links_page(
    state: &AppState,
    admin: &Admin,
    ids: (SurveyId, WaveId),
    (links, team, audience): (Vec<String>, String, Audience),
    status: StatusCode,
) -> HttpResponse {
    let t = admin.t;
    let csv = links_csv(&links, &team, audience);
    let mut hidden = vec![
        ("team".to_string(), team.clone()),
        ("audience".to_string(), audience.as_str().to_string()),
    ];
    hidden.extend(links.iter().map(|l| ("link".to_string(), l.clone())));
    render(
        status,
        &LinksPage {
            h: shown_once(admin, t.links_made, ids, "links", hidden),
            t,
            audience: audience_name(t, audience),
            public_url: state.settings.public_url.clone(),
            csv_href: data_url("text/csv;charset=utf-8", csv.as_bytes()),
            file_name: format!(
                "klantspiegel-links-meting-{}-{}-{}.csv",
                ids.1,
                team.to_lowercase()
                    .replace(|c: char| !c.is_ascii_alphanumeric(), "-"),
                audience.as_str()
            ),
            team,
            links,
            back: wave_link(admin, ids, "links"),
        },
    )
}

/// POST …/links: personal links, shown once on a page, or (`format=csv`) as a CSV download.
#[tracing::instrument(skip_all)]
pub async fn personal(state: State, ids: Ids, f: CsrfForm<LinksForm>) -> HttpResponse {
    let (CsrfForm { admin, form, .. }, ids) = (f, ids.into_inner());
    let (links, team_id, audience, team) = match make(&state, &admin.who, ids, &form, false).await {
        Ok(v) => v,
        Err(e) => return refused(&state, &admin, ids, form, e, false).await,
    };
    if form.format == "csv" {
        let name = format!(
            "klantspiegel-links-meting-{}-team-{team_id}-{}.csv",
            ids.1,
            audience.as_str()
        );
        return HttpResponse::Ok()
            .content_type("text/csv; charset=utf-8")
            .insert_header(("Cache-Control", "no-store"))
            .insert_header((
                "Content-Disposition",
                format!("attachment; filename=\"{name}\""),
            ))
            .body(links_csv(&links, &team, audience));
    }
    links_page(
        &state,
        &admin,
        ids,
        (links, team, audience),
        StatusCode::CREATED,
    )
}

/// Links shown once, posted back by the page's language link.
#[derive(serde::Deserialize)]
pub struct Shown {
    #[serde(default)]
    team: String,
    audience: Option<Audience>,
    #[serde(default)]
    link: Vec<String>,
}

impl Shown {
    /// Only links of this server are shown again.
    fn links(&self, state: &AppState) -> Vec<String> {
        let ours = link(state.settings.public_url.as_deref(), "");
        self.link
            .iter()
            .filter(|l| l.starts_with(&ours))
            .cloned()
            .collect()
    }
}

/// POST …/links/again: the same links in the other language (nothing new is made).
#[tracing::instrument(skip_all)]
pub async fn links_again(state: State, ids: Ids, f: CsrfForm<Shown>) -> HttpResponse {
    let (CsrfForm { admin, form, .. }, ids) = (f, ids.into_inner());
    let links = form.links(&state);
    let audience = form.audience.unwrap_or(Audience::Customer);
    links_page(
        &state,
        &admin,
        ids,
        (links, form.team, audience),
        StatusCode::OK,
    )
}

/// The poster page for a team link.
async fn poster_page(
    state: &AppState,
    admin: &Admin,
    ids: (SurveyId, WaveId),
    (link, team): (String, String),
    status: StatusCode,
) -> HttpResponse {
    let survey = match db(state, move |conn| app::get_survey(conn, ids.0)).await {
        Ok((s, _, _)) => s,
        Err(e) => return admin.failed(&e),
    };
    let t = admin.t;
    let poster = Poster {
        t,
        organisation: survey.texts.organisation.clone(),
        survey_title: survey.title.clone(),
        qr_src: data_url("image/svg+xml", qr_svg(&link).as_bytes()),
        qr_alt: t.qr_alt.replace("{team}", &team),
        team: team.clone(),
        link: link.clone(),
    };
    let file = match askama::Template::render(&poster) {
        Ok(f) => f,
        Err(e) => return admin.failed(&AppError::internal(e)),
    };
    let hidden = vec![("team".to_string(), team), ("link".to_string(), link)];
    render(
        status,
        &PosterPage {
            h: shown_once(admin, t.poster_title, ids, "team-links", hidden),
            t,
            poster,
            public_url: state.settings.public_url.clone(),
            file_href: data_url("text/html;charset=utf-8", file.as_bytes()),
            file_name: format!("klantspiegel-poster-meting-{}.html", ids.1),
            back: wave_link(admin, ids, "links"),
        },
    )
}

/// POST …/team-links: one link for many, on a printable poster with its QR code.
#[tracing::instrument(skip_all)]
pub async fn team_link(state: State, ids: Ids, f: CsrfForm<LinksForm>) -> HttpResponse {
    let (CsrfForm { admin, form, .. }, ids) = (f, ids.into_inner());
    match make(&state, &admin.who, ids, &form, true).await {
        Ok((links, _, _, team)) => match links.into_iter().next() {
            Some(l) => poster_page(&state, &admin, ids, (l, team), StatusCode::CREATED).await,
            None => admin.failed(&ErrorCode::Internal.into()),
        },
        Err(e) => refused(&state, &admin, ids, form, e, true).await,
    }
}

/// POST …/team-links/again: the same poster in the other language.
#[tracing::instrument(skip_all)]
pub async fn poster_again(state: State, ids: Ids, f: CsrfForm<Shown>) -> HttpResponse {
    let (CsrfForm { admin, form, .. }, ids) = (f, ids.into_inner());
    match form.links(&state).into_iter().next() {
        Some(l) => poster_page(&state, &admin, ids, (l, form.team), StatusCode::OK).await,
        None => admin.failed(&ErrorCode::RecordNotFound.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_csv_quotes_team_names_that_need_it() {
        let csv = links_csv(
            &["/r/a".into(), "/r/b".into()],
            "Balie, west",
            Audience::Customer,
        );
        assert_eq!(
            csv,
            "link,team,audience\n/r/a,\"Balie, west\",customer\n/r/b,\"Balie, west\",customer\n"
        );
    }

    #[test]
    fn qr_codes_are_svg_documents() {
        let svg =
            qr_svg("https://enquete.example.nl/r/abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG");
        assert!(svg.contains("<svg"), "{}", &svg[..40]);
        assert!(svg.contains("</svg>"));
    }
}
