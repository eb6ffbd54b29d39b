//! /admin/surveys/{id}/waves/{wave_id}: one page per wave with its own sections — the response
//! monitor, links (see `links`), invitations by e-mail (see `mailing`), the invitation list
//! with revoke, CSV import by upload with every bad row shown, name and dates (Dutch time), close
//! (after a confirmation step), and the exports.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};

use super::mailing::{self, MailQuery, MailSection};
use super::overview::{wave_view, WaveView};
use super::{settle, Admin, Confirm, CsrfForm, CsrfUpload, Errors, Head, State};
use crate::http::pages::session::change_as;
use crate::store::invitations::Invitation;

/// A wave's path: (survey, wave).
pub type Ids = web::Path<(SurveyId, WaveId)>;
use crate::app::audit::{self, audited, Action};
use crate::app::console::{self, WaveStatus};
use crate::app::survey_edit::{self, UpdateWave};
use crate::app::surveys::{self as app, CreateWave};
use crate::app::{csv as app_csv, invitations};
use crate::domain::{Audience, InvitationId, SurveyId, TeamId, WaveId};
use crate::error::{AppError, ErrorCode};
use crate::http::pages::render;
use crate::http::pages::session::redirect;
use crate::http::{db, AppState};
use crate::i18n::console::ConsoleText;
use crate::i18n::console_time;

/// One invitation in the list: never its token.
pub struct InvitationRow {
    pub inv: Invitation,
    pub team: String,
    pub closed: bool,
}

impl InvitationRow {
    pub fn status(&self, t: &ConsoleText) -> &'static str {
        let i = &self.inv;
        match (i.revoked, self.closed, i.uses >= i.max_uses) {
            (true, _, _) => t.revoked,
            (_, true, _) => t.invitation_wave_closed,
            (_, _, true) => t.used_up,
            _ => t.live,
        }
    }
    pub fn kind(&self, t: &ConsoleText) -> &'static str {
        if self.inv.is_personal() {
            t.kind_personal
        } else {
            t.kind_team_link
        }
    }
    pub fn can_revoke(&self) -> bool {
        !self.inv.revoked && !self.closed && self.inv.uses < self.inv.max_uses
    }
}

/// The links forms (personal links and a team link), as posted.
#[derive(serde::Deserialize, Default)]
pub struct LinksForm {
    pub team_id: Option<TeamId>,
    pub audience: Option<Audience>,
    #[serde(default)]
    pub count: String,
    #[serde(default)]
    pub max_uses: String,
    #[serde(default)]
    pub format: String,
}

/// Name and dates, as typed (Dutch time).
#[derive(serde::Deserialize, Default)]
pub struct DatesForm {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub opens_at: String,
    #[serde(default)]
    pub closes_at: String,
}

/// What an import left to show.
#[derive(Default)]
pub struct Imported {
    pub count: Option<u64>,
    pub rows: Vec<(u64, String, String)>,
    pub error: Option<String>,
}

/// A refused form of the wave page: what was typed and its errors.
#[derive(Default)]
pub enum Failed {
    #[default]
    Nothing,
    Links(LinksForm, Errors),
    TeamLink(LinksForm, Errors),
    Dates(DatesForm, Errors),
    Import(Imported),
    Mail(mailing::Failed),
}

#[derive(askama::Template)]
#[template(path = "admin/wave.html")]
struct WavePage<'a> {
    h: Head,
    t: &'a ConsoleText,
    survey_id: SurveyId,
    survey_title: String,
    w: WaveView,
    closed: bool,
    public_url: Option<String>,
    teams: Vec<(TeamId, String)>,
    links: LinksForm,
    links_errors: Errors,
    team_link: LinksForm,
    team_link_errors: Errors,
    dates: DatesForm,
    dates_errors: Errors,
    invitations: Vec<InvitationRow>,
    import: Imported,
    mail: MailSection,
}

impl WavePage<'_> {
    fn team_selected(&self, form: &LinksForm, id: &TeamId) -> bool {
        form.team_id == Some(*id)
    }
    fn is_employee(&self, form: &LinksForm) -> bool {
        form.audience == Some(Audience::Employee)
    }
}

/// Renders the wave page, with what a refused form left behind.
pub async fn page(
    state: &AppState,
    admin: &Admin,
    (survey_id, wave_id): (SurveyId, WaveId),
    status: StatusCode,
    query: MailQuery,
    failed: Failed,
) -> HttpResponse {
    let preview = mailing::preview_of(admin, &query);
    let public_url = state.settings.public_url.clone();
    let cooldown = state.settings.reminder_cooldown();
    let loaded = db(state, move |conn| {
        let (survey, overview, teams) = console::wave(conn, survey_id, wave_id)?;
        let list = invitations::list(conn, survey_id, Some(wave_id))?;
        let mail = mailing::load(
            conn,
            survey_id,
            wave_id,
            preview,
            public_url.as_deref(),
            cooldown,
        )?;
        Ok((survey, overview, teams, list, mail))
    })
    .await;
    let (survey, overview, teams, list, mail) = match loaded {
        Ok(v) => v,
        Err(e) => return admin.failed(&e),
    };
    let t = admin.t;
    let closed = overview.status == WaveStatus::Closed;
    let team_name = |id: TeamId| {
        teams
            .iter()
            .find(|tm| tm.id == id)
            .map(|tm| tm.name.clone())
            .unwrap_or_else(|| format!("#{id}"))
    };
    let invitations = list
        .into_iter()
        .map(|inv| InvitationRow {
            team: team_name(inv.team_id),
            inv,
            closed,
        })
        .collect();
    let wave = &overview.wave;
    let mut page = WavePage {
        h: admin.head(
            t.wave,
            format!("/admin/surveys/{survey_id}/waves/{wave_id}"),
        ),
        t,
        survey_id,
        survey_title: survey.title.clone(),
        w: wave_view(admin, &overview),
        closed,
        public_url: state.settings.public_url.clone(),
        teams: teams.iter().map(|tm| (tm.id, tm.name.clone())).collect(),
        links: LinksForm::default(),
        links_errors: Errors::default(),
        team_link: LinksForm::default(),
        team_link_errors: Errors::default(),
        dates: DatesForm {
            name: wave.name.clone(),
            opens_at: console_time::form_value(wave.opens_at),
            closes_at: wave
                .closes_at
                .map(console_time::form_value)
                .unwrap_or_default(),
        },
        dates_errors: Errors::default(),
        invitations,
        import: Imported::default(),
        mail: MailSection::default(),
    };
    let mut mail_failed = None;
    let errors = match failed {
        Failed::Nothing => Errors::default(),
        Failed::Links(f, e) => {
            (page.links, page.links_errors) = (f, e.clone());
            e
        }
        Failed::TeamLink(f, e) => {
            (page.team_link, page.team_link_errors) = (f, e.clone());
            e
        }
        Failed::Dates(f, e) => {
            (page.dates, page.dates_errors) = (f, e.clone());
            e
        }
        Failed::Import(i) => {
            page.import = i;
            Errors::default()
        }
        Failed::Mail(m) => {
            let e = m.errors().clone();
            mail_failed = Some(m);
            e
        }
    };
    page.mail = mailing::section(admin, mail, &query, mail_failed, survey_id, wave_id);
    page.mail.smtp = state.settings.mail.is_some();
    page.h = page.h.errors(&errors).notice(query.notice(t));
    render(status, &page)
}

#[tracing::instrument(skip_all)]
pub async fn show(state: State, admin: Admin, ids: Ids, q: web::Query<MailQuery>) -> HttpResponse {
    let (ids, ok) = (ids.into_inner(), StatusCode::OK);
    page(&state, &admin, ids, ok, q.into_inner(), Failed::Nothing).await
}

/// The wave page again after a refused form.
pub async fn again(
    state: &AppState,
    admin: &Admin,
    ids: (SurveyId, WaveId),
    status: StatusCode,
    failed: Failed,
) -> HttpResponse {
    page(state, admin, ids, status, MailQuery::default(), failed).await
}

/// GET of an address that only takes a form (a reload, a bookmark): the wave page.
pub async fn back(admin: Admin, ids: Ids) -> HttpResponse {
    redirect(&wave_url(&admin, ids.into_inner(), "", "monitor"))
}

/// The wave page's address with a notice (`done=…`, or "") and a section.
pub fn wave_url(admin: &Admin, (s, w): (SurveyId, WaveId), done: &str, anchor: &str) -> String {
    let sep = if done.is_empty() { "" } else { "&" };
    format!(
        "/admin/surveys/{s}/waves/{w}?{}{sep}{done}#{anchor}",
        admin.q()
    )
}

/// A typed time (Dutch) as RFC 3339 in UTC; what is no time is passed on for `app` to refuse
/// naming the field.
fn typed_time(s: &str) -> String {
    console_time::parse_typed(s).unwrap_or_else(|| s.trim().to_string())
}

/// POST /admin/surveys/{id}/waves: a new wave (the form is on the survey page); then its page.
#[tracing::instrument(skip_all)]
pub async fn create(state: State, id: web::Path<SurveyId>, f: CsrfForm<DatesForm>) -> HttpResponse {
    let (CsrfForm { admin, form, .. }, survey_id) = (f, id.into_inner());
    let opens = form.opens_at.trim();
    let body = CreateWave {
        name: form.name.trim().to_string(),
        opens_at: if opens.is_empty() {
            chrono::Utc::now().to_rfc3339()
        } else {
            typed_time(opens)
        },
        closes_at: Some(form.closes_at.trim())
            .filter(|c| !c.is_empty())
            .map(typed_time),
    };
    let result = change_as(
        &state,
        admin.who.clone(),
        Action::WaveCreated,
        move |c, _| app::create_wave(c, survey_id, &body),
        audit::wave,
    )
    .await;
    let made = |w: crate::store::surveys::Wave| wave_url(&admin, (survey_id, w.id), "", "links");
    settle(&admin, result, made, |e, status| {
        super::survey::with_wave_form(&state, &admin, survey_id, status, form, e)
    })
    .await
}

#[tracing::instrument(skip_all)]
pub async fn update(state: State, ids: Ids, f: CsrfForm<DatesForm>) -> HttpResponse {
    let (
        ids,
        CsrfForm {
            admin,
            form,
            fields,
        },
    ) = (ids.into_inner(), f);
    let typed = |name: &str, v: &str| fields.has(name).then(|| typed_time(v));
    let body = UpdateWave {
        name: fields.has("name").then(|| form.name.trim().to_string()),
        opens_at: typed("opens_at", &form.opens_at),
        // An empty closing time leaves the wave open-ended.
        closes_at: typed("closes_at", &form.closes_at),
    };
    let who = admin.who.clone();
    let result = db(&state, move |conn| {
        let update = |c: &mut _| survey_edit::update_wave(c, ids.0, ids.1, &body);
        audit::audited_as(
            conn,
            &who,
            |c| audit::changing_wave(c, ids.1, update),
            audit::wave_changed,
        )
        .map(|(_, w)| w)
    })
    .await;
    let saved = |_| wave_url(&admin, ids, "done=saved", "dates");
    settle(&admin, result, saved, |e, status| {
        again(&state, &admin, ids, status, Failed::Dates(form, e))
    })
    .await
}

/// GET …/close: what closing means, and the button that does it.
#[tracing::instrument(skip_all)]
pub async fn confirm(state: State, admin: Admin, ids: Ids) -> HttpResponse {
    let (survey_id, wave_id) = ids.into_inner();
    let found = db(&state, move |conn| console::wave(conn, survey_id, wave_id)).await;
    let (t, here) = (
        admin.t,
        format!("/admin/surveys/{survey_id}/waves/{wave_id}/close"),
    );
    let undone = [
        t.close_undone_answers,
        t.close_undone_links,
        t.close_undone_mail,
        t.close_undone_results,
    ];
    match found {
        Ok((_, o, _)) => super::confirm_page(
            &admin,
            admin.head(t.close_title, here.clone()),
            &t.close_question.replace("{wave}", &o.wave.name),
            &undone,
            (format!("{here}?{}", admin.q()), t.close_now),
            wave_url(&admin, (survey_id, wave_id), "", "dates"),
        ),
        Err(e) => admin.failed(&e),
    }
}

#[tracing::instrument(skip_all)]
pub async fn close(state: State, ids: Ids, f: CsrfForm<Confirm>) -> HttpResponse {
    let (admin, ids) = (f.admin, ids.into_inner());
    let result = change_as(
        &state,
        admin.who.clone(),
        Action::WaveClosed,
        move |c, _| survey_edit::close_wave(c, ids.0, ids.1),
        audit::wave,
    )
    .await;
    let closed = |_| wave_url(&admin, ids, "done=closed", "monitor");
    let failed = |e| Failed::Dates(DatesForm::default(), e);
    settle(&admin, result, closed, |e, s| {
        again(&state, &admin, ids, s, failed(e))
    })
    .await
}

/// POST /admin/invitations/{id}/revoke: back to the invitation's wave.
#[tracing::instrument(skip_all)]
pub async fn revoke(
    state: State,
    id: web::Path<InvitationId>,
    f: CsrfForm<Confirm>,
) -> HttpResponse {
    let (admin, id) = (f.admin, id.into_inner());
    let revoked = change_as(
        &state,
        admin.who.clone(),
        Action::InvitationRevoked,
        move |c, _| invitations::revoke(c, id),
        audit::revoked,
    );
    match revoked.await {
        Ok(i) => redirect(&wave_url(
            &admin,
            (i.survey_id, i.wave_id),
            "done=saved",
            "invitations",
        )),
        Err(e) => admin.failed(&e),
    }
}

/// POST …/import: a CSV file uploaded from the page; every bad row shown, nothing stored.
#[tracing::instrument(skip_all)]
pub async fn import(state: State, ids: Ids, up: CsrfUpload) -> HttpResponse {
    let ids = ids.into_inner();
    let file = up.part("file").to_vec();
    let admin = up.admin;
    let lang = admin.lang;
    let mut shown = Imported::default();
    let status = if file.is_empty() {
        shown.error = Some(ErrorCode::ChooseFile.sentence(lang));
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        let who = admin.who.clone();
        let result = db(&state, move |conn| {
            let checked = app_csv::check_import(conn, ids.0, ids.1, &file)?;
            audited(
                conn,
                &who,
                Action::ResponsesImported,
                |c| app_csv::store_import(c, checked, &mut |_, _| {}),
                |o| audit::imported(ids.0, ids.1, o),
            )
        })
        .await;
        match result {
            Ok(outcome) => {
                let done = format!("imported={}", outcome.imported);
                return redirect(&wave_url(&admin, ids, &done, "import"));
            }
            Err(AppError::ImportRejected { rows, .. }) => {
                shown.rows = rows
                    .into_iter()
                    .map(|r| {
                        (
                            r.line,
                            r.column.clone().unwrap_or_default(),
                            r.message(lang),
                        )
                    })
                    .collect();
                StatusCode::UNPROCESSABLE_ENTITY
            }
            Err(e) if e.is_conflict() || e.is_validation() => {
                shown.error = Some(e.message(lang));
                actix_web::ResponseError::status_code(&e)
            }
            Err(e) => return admin.failed(&e),
        }
    };
    again(&state, &admin, ids, status, Failed::Import(shown)).await
}

/// GET …/import-template.csv: the header of an import for this survey and one example row per
/// audience, to fill in (a spreadsheet opens it).
#[tracing::instrument(skip_all)]
pub async fn template(state: State, admin: Admin, ids: Ids) -> HttpResponse {
    let (survey_id, wave_id) = ids.into_inner();
    match db(&state, move |conn| console::import_template(conn, survey_id)).await {
        Ok(csv) => HttpResponse::Ok()
            .content_type("text/csv; charset=utf-8")
            .insert_header(("Cache-Control", "no-store"))
            .insert_header((
                "Content-Disposition",
                format!(
                    "attachment; filename=\"klantspiegel-{survey_id}-meting-{wave_id}-importsjabloon.csv\""
                ),
            ))
            .body(csv),
        Err(e) => admin.failed(&e),
    }
}
