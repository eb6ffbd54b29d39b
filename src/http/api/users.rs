//! Admin API for users: list, create, change, delete. Never a password or its hash.

use actix_web::{web, HttpResponse};

use super::{audited_change, checked_change};
use crate::app::audit::{self, deleting, Action, Object};
use crate::app::users::{self, CreateUser, UpdateUser, UserView};
use crate::domain::UserId;
use crate::error::ErrorBody;
use crate::http::auth::Principal;
use crate::http::{db, AppState, JsonBody};

handler! {
    (get, path = "/api/v1/users", tag = "admin")
    responses((status = 200, body = Vec<UserView>)) errors(401, 403) bearer
    fn list_users(state: web::Data<AppState>, who: Principal) {
        who.require_admin()?;
        Ok(HttpResponse::Ok().json_line(db(&state, users::list).await?))
    }
}

handler! {
    (post, path = "/api/v1/users", tag = "admin", request_body = CreateUser)
    responses((status = 201, body = UserView)) errors(401, 403, 409, 422) bearer
    fn create_user(state: web::Data<AppState>, who: Principal, body: web::Json<CreateUser>) {
        who.require_admin()?;
        // Checked and hashed before the transaction: the hashing holds no lock.
        let check = move |c: &mut _| users::check_create(c, &body);
        let user = checked_change(
            &state,
            who,
            Action::UserCreated,
            check,
            users::store_create,
            audit::user_made,
        )
        .await?;
        Ok(HttpResponse::Created().json_line(user))
    }
}

handler! {
    (patch, path = "/api/v1/users/{id}", tag = "admin", request_body = UpdateUser,
        params(("id" = i64, Path, description = "user id")))
    responses((status = 200, body = UserView),
        (status = 409, body = ErrorBody, description = "the last admin keeps the role (`last_admin`)"))
    errors(401, 403, 404, 422) bearer
    fn update_user(
        state: web::Data<AppState>,
        who: Principal,
        path: web::Path<UserId>,
        body: web::Json<UpdateUser>,
    ) {
        who.require_admin()?;
        let id = path.into_inner();
        let set = (
            body.role.is_some(),
            body.team_ids.is_some(),
            body.password.is_some(),
        );
        let check = move |c: &mut _| users::check_update(c, id, &body);
        let about = move |u: &UserView| audit::user_changed(u, set.0, set.1, set.2);
        let user = checked_change(
            &state,
            who,
            Action::UserUpdated,
            check,
            users::store_update,
            about,
        )
        .await?;
        Ok(HttpResponse::Ok().json_line(user))
    }
}

handler! {
    (delete, path = "/api/v1/users/{id}", tag = "admin",
        params(("id" = i64, Path, description = "user id")))
    responses((status = 204, description = "deleted; their sessions ended"),
        (status = 409, body = ErrorBody, description = "your own account (`own_account`), or the last admin (`last_admin`)"))
    errors(401, 403, 404) bearer
    fn delete_user(state: web::Data<AppState>, who: Principal, path: web::Path<UserId>) {
        who.require_admin()?;
        let id = path.into_inner();
        let delete = move |c: &mut _, who: &Principal| {
            deleting(c, "user", id, |c, id| users::delete(c, who, id))
        };
        let about = move |name: &Option<String>| Object::named("user", id, name.clone()).into();
        audited_change(&state, who, Action::UserDeleted, delete, about).await?;
        Ok(HttpResponse::NoContent().finish())
    }
}
