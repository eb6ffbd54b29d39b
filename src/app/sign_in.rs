//! Signing in with the organisation's account (OpenID Connect): a sign-in in progress kept in
//! the database (one-time, ten minutes, bound to the browser that started it), and who the
//! provider's answer signs in: the user bound to its `iss` + `sub`, else on first sign-in the
//! existing user with the verified e-mail, who is then bound. No user is ever created here:
//! roles and teams stay in Klantspiegel.
//!
//! These functions ask the provider over HTTP and block: they take the pool and hold no
//! database connection while the provider answers (a slow provider must not empty the pool).

use subtle::ConstantTimeEq;

use super::accounts::{self, NewSession, LOGIN_WINDOW_SECS};
use super::audit;
use crate::domain::UserId;
use crate::error::AppError;
use crate::error::ErrorCode;
use crate::i18n::Lang;
use crate::oidc::{Identity, OidcError, Provider};
use crate::store::{self, invitations::hash_token, AnyConnection, Pool};

/// A sign-in not finished within this many minutes is refused.
pub const PENDING_MINUTES: i64 = 10;
/// Sign-ins started per client address per window (`accounts::LOGIN_WINDOW_SECS`): more than
/// password attempts, since a whole office behind one address may sign in at nine; enough to
/// keep the table of sign-ins in progress small.
pub const START_LIMIT: i32 = 60;

/// A started sign-in: where to send the browser, and the value of the cookie that binds the
/// sign-in to this browser.
#[derive(Debug, Clone)]
pub struct Begun {
    pub url: String,
    pub browser: String,
}

/// What the provider's return brings back (the callback's query).
#[derive(Debug, Clone, Default)]
pub struct Callback {
    pub state: Option<String>,
    pub code: Option<String>,
    pub iss: Option<String>,
    /// The provider's refusal (`access_denied` when the person cancelled).
    pub error: Option<String>,
}

/// Why no one was signed in. The page says so in the language the sign-in started in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// No sign-in in progress has this state, it expired or was used, or another browser
    /// started it.
    NotStarted,
    /// The provider answered with an error (the person cancelled, or it refused the request).
    Cancelled,
    /// The provider's answer failed a check (code refused, ID token invalid).
    Failed,
    /// The provider could not be reached.
    Unavailable,
    /// A verified e-mail that no user has (or no e-mail at all).
    Unknown,
    /// An e-mail the provider has not verified.
    Unverified,
    /// The user with this e-mail is already bound to another account at this provider.
    BoundElsewhere,
}

impl Refusal {
    pub fn as_str(self) -> &'static str {
        match self {
            Refusal::NotStarted => "not_started",
            Refusal::Cancelled => "cancelled",
            Refusal::Failed => "failed",
            Refusal::Unavailable => "unavailable",
            Refusal::Unknown => "unknown_account",
            Refusal::Unverified => "unverified_email",
            Refusal::BoundElsewhere => "bound_elsewhere",
        }
    }
}

/// How a callback ended.
pub enum Outcome {
    SignedIn {
        user: UserId,
        session: NewSession,
        next: String,
    },
    Refused {
        reason: Refusal,
        lang: Lang,
    },
}

/// Starts a sign-in for the browser holding `browser` (its earlier cookie, reused) or a new
/// one: asks the provider for the authorization URL and keeps state, nonce and PKCE verifier.
/// Rate limited per client address ([`START_LIMIT`], 429).
#[tracing::instrument(skip_all)]
pub fn begin(
    pool: &Pool,
    provider: &Provider,
    client: &str,
    browser: Option<&str>,
    next: &str,
    lang: Lang,
) -> Result<Begun, AppError> {
    {
        let mut conn = pool.get()?;
        rate_limit(&mut conn, client)?;
    }
    let start = provider.start().map_err(|e| {
        tracing::warn!(error = %e, "the organisation's sign-in cannot start");
        AppError::from(ErrorCode::SignInUnavailable)
    })?;
    let browser = match browser {
        Some(b) if b.len() >= 32 && b.len() <= 64 => b.to_string(),
        _ => accounts::new_secret()?,
    };
    let now = store::now();
    let mut conn = pool.get()?;
    store::write_tx(&mut conn, |conn| {
        store::oidc::delete_expired_logins(conn, now)?;
        store::oidc::create_login(
            conn,
            &store::oidc::NewPendingLogin {
                state_hash: &hash_token(&start.state),
                browser_hash: &hash_token(&browser),
                nonce: &start.nonce,
                pkce_verifier: &start.pkce_verifier,
                next_path: next,
                lang: lang.code(),
                created_at: now,
                expires_at: now + chrono::Duration::minutes(PENDING_MINUTES),
            },
        )
    })?;
    Ok(Begun {
        url: start.url,
        browser,
    })
}

fn rate_limit(conn: &mut AnyConnection, client: &str) -> Result<(), AppError> {
    let now = store::now();
    let window = chrono::Duration::seconds(LOGIN_WINDOW_SECS);
    let (hits, start) = store::write_tx(conn, |conn| {
        store::sessions::hit(conn, &format!("oidc:{client}"), now, window)
    })?;
    if hits > START_LIMIT {
        let retry = (start + window - now).num_seconds().max(1) as u64;
        return Err(ErrorCode::RateLimited { retry_after: retry }.into());
    }
    Ok(())
}

/// Finishes a sign-in: takes the sign-in in progress named by the state (once), checks that
/// this browser started it, lets the provider's adapter redeem the code and check the ID
/// token, and signs in the user it names.
#[tracing::instrument(skip_all)]
pub fn finish(
    pool: &Pool,
    provider: &Provider,
    callback: &Callback,
    browser: Option<&str>,
    page_lang: Lang,
) -> Result<Outcome, AppError> {
    let refused = |reason: Refusal, lang: Lang| {
        tracing::warn!(reason = reason.as_str(), "organisation sign-in refused");
        log_refusal(pool, reason)?;
        Ok(Outcome::Refused { reason, lang })
    };
    let Some(state) = callback.state.as_deref().filter(|s| !s.is_empty()) else {
        return refused(Refusal::NotStarted, page_lang);
    };
    let pending = {
        let mut conn = pool.get()?;
        store::oidc::take_login(&mut conn, &hash_token(state))?
    };
    let Some(pending) = pending else {
        return refused(Refusal::NotStarted, page_lang);
    };
    let lang = Lang::parse(&pending.lang).unwrap_or(page_lang);
    let same_browser = browser.is_some_and(|b| {
        bool::from(
            hash_token(b)
                .as_bytes()
                .ct_eq(pending.browser_hash.as_bytes()),
        )
    });
    if !same_browser || pending.expires_at <= store::now() {
        return refused(Refusal::NotStarted, lang);
    }
    if let Some(error) = &callback.error {
        // The provider's words, as the browser brought them: escaped and cut short.
        let error: String = error.chars().take(100).collect();
        tracing::warn!(error = ?error, "the provider returned an error");
        return refused(Refusal::Cancelled, lang);
    }
    let Some(code) = callback.code.as_deref().filter(|c| !c.is_empty()) else {
        return refused(Refusal::Failed, lang);
    };
    let identity = match provider.finish(
        code,
        callback.iss.as_deref(),
        &pending.pkce_verifier,
        &pending.nonce,
    ) {
        Ok(identity) => identity,
        Err(e) => {
            tracing::warn!(error = %e, "the provider's answer was refused");
            let reason = match e {
                OidcError::Unavailable(_) => Refusal::Unavailable,
                _ => Refusal::Failed,
            };
            return refused(reason, lang);
        }
    };
    let mut conn = pool.get()?;
    match user_for(&mut conn, &identity)? {
        Ok(user) => {
            let session =
                accounts::open_session(&mut conn, user, accounts::SignInMethod::Organisation)?;
            tracing::info!(user_id = %user, "signed in through the organisation's provider");
            Ok(Outcome::SignedIn {
                user,
                session,
                next: pending.next_path,
            })
        }
        Err(reason) => {
            tracing::warn!(subject = %identity.subject, reason = reason.as_str(), "organisation sign-in refused");
            log_refusal(pool, reason)?;
            Ok(Outcome::Refused { reason, lang })
        }
    }
}

/// Logs a sign-in through the provider that signed no one in: `refused` when the provider's
/// account may not sign in (unknown, unverified, bound elsewhere, cancelled), `failed` when a
/// check failed (state, browser, code, ID token) or the provider could not be reached.
fn log_refusal(pool: &Pool, reason: Refusal) -> Result<(), AppError> {
    let outcome = match reason {
        Refusal::Unknown | Refusal::Unverified | Refusal::BoundElsewhere | Refusal::Cancelled => {
            audit::Outcome::Refused
        }
        Refusal::NotStarted | Refusal::Failed | Refusal::Unavailable => audit::Outcome::Failed,
    };
    let mut conn = pool.get()?;
    accounts::refuse_sign_in(
        &mut conn,
        accounts::SignInMethod::Organisation,
        outcome,
        reason.as_str(),
    )
}

/// The user an identity signs in: the one bound to its `iss` + `sub`; else, on first sign-in,
/// the user with its verified e-mail, who is bound to it now.
pub fn user_for(
    conn: &mut AnyConnection,
    identity: &Identity,
) -> Result<Result<UserId, Refusal>, AppError> {
    if let Some(user) = store::oidc::user_of(conn, &identity.issuer, &identity.subject)? {
        return Ok(Ok(user));
    }
    let Some(email) = identity.email.as_deref() else {
        return Ok(Err(Refusal::Unknown));
    };
    if !identity.email_verified {
        return Ok(Err(Refusal::Unverified));
    }
    let Some(user) = store::users::find_by_email(conn, email)? else {
        return Ok(Err(Refusal::Unknown));
    };
    let user = user.id;
    store::write_tx(conn, |conn| {
        // Bound to another subject at this provider: the address moved to another account
        // there, which does not take this user over.
        if store::oidc::subject_of(conn, user, &identity.issuer)?.is_some() {
            return Ok(Err(Refusal::BoundElsewhere));
        }
        store::oidc::bind(conn, &identity.issuer, &identity.subject, user)?;
        Ok(Ok(user))
    })
}
