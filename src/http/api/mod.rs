//! JSON API under /api/v1.

use actix_web::dev::Payload;
use actix_web::{web, FromRequest, HttpRequest};
use serde::de::DeserializeOwned;

use crate::app::audit::{audited, About, Action};
use crate::domain::SurveyId;
use crate::error::AppError;
use crate::http::auth::Principal;
use crate::http::{db, AppState};
use crate::store::AnyConnection;

/// One operation of the API: the handler with its OpenAPI annotation and its tracing span.
///
/// `(…)` holds the annotation's method, path, tag, request body and parameters as
/// `#[utoipa::path]` takes them; `responses(…)` the answers with a body of their own or a
/// description; `errors(…)` the statuses answered with a plain `ErrorBody`; `bearer` marks an
/// operation for signed-in callers (bearer token or session). The handler returns
/// `Result<HttpResponse, AppError>`.
macro_rules! handler {
    (@emit ($($annotation:tt)*) fn $name:ident($($arg:tt)*) { $($body:tt)* }) => {
        #[utoipa::path($($annotation)*)]
        #[tracing::instrument(skip_all)]
        pub async fn $name($($arg)*) -> Result<actix_web::HttpResponse, crate::error::AppError> {
            $($body)*
        }
    };
    (($($op:tt)*) responses($($response:tt)*) errors($($status:tt),*) bearer $($item:tt)*) => {
        handler!(@emit ($($op)*,
            responses($($response)* $(, (status = $status, body = ErrorBody))*),
            security(("bearer" = []))) $($item)*);
    };
    (($($op:tt)*) responses($($response:tt)*) errors($($status:tt),*) $($item:tt)*) => {
        handler!(@emit ($($op)*,
            responses($($response)* $(, (status = $status, body = ErrorBody))*)) $($item)*);
    };
}

pub mod actions;
pub mod admin;
pub mod audit;
pub mod exports;
pub mod invitations;
pub mod live;
pub mod mailings;
pub mod manage;
pub mod reports;
pub mod users;

/// The API's route table: `configure` registers it and `ROUTES` lists it (paths under
/// `/api/v1`, lower-case methods), so the tests check the OpenAPI document against the routes
/// the server really has.
macro_rules! route_table {
    ($($method:ident $path:literal => $handler:path),+ $(,)?) => {
        pub const ROUTES: &[(&str, &str)] = &[$(($path, stringify!($method))),+];

        pub fn configure(cfg: &mut web::ServiceConfig) {
            $(cfg.route($path, web::$method().to($handler));)+
        }
    };
}

route_table! {
    post "/teams" => admin::create_team,
    get "/teams" => admin::list_teams,
    post "/surveys" => admin::create_survey,
    get "/surveys" => admin::list_surveys,
    get "/surveys/{id}" => admin::get_survey,
    post "/surveys/{id}/waves" => admin::create_wave,
    post "/surveys/{id}/invitations" => admin::create_invitations,
    post "/responses" => reports::submit,
    post "/surveys/{id}/import" => reports::import,
    get "/surveys/{id}/export.csv" => reports::export,
    get "/surveys/{id}/comparison" => reports::comparison,
    get "/surveys/{id}/trend" => reports::trend,
    get "/surveys/{id}/charts/{file}" => reports::chart,
    get "/surveys/{id}/workshop.pdf" => exports::workshop_pdf,
    get "/surveys/{id}/report.xlsx" => exports::report_xlsx,
    post "/surveys/{id}/actions" => actions::create_action,
    get "/surveys/{id}/actions" => actions::list_actions,
    patch "/actions/{id}" => actions::update_action,
    patch "/surveys/{id}" => manage::update_survey,
    patch "/teams/{id}" => manage::update_team,
    delete "/teams/{id}" => manage::delete_team,
    patch "/surveys/{id}/waves/{wave_id}" => manage::update_wave,
    get "/users" => users::list_users,
    post "/users" => users::create_user,
    patch "/users/{id}" => users::update_user,
    delete "/users/{id}" => users::delete_user,
    get "/surveys/{id}/invitations" => invitations::list_invitations,
    delete "/invitations/{id}" => invitations::revoke_invitation,
    get "/surveys/{id}/response-rates" => invitations::response_rates,
    get "/surveys/{id}/export.xlsx" => invitations::export_xlsx,
    post "/surveys/{id}/waves/{wave_id}/mailings" => mailings::create_mailing,
    get "/surveys/{id}/waves/{wave_id}/mailings" => mailings::list_mailings,
    get "/surveys/{id}/waves/{wave_id}/mailings/{mailing_id}" => mailings::get_mailing,
    post "/surveys/{id}/waves/{wave_id}/mailings/{mailing_id}/reminders" => mailings::send_reminders,
    get "/surveys/{id}/mail-templates" => mailings::list_templates,
    put "/surveys/{id}/mail-templates/{lang}" => mailings::set_template,
    delete "/surveys/{id}/mail-templates/{lang}" => mailings::reset_template,
    get "/surveys/{id}/mail-preview" => mailings::preview,
    get "/audit" => audit::list_audit,
    post "/surveys/{id}/live" => live::start_live,
    get "/live/{code}" => live::live_state,
    post "/live/{code}/open" => live::open_dimension,
    post "/live/{code}/reveal" => live::reveal_dimension,
    post "/live/{code}/end" => live::end_live,
    post "/live/{code}/guesses" => live::guess,
    get "/live/{code}/events" => live::events,
}

/// A survey's id in the path (`/surveys/{id}/…`) with the query that goes with it, extracted
/// in that order with the app's path and query error handlers.
pub struct SurveyQuery<Q> {
    pub survey_id: SurveyId,
    pub query: Q,
}

impl<Q: DeserializeOwned + 'static> FromRequest for SurveyQuery<Q> {
    type Error = actix_web::Error;
    type Future = std::future::Ready<Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let path = web::Path::<SurveyId>::from_request(req, payload).into_inner();
        std::future::ready(path.and_then(|path| {
            let query = web::Query::<Q>::from_request(req, payload).into_inner()?;
            Ok(SurveyQuery {
                survey_id: path.into_inner(),
                query: query.into_inner(),
            })
        }))
    }
}

/// A change by `who` and its audit entry, in one transaction on a pooled connection.
pub async fn audited_change<T, C, A>(
    state: &AppState,
    who: Principal,
    action: Action,
    change: C,
    about: A,
) -> Result<T, AppError>
where
    T: Send + 'static,
    C: FnOnce(&mut AnyConnection, &Principal) -> Result<T, AppError> + Send + 'static,
    A: FnOnce(&T) -> About + Send + 'static,
{
    db(state, move |conn| {
        audited(conn, &who, action, |c| change(c, &who), about)
    })
    .await
}

/// [`audited_change`] after a check outside the transaction (a password hashed, a CSV read: no
/// lock is held meanwhile); the change gets what the check made of the request.
pub async fn checked_change<P, T, K, C, A>(
    state: &AppState,
    who: Principal,
    action: Action,
    check: K,
    change: C,
    about: A,
) -> Result<T, AppError>
where
    T: Send + 'static,
    K: FnOnce(&mut AnyConnection) -> Result<P, AppError> + Send + 'static,
    C: FnOnce(&mut AnyConnection, P) -> Result<T, AppError> + Send + 'static,
    A: FnOnce(&T) -> About + Send + 'static,
{
    db(state, move |conn| {
        let checked = check(conn)?;
        audited(conn, &who, action, |c| change(c, checked), about)
    })
    .await
}

/// Renders a stored UTC instant as RFC 3339.
pub fn instant(t: chrono::NaiveDateTime) -> chrono::DateTime<chrono::Utc> {
    t.and_utc()
}
