//! Admin API for users: list, create, change, delete. Never a password or its hash.

use actix_web::{web, HttpResponse};

use crate::app::audit::{self, audited, deleting, Action, Object};
use crate::app::users::{self, CreateUser, UpdateUser, UserView};
use crate::domain::UserId;
use crate::error::{AppError, ErrorBody};
use crate::http::auth::Principal;
use crate::http::{db, AppState, JsonBody};

#[utoipa::path(get, path = "/api/v1/users", tag = "admin",
    responses((status = 200, body = Vec<UserView>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)),
    security(("bearer" = [])))]
#[tracing::instrument(skip_all)]
pub async fn list_users(
    state: web::Data<AppState>,
    who: Principal,
) -> Result<HttpResponse, AppError> {
    who.require_admin()?;
    Ok(HttpResponse::Ok().json_line(db(&state, users::list).await?))
}

#[utoipa::path(post, path = "/api/v1/users", tag = "admin", request_body = CreateUser,
    responses((status = 201, body = UserView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
#[tracing::instrument(skip_all)]
pub async fn create_user(
    state: web::Data<AppState>,
    who: Principal,
    body: web::Json<CreateUser>,
) -> Result<HttpResponse, AppError> {
    who.require_admin()?;
    let user = db(&state, move |conn| {
        // Checked and hashed before the transaction: the hashing holds no lock.
        let new = users::check_create(conn, &body)?;
        audited(
            conn,
            &who,
            Action::UserCreated,
            |c| users::store_create(c, new),
            audit::user_made,
        )
    })
    .await?;
    Ok(HttpResponse::Created().json_line(user))
}

#[utoipa::path(patch, path = "/api/v1/users/{id}", tag = "admin", request_body = UpdateUser,
    params(("id" = i64, Path, description = "user id")),
    responses((status = 200, body = UserView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody, description = "the last admin keeps the role (`last_admin`)"),
        (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
#[tracing::instrument(skip_all)]
pub async fn update_user(
    state: web::Data<AppState>,
    who: Principal,
    path: web::Path<UserId>,
    body: web::Json<UpdateUser>,
) -> Result<HttpResponse, AppError> {
    who.require_admin()?;
    let id = path.into_inner();
    let user = db(&state, move |conn| {
        let change = users::check_update(conn, id, &body)?;
        audited(
            conn,
            &who,
            Action::UserUpdated,
            |c| users::store_update(c, change),
            |u| {
                audit::user_changed(
                    u,
                    body.role.is_some(),
                    body.team_ids.is_some(),
                    body.password.is_some(),
                )
            },
        )
    })
    .await?;
    Ok(HttpResponse::Ok().json_line(user))
}

#[utoipa::path(delete, path = "/api/v1/users/{id}", tag = "admin",
    params(("id" = i64, Path, description = "user id")),
    responses((status = 204, description = "deleted; their sessions ended"), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody, description = "your own account (`own_account`), or the last admin (`last_admin`)")),
    security(("bearer" = [])))]
#[tracing::instrument(skip_all)]
pub async fn delete_user(
    state: web::Data<AppState>,
    who: Principal,
    path: web::Path<UserId>,
) -> Result<HttpResponse, AppError> {
    who.require_admin()?;
    let id = path.into_inner();
    db(&state, move |conn| {
        audited(
            conn,
            &who,
            Action::UserDeleted,
            |c| deleting(c, "user", id, |c, id| users::delete(c, &who, id)),
            |name| Object::named("user", id, name.clone()).into(),
        )
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}
