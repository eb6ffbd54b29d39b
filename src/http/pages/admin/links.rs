//! Making links from the wave page: personal links shown once (and as a CSV for a mail merge),
//! and team links with a QR code on a printable A4 poster. Tokens are shown only here, once.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};

use super::overview::audience_name;
use super::wave::{page as wave_page, Outcome};
use super::{admin, failed, Ctx, Errors, Fields};
use crate::app::invitations::link;
use crate::app::surveys::{self as app, CreateInvitations, InvitationsMade};
use crate::domain::{Audience, SurveyId, TeamId, WaveId};
use crate::error::AppError;
use crate::error::ErrorCode;
use crate::http::pages::render;
use crate::http::{db, AppState};
use crate::i18n::console::ConsoleText;

#[derive(askama::Template)]
#[template(path = "admin/links.html")]
struct LinksPage<'a> {
    lang: &'a str,
    title: &'a str,
    t: &'a ConsoleText,
    user: String,
    csrf: String,
    notice: Option<&'a str>,
    errors: Errors,
    team: String,
    audience: &'a str,
    public_url: Option<String>,
    links: Vec<String>,
    csv_data: String,
    file_name: String,
    back: String,
}

#[derive(askama::Template)]
#[template(path = "admin/poster.html")]
struct PosterPage<'a> {
    lang: &'a str,
    title: &'a str,
    t: &'a ConsoleText,
    user: String,
    csrf: String,
    notice: Option<&'a str>,
    errors: Errors,
    organisation: Option<String>,
    survey_title: String,
    team: String,
    public_url: Option<String>,
    link: String,
    qr_svg: String,
    back: String,
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

fn percent_encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// A QR code of a link as an SVG element (no XML prologue), or "" when the link is too long.
pub fn qr_svg(link: &str) -> String {
    use qrcode::render::svg;
    match qrcode::QrCode::with_error_correction_level(link.as_bytes(), qrcode::EcLevel::M) {
        Ok(code) => {
            let svg = code
                .render::<svg::Color>()
                .min_dimensions(320, 320)
                .quiet_zone(true)
                .build();
            match svg.find("<svg") {
                Some(i) => svg[i..].to_string(),
                None => svg,
            }
        }
        Err(_) => String::new(),
    }
}

/// Reads the invitation form and makes the invitations (422 naming the field).
async fn make(
    state: &AppState,
    survey_id: SurveyId,
    wave_id: WaveId,
    f: &Fields,
    team_link: bool,
) -> Result<(InvitationsMade, String, crate::store::surveys::Survey), AppError> {
    let team_id = f
        .number::<TeamId>("team_id")?
        .ok_or_else(|| AppError::at("team_id", ErrorCode::ChooseTeam))?;
    let body = CreateInvitations {
        wave_id,
        team_id,
        audience: f.get("audience"),
        // Empty fields take the placeholders' values: 10 links, 100 answers per team link.
        count: if team_link {
            Some(1)
        } else {
            Some(f.number("count")?.unwrap_or(10))
        },
        max_uses: if team_link {
            Some(f.number("max_uses")?.unwrap_or(100))
        } else {
            Some(1)
        },
        expires_at: None,
    };
    db(state, move |conn| {
        crate::app::check_wave_open(conn, wave_id)?;
        let made = app::create_invitations(conn, survey_id, &body)?;
        let (survey, _, _) = app::get_survey(conn, survey_id)?;
        let team = crate::store::teams::find(conn, team_id)?
            .map(|t| t.name)
            .unwrap_or_default();
        Ok((made, team, survey))
    })
    .await
}

/// A failed form: back to the wave page with the errors next to the fields.
async fn refused(
    state: &AppState,
    ctx: &Ctx,
    survey_id: SurveyId,
    wave_id: WaveId,
    f: Fields,
    e: AppError,
    team_link: bool,
) -> HttpResponse {
    match Errors::from_error(ctx.lang, &e) {
        Some(mut errors) => {
            let status = if e.is_conflict() {
                StatusCode::CONFLICT
            } else {
                StatusCode::UNPROCESSABLE_ENTITY
            };
            for (field, msg) in errors.0.iter_mut() {
                if field == "_form" {
                    *field = if team_link {
                        "max_uses".into()
                    } else {
                        "count".into()
                    };
                    *msg = ctx.t.wave_closed_note.to_string();
                }
            }
            let mut o = Outcome {
                status: Some(status),
                ..Outcome::default()
            };
            if team_link {
                o.team_link = Some((f, errors));
            } else {
                o.links = Some((f, errors));
            }
            wave_page(state, ctx, survey_id, wave_id, o).await
        }
        None => failed(ctx, &e),
    }
}

/// POST …/links: personal links, shown once on a page (`format=page`) or as a CSV download
/// (`format=csv`).
#[tracing::instrument(skip_all)]
pub async fn personal(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<(SurveyId, WaveId)>,
    form: web::Form<Vec<(String, String)>>,
) -> HttpResponse {
    let ctx = match admin(&state, &req).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let f = Fields(form.into_inner());
    if let Some(r) = f.csrf_refused(&ctx) {
        return r;
    }
    let (survey_id, wave_id) = path.into_inner();
    let (made, team, _) = match make(&state, survey_id, wave_id, &f, false).await {
        Ok(v) => v,
        Err(e) => return refused(&state, &ctx, survey_id, wave_id, f, e, false).await,
    };
    let public_url = state.settings.public_url.clone();
    let links: Vec<String> = made
        .tokens
        .iter()
        .map(|t| link(public_url.as_deref(), t))
        .collect();
    let csv = links_csv(&links, &team, made.audience);
    let file_name = format!(
        "links-wave-{wave_id}-team-{}-{}.csv",
        made.team_id,
        made.audience.as_str()
    );
    if f.get("format") == "csv" {
        return HttpResponse::Ok()
            .content_type("text/csv; charset=utf-8")
            .insert_header(("Cache-Control", "no-store"))
            .insert_header((
                "Content-Disposition",
                format!("attachment; filename=\"{file_name}\""),
            ))
            .body(csv);
    }
    let t = ctx.t;
    render(
        StatusCode::CREATED,
        &LinksPage {
            lang: t.lang_code,
            title: t.links_made,
            t,
            user: ctx.user(),
            csrf: ctx.csrf(),
            notice: None,
            errors: Errors::default(),
            team,
            audience: audience_name(t, made.audience),
            public_url,
            links,
            csv_data: percent_encode(&csv),
            file_name,
            back: format!(
                "/admin/surveys/{survey_id}/waves/{wave_id}?{}#monitor",
                ctx.q()
            ),
        },
    )
}

/// POST …/team-links: one link for many, on a printable poster with its QR code.
#[tracing::instrument(skip_all)]
pub async fn team_link(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<(SurveyId, WaveId)>,
    form: web::Form<Vec<(String, String)>>,
) -> HttpResponse {
    let ctx = match admin(&state, &req).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let f = Fields(form.into_inner());
    if let Some(r) = f.csrf_refused(&ctx) {
        return r;
    }
    let (survey_id, wave_id) = path.into_inner();
    let (made, team, survey) = match make(&state, survey_id, wave_id, &f, true).await {
        Ok(v) => v,
        Err(e) => return refused(&state, &ctx, survey_id, wave_id, f, e, true).await,
    };
    let public_url = state.settings.public_url.clone();
    let Some(token) = made.tokens.first() else {
        return failed(
            &ctx,
            &AppError::internal(anyhow::anyhow!("no team link was made")),
        );
    };
    let link = link(public_url.as_deref(), token);
    let t = ctx.t;
    render(
        StatusCode::CREATED,
        &PosterPage {
            lang: t.lang_code,
            title: t.poster_heading,
            t,
            user: ctx.user(),
            csrf: ctx.csrf(),
            notice: None,
            errors: Errors::default(),
            organisation: survey.texts.organisation.clone(),
            survey_title: survey.title.clone(),
            team,
            public_url,
            qr_svg: qr_svg(&link),
            link,
            back: format!(
                "/admin/surveys/{survey_id}/waves/{wave_id}?{}#monitor",
                ctx.q()
            ),
        },
    )
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
    fn qr_codes_are_inline_svg() {
        let svg =
            qr_svg("https://enquete.example.nl/r/abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG");
        assert!(svg.starts_with("<svg"), "{}", &svg[..40]);
        assert!(svg.contains("</svg>"));
    }
}
