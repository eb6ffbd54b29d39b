//! The live workshop over HTTP (SPEC "The live workshop"): the facilitator starts, opens,
//! reveals and ends; phones guess with their per-device cookie; anyone with the code listens
//! to the session's server-sent events. Parse, call `app::live`, tell this instance's hub,
//! respond.

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{web, FromRequest, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::ToSchema;

use crate::app::live::{self as app, Caller, Closing, Reveal, Snapshot};
use crate::domain::{SurveyId, TeamId, WaveId};
use crate::engine::ScaleView;
use crate::error::{AppError, ErrorBody};
use crate::http::auth::Principal;
use crate::http::live_device::{device_of, device_or_new, join_url};
use crate::http::pages::lang_of;
use crate::http::JsonBody;
use crate::http::{db, AppState};
use crate::i18n::Lang;

#[derive(Deserialize, ToSchema)]
pub struct StartLive {
    pub wave_id: WaveId,
    /// None: the whole organisation (admins only).
    pub team_id: Option<TeamId>,
}

#[derive(Serialize, Deserialize, ToSchema, Debug)]
pub struct LiveStarted {
    /// Six characters; shown to the room, never stored in clear.
    pub code: String,
    pub join_url: String,
    pub expires_at: chrono::DateTime<chrono::Utc>,
}

#[derive(Deserialize, ToSchema)]
pub struct DimensionBody {
    pub dimension_key: String,
}

#[derive(Deserialize, ToSchema)]
pub struct GuessBody {
    pub dimension_key: String,
    /// On the survey's scale.
    pub value: i64,
}

#[derive(Serialize, Deserialize, ToSchema, Debug)]
pub struct GuessAccepted {
    pub dimension_key: String,
    pub value: i64,
}

/// The question the phones are asked.
#[derive(Serialize, Deserialize, ToSchema, Debug, Clone)]
pub struct OpenView {
    pub dimension_key: String,
    pub label: String,
    pub scale: ScaleView,
}

#[derive(Serialize, Deserialize, ToSchema, Debug)]
pub struct LiveDimension {
    pub key: String,
    pub label: String,
}

/// A session's state. `reveals` carry the survey's figures only for the facilitator.
#[derive(Serialize, Deserialize, ToSchema, Debug)]
pub struct LiveState {
    /// `running` or `ended`.
    pub state: String,
    pub open: Option<OpenView>,
    /// Guesses per dimension (after the end: the counts kept).
    pub counts: BTreeMap<String, u64>,
    pub reveals: Vec<Reveal>,
    pub dimensions: Vec<LiveDimension>,
    pub scale: ScaleView,
    /// Devices that joined (while running).
    pub participants: u64,
    pub expires_at: chrono::DateTime<chrono::Utc>,
    /// Whether this caller is the facilitator.
    pub facilitator: bool,
    /// The facilitator's closing view of the reveals so far (null for anyone else).
    pub closing: Option<Closing>,
}

#[derive(Serialize, Deserialize, ToSchema, Debug)]
pub struct LiveEnded {
    pub state: String,
    pub closing: Closing,
}

/// A call about one live session: the join code in the path, with the caller's language and
/// the phone's device cookie.
pub struct LiveCall {
    code: String,
    lang: Lang,
    device: Option<String>,
}

impl LiveCall {
    fn by<'a>(&'a self, who: Option<&'a Principal>) -> Caller<'a> {
        Caller {
            device: self.device.as_deref(),
            who,
        }
    }
}

impl FromRequest for LiveCall {
    type Error = actix_web::Error;
    type Future = std::future::Ready<Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let code = web::Path::<String>::from_request(req, payload).into_inner();
        std::future::ready(code.map(|code| LiveCall {
            code: code.into_inner(),
            lang: lang_of(req),
            device: device_of(req),
        }))
    }
}

fn open_view(s: &Snapshot, lang: Lang) -> Option<OpenView> {
    s.open.as_ref().map(|o| OpenView {
        dimension_key: o.key.clone(),
        label: o.label(lang).to_string(),
        scale: ScaleView {
            min: s.scale_min,
            max: s.scale_max,
        },
    })
}

/// The state as `facilitator` or anyone else may see it.
pub fn state_view(
    s: &Snapshot,
    facilitator: bool,
    closing: Option<Closing>,
    lang: Lang,
) -> LiveState {
    LiveState {
        state: if s.over { "ended" } else { "running" }.to_string(),
        open: open_view(s, lang),
        counts: s.counts.clone(),
        reveals: s
            .reveals
            .iter()
            .map(|r| if facilitator { r.clone() } else { r.public() })
            .collect(),
        dimensions: s
            .dimensions
            .iter()
            .map(|(k, nl, en)| LiveDimension {
                key: k.clone(),
                label: if lang == Lang::En { en } else { nl }.clone(),
            })
            .collect(),
        scale: ScaleView {
            min: s.scale_min,
            max: s.scale_max,
        },
        participants: s.participants,
        expires_at: s.expires_at.and_utc(),
        facilitator,
        closing: closing.filter(|_| facilitator),
    }
}

handler! {
    (post, path = "/api/v1/surveys/{id}/live", tag = "live", request_body = StartLive,
        params(("id" = i64, Path, description = "survey id")))
    responses((status = 201, body = LiveStarted),
        (status = 409, body = ErrorBody, description = "the wave is still open"))
    errors(401, 403, 404, 422) bearer
    fn start_live(
        state: web::Data<AppState>,
        req: HttpRequest,
        who: Principal,
        path: web::Path<SurveyId>,
        body: web::Json<StartLive>,
    ) {
        let survey_id = path.into_inner();
        let body = body.into_inner();
        let started = db(&state, move |conn| {
            app::start(conn, &who, survey_id, body.wave_id, body.team_id)
        })
        .await?;
        Ok(HttpResponse::Created().json_line(LiveStarted {
            join_url: join_url(&state, &req, &started.code),
            code: started.code,
            expires_at: started.session.expires_at.and_utc(),
        }))
    }
}

handler! {
    (get, path = "/api/v1/live/{code}", tag = "live",
        params(("code" = String, Path, description = "the session's join code")))
    responses((status = 200, body = LiveState)) errors(404, 429)
    fn live_state(state: web::Data<AppState>, who: Option<Principal>, call: LiveCall) {
        let lang = call.lang;
        let view = db(&state, move |conn| {
            let by = call.by(who.as_ref());
            let (_, snap, facilitator, closing) = app::state(conn, &call.code, by, lang)?;
            Ok(state_view(&snap, facilitator, closing, lang))
        })
        .await?;
        Ok(HttpResponse::Ok()
            .insert_header((header::CACHE_CONTROL, "no-store"))
            .json_line(view))
    }
}

handler! {
    (post, path = "/api/v1/live/{code}/open", tag = "live", request_body = DimensionBody,
        params(("code" = String, Path, description = "the session's join code")))
    responses((status = 200, body = OpenView),
        (status = 409, body = ErrorBody, description = "already revealed"))
    errors(401, 403, 404, 410, 422) bearer
    fn open_dimension(
        state: web::Data<AppState>,
        who: Principal,
        call: LiveCall,
        body: web::Json<DimensionBody>,
    ) {
        let lang = call.lang;
        let (id, snap) = db(&state, move |conn| {
            let s = app::open(conn, &who, &call.code, body.dimension_key.trim())?;
            Ok((s.id, app::snapshot(conn, s.id)?))
        })
        .await?;
        state.live.poke(id);
        let view = snap
            .as_ref()
            .and_then(|s| open_view(s, lang))
            .ok_or_else(|| {
                AppError::internal(anyhow::anyhow!("an opened session without its question"))
            })?;
        Ok(HttpResponse::Ok().json_line(view))
    }
}

handler! {
    (post, path = "/api/v1/live/{code}/reveal", tag = "live", request_body = DimensionBody,
        params(("code" = String, Path, description = "the session's join code")))
    responses((status = 200, body = Reveal)) errors(401, 403, 404, 410, 422) bearer
    fn reveal_dimension(
        state: web::Data<AppState>,
        who: Principal,
        call: LiveCall,
        body: web::Json<DimensionBody>,
    ) {
        let (s, reveal) = db(&state, move |conn| {
            app::reveal(conn, &who, &call.code, body.dimension_key.trim(), call.lang)
        })
        .await?;
        state.live.poke(s.id);
        Ok(HttpResponse::Ok().json_line(reveal))
    }
}

handler! {
    (post, path = "/api/v1/live/{code}/end", tag = "live",
        params(("code" = String, Path, description = "the session's join code")))
    responses((status = 200, body = LiveEnded)) errors(401, 403, 404, 410) bearer
    fn end_live(state: web::Data<AppState>, who: Principal, call: LiveCall) {
        let (id, closing) = db(&state, move |conn| {
            app::end(conn, &who, &call.code, call.lang)
        })
        .await?;
        // Tell this instance's listeners at once (the others read the counter).
        state.live.poke(id);
        Ok(HttpResponse::Ok().json_line(LiveEnded {
            state: "ended".into(),
            closing,
        }))
    }
}

handler! {
    (post, path = "/api/v1/live/{code}/guesses", tag = "live", request_body = GuessBody,
        params(("code" = String, Path, description = "the session's join code")))
    responses((status = 201, body = GuessAccepted),
        (status = 409, body = ErrorBody, description = "that dimension is not open"))
    errors(404, 410, 422, 429)
    fn guess(
        state: web::Data<AppState>,
        req: HttpRequest,
        path: web::Path<String>,
        body: web::Json<GuessBody>,
    ) {
        let code = path.into_inner();
        let (device, cookie) = device_or_new(&req, state.settings.secure_cookies)?;
        let GuessBody {
            dimension_key,
            value,
        } = body.into_inner();
        let key = dimension_key.trim().to_string();
        state.live.guess(code, device, key.clone(), value).await?;
        let mut resp = HttpResponse::Created();
        if let Some(c) = cookie {
            resp.cookie(c);
        }
        Ok(resp.json_line(GuessAccepted {
            dimension_key: key,
            value,
        }))
    }
}

/// One server-sent event of a live session, as a client reads it: its name and its JSON data.
#[derive(Serialize, ToSchema)]
pub struct LiveEvent {
    /// `open`, `count`, `reveal`, `close` or `end`.
    pub event: String,
    /// The event's JSON object, as text.
    pub data: String,
}

handler! {
    (get, path = "/api/v1/live/{code}/events", tag = "live",
        params(("code" = String, Path, description = "the session's join code")))
    responses((status = 200, content_type = "text/event-stream", body = LiveEvent, description = "events `open`, `count`, `reveal` (survey figures null without the facilitator's session or token), `close`, `end`"))
    errors(404, 429)
    fn events(state: web::Data<AppState>, who: Option<Principal>, call: LiveCall) {
        let lang = call.lang;
        let (id, facilitator) = db(&state, move |conn| {
            let s = app::lookup(conn, &call.code, call.by(who.as_ref()))?;
            let facilitator = who.as_ref().is_some_and(|w| app::is_facilitator(w, &s));
            Ok((s.id, facilitator))
        })
        .await?;
        let body = crate::http::live_hub::stream(&state.live, id, facilitator, lang);
        Ok(HttpResponse::Ok()
            .content_type("text/event-stream")
            .insert_header((header::CACHE_CONTROL, "no-cache, no-store"))
            .insert_header(("X-Accel-Buffering", "no"))
            .streaming(body))
    }
}
