//! The report page: the comparison of one scope with its charts, actions and comments.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};

use super::render;
use super::session::{error_page, page_reader};
use super::view::{
    action_rows, dim_row, knowledge_sentences, notes_text, options, other, respondents_text,
    scope_query, ActionRow, DimRow, Opt, ScopeQuery,
};
use crate::app::accounts::Principal;
use crate::app::reports::{self, Overview};
use crate::domain::SurveyId;
use crate::http::{db, AppState};
use crate::i18n::pages::{app_text, AppText};
use crate::i18n::Lang;

#[derive(askama::Template)]
#[template(path = "report.html")]
struct ReportPage<'a> {
    lang: &'a str,
    title: &'a str,
    t: &'a AppText,
    user: String,
    csrf: String,
    survey_id: SurveyId,
    survey_title: String,
    waves: Vec<Opt>,
    teams: Vec<Opt>,
    other_query: String,
    respondents: String,
    nps: String,
    rows: Vec<DimRow>,
    actions: Vec<ListedAction>,
    /// The team of the report (the edit forms return to it).
    team_value: String,
    wave_value: String,
    comments: Vec<String>,
    /// What the anonymity rules left out, in words.
    notes: Vec<String>,
    workshop_link: String,
    /// The workshop pack (PDF) and the workbook (XLSX) of this scope.
    pack_link: String,
    xlsx_link: String,
    /// Survey · team · wave: the header of every printed page.
    print_header: String,
    figures: Vec<Figure>,
    /// "Hoe goed kent het team zijn klanten?" and the knowledge score in words.
    knowledge_heading: &'static str,
    knowledge: Vec<String>,
    /// What "p (Holm)" means, with the report's alpha.
    p_holm_note: String,
}

/// An action in the list: whether the reader may change it, and whether it just changed.
pub struct ListedAction {
    pub row: ActionRow,
    pub editable: bool,
    pub updated: bool,
}

/// A chart on the page with its text alternative.
pub struct Figure {
    pub kind: &'static str,
    pub src: String,
    pub alt: String,
    pub summary: String,
    pub lines: Vec<String>,
}

/// Chart size on the report page: narrower than the projector's 1280×720, so that the
/// charts' text prints at 9 pt or more on A4 (and reads larger on screen).
const FIGURE_SIZE: (u32, u32) = (840, 473);

fn figures(survey_id: SurveyId, query: &str, l: &Overview, lang: Lang) -> Vec<Figure> {
    use crate::charts::ChartKind;
    ChartKind::ALL
        .iter()
        .map(|k| {
            let d = crate::app::charts::describe(*k, &l.comparison, &l.trend, lang);
            Figure {
                kind: k.as_str(),
                src: format!(
                    "/api/v1/surveys/{survey_id}/charts/{}.svg?{query}&width={}&height={}",
                    k.as_str(),
                    FIGURE_SIZE.0,
                    FIGURE_SIZE.1
                ),
                alt: d.title,
                summary: d.summary,
                lines: d.lines,
            }
        })
        .collect()
}

/// The language, user and data of a report-like page, or the page to answer instead
/// (login redirect, 403, 404).
pub async fn load_page(
    state: &web::Data<AppState>,
    req: &HttpRequest,
    survey_id: SurveyId,
    scope: ScopeQuery,
) -> Result<(Lang, Principal, Overview), HttpResponse> {
    let (lang, who) = page_reader(state, req).await?;
    let who2 = who.clone();
    let loaded = db(state, move |conn| {
        reports::overview(conn, &who2, survey_id, scope.wave_id, scope.team_id, lang)
    })
    .await
    .map_err(|e| error_page(lang, &e))?;
    Ok((lang, who, loaded))
}

#[tracing::instrument(skip_all)]
pub async fn report(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<SurveyId>,
    q: web::Query<ScopeQuery>,
) -> HttpResponse {
    let survey_id = path.into_inner();
    let q = q.into_inner();
    let team_id = q.team_id;
    let updated = q.updated;
    let (lang, who, loaded) = or_page!(load_page(&state, &req, survey_id, q).await);
    let t = app_text(lang);
    let (waves, teams) = options(&loaded, t, team_id);
    let (respondents, nps) = respondents_text(lang, t, &loaded.comparison);
    let query = scope_query(loaded.wave_id, team_id, lang);
    let wave_name = loaded
        .waves
        .iter()
        .find(|w| Some(w.id) == loaded.wave_id)
        .map(|w| w.name.clone())
        .unwrap_or_default();
    let team_name = team_id
        .and_then(|id| loaded.teams.iter().find(|tm| tm.id == id))
        .map(|tm| tm.name.clone())
        .unwrap_or_else(|| t.whole_organisation.to_string());
    let listed = action_rows(lang, t, &loaded)
        .into_iter()
        .map(|row| ListedAction {
            editable: crate::app::actions::may_act_on(&who, row.team_id),
            updated: updated == Some(row.id),
            row,
        })
        .collect();
    render(
        StatusCode::OK,
        &ReportPage {
            lang: t.lang_code,
            title: t.report,
            t,
            user: who.email.clone().unwrap_or_default(),
            csrf: who.csrf.clone().unwrap_or_default(),
            survey_id,
            survey_title: loaded.survey.title.clone(),
            waves,
            teams,
            respondents,
            nps,
            rows: loaded
                .comparison
                .dimensions
                .iter()
                .enumerate()
                .map(|(i, d)| dim_row(lang, t, &loaded.comparison, d, i + 1))
                .collect(),
            actions: listed,
            team_value: team_id.map(|t| t.to_string()).unwrap_or_default(),
            wave_value: loaded.wave_id.map(|w| w.to_string()).unwrap_or_default(),
            print_header: format!("{} · {team_name} · {wave_name}", loaded.survey.title),
            figures: figures(survey_id, &query, &loaded, lang),
            knowledge_heading: crate::i18n::knowledge::report_heading(lang),
            knowledge: knowledge_sentences(lang, &loaded.comparison),
            comments: loaded.comments.clone(),
            notes: notes_text(t, &loaded.notes, loaded.comparison.min_group_size),
            p_holm_note: crate::i18n::verdicts::p_holm_note(lang, loaded.comparison.alpha),
            workshop_link: format!("/surveys/{survey_id}/workshop?{query}"),
            pack_link: format!("/api/v1/surveys/{survey_id}/workshop.pdf?{query}"),
            xlsx_link: format!("/api/v1/surveys/{survey_id}/report.xlsx?{query}"),
            other_query: scope_query(loaded.wave_id, team_id, other(lang)),
        },
    )
}

#[derive(serde::Deserialize)]
pub struct PrintHeader {
    /// The header's text ("survey · team · wave"), at most 300 characters.
    pub text: Option<String>,
}

/// The text as a CSS string: quotes, backslashes and line breaks escaped, no control
/// characters, at most 300 characters.
pub fn css_string(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars().take(300) {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' | '\r' => out.push_str("\\A "),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The header of every printed page of a report, as a print style sheet: an `@page` margin box
/// with the page's "survey · team · wave" (the page links it with its own text; a style sheet
/// from this server is what the Content-Security-Policy allows). A margin box repeats on every
/// page without wrapping the report in a table.
pub async fn print_header_css(q: web::Query<PrintHeader>) -> HttpResponse {
    let text = css_string(q.text.as_deref().unwrap_or_default());
    super::asset(
        super::CSS,
        format!(
            "@page {{ @top-left {{ content: {text}; font: 9pt system-ui, sans-serif; color: #333; \
             vertical-align: bottom; padding-bottom: 2mm; }} }}\n"
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::css_string;

    #[test]
    fn a_header_is_a_safe_css_string() {
        assert_eq!(css_string("Klantspiegel · Team"), "\"Klantspiegel · Team\"");
        assert_eq!(
            css_string("a\"b\\c\nd\u{0}e } @import"),
            "\"a\\\"b\\\\c\\A de } @import\""
        );
        assert_eq!(css_string(&"x".repeat(400)).len(), 302);
    }
}
