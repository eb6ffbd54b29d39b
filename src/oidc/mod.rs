//! The OpenID Connect adapter: speaks to the organisation's identity provider through the
//! `openidconnect` crate and knows nothing of users or sessions (`app::sign_in` does).
//!
//! - Discovery from `{issuer}/.well-known/openid-configuration` (the crate checks that the
//!   document names the configured issuer) and its JWKS, kept for [`METADATA_TTL`].
//! - The authorization code flow with PKCE (S256), a random `state` and `nonce` per sign-in.
//! - The ID token: signature (asymmetric algorithms only, keys from the JWKS), issuer, audience
//!   (this client alone), expiry and nonce, all by the crate's `IdTokenVerifier`; the access
//!   token's hash (`at_hash`) when the token carries one.
//! - The e-mail: the `email` claim with `email_verified: true`, or the claim the configuration
//!   trusts (`KLANTSPIEGEL_OIDC_EMAIL_CLAIM`); from the userinfo endpoint when the ID token
//!   lacks it (the userinfo `sub` must be the ID token's).
//!
//! Everything here blocks (HTTP to the provider): call it from `web::block`.

use std::collections::HashMap;
use std::io::Read;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use openidconnect::core::{
    CoreAuthDisplay, CoreAuthPrompt, CoreClientAuthMethod, CoreErrorResponseType, CoreGenderClaim,
    CoreJsonWebKey, CoreJweContentEncryptionAlgorithm, CoreJwsSigningAlgorithm,
    CoreProviderMetadata, CoreResponseType, CoreRevocableToken, CoreRevocationErrorResponse,
    CoreTokenIntrospectionResponse, CoreTokenType,
};
use openidconnect::{
    AccessTokenHash, AdditionalClaims, AuthType, AuthenticationFlow, AuthorizationCode, ClientId,
    ClientSecret, CsrfToken, EmptyExtraTokenFields, EndpointMaybeSet, EndpointNotSet, EndpointSet,
    IdToken, IdTokenClaims, IdTokenFields, IdTokenVerifier, IssuerUrl, Nonce, OAuth2TokenResponse,
    PkceCodeChallenge, PkceCodeVerifier, RedirectUrl, RequestTokenError, Scope,
    StandardErrorResponse, StandardTokenResponse,
};
use serde::{Deserialize, Serialize};

use crate::config::OidcSettings;

/// How long discovered metadata and keys are used before they are fetched again (a provider
/// that rotates its signing keys is followed within this time).
pub const METADATA_TTL: Duration = Duration::from_secs(300);
/// Every request to the provider gives up after this long.
const HTTP_TIMEOUT: Duration = Duration::from_secs(10);
/// At most this much of a provider's answer is read.
const MAX_BODY: u64 = 1024 * 1024;
/// The path the provider returns to, after the public URL.
pub const CALLBACK_PATH: &str = "/auth/oidc/callback";

/// ID tokens signed with these only: never `none`, never a shared-secret HMAC.
const SIGNING_ALGS: [CoreJwsSigningAlgorithm; 10] = [
    CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha256,
    CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha384,
    CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha512,
    CoreJwsSigningAlgorithm::RsaSsaPssSha256,
    CoreJwsSigningAlgorithm::RsaSsaPssSha384,
    CoreJwsSigningAlgorithm::RsaSsaPssSha512,
    CoreJwsSigningAlgorithm::EcdsaP256Sha256,
    CoreJwsSigningAlgorithm::EcdsaP384Sha384,
    CoreJwsSigningAlgorithm::EcdsaP521Sha512,
    CoreJwsSigningAlgorithm::EdDsa,
];

/// Claims outside the standard set (e.g. Entra ID's `upn`), for a configured e-mail claim.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct OtherClaims(HashMap<String, serde_json::Value>);
impl AdditionalClaims for OtherClaims {}

type IdTokenWithOthers = IdToken<
    OtherClaims,
    CoreGenderClaim,
    CoreJweContentEncryptionAlgorithm,
    CoreJwsSigningAlgorithm,
>;
type TokenResponse = StandardTokenResponse<
    IdTokenFields<
        OtherClaims,
        EmptyExtraTokenFields,
        CoreGenderClaim,
        CoreJweContentEncryptionAlgorithm,
        CoreJwsSigningAlgorithm,
    >,
    CoreTokenType,
>;
type OidcClient = openidconnect::Client<
    OtherClaims,
    CoreAuthDisplay,
    CoreGenderClaim,
    CoreJweContentEncryptionAlgorithm,
    CoreJsonWebKey,
    CoreAuthPrompt,
    StandardErrorResponse<CoreErrorResponseType>,
    TokenResponse,
    CoreTokenIntrospectionResponse,
    CoreRevocableToken,
    CoreRevocationErrorResponse,
    EndpointSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointMaybeSet,
    EndpointMaybeSet,
>;

/// Why a sign-in through the provider did not give an identity. The text is for the log (it
/// never holds a code, token or secret), not for the person signing in.
#[derive(Debug, thiserror::Error)]
pub enum OidcError {
    /// The provider could not be reached, or its discovery document or keys are unusable.
    #[error("the identity provider is unavailable: {0}")]
    Unavailable(String),
    /// The provider refused the code (used, expired, another client's) or the client.
    #[error("the identity provider refused the code: {0}")]
    Refused(String),
    /// The ID token failed a check: signature, issuer, audience, expiry, nonce, at_hash.
    #[error("the ID token was refused: {0}")]
    InvalidToken(String),
    /// The callback's `iss` parameter names another provider (a mix-up).
    #[error("the callback names issuer {0}, not the configured one")]
    WrongIssuer(String),
}

/// What a sign-in starts with: the provider's address to send the browser to, and the
/// secrets the callback needs (kept server-side by the caller).
#[derive(Debug, Clone)]
pub struct Start {
    pub url: String,
    pub state: String,
    pub nonce: String,
    pub pkce_verifier: String,
}

/// Who the provider says signed in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    /// The ID token's `iss` and `sub`: together they name the person for good.
    pub issuer: String,
    pub subject: String,
    /// The e-mail address, lower case, if the provider gave one.
    pub email: Option<String>,
    /// True when the provider vouches for the address (`email_verified: true`, or the address
    /// came from the configured trusted claim).
    pub email_verified: bool,
}

/// The identity provider of this instance.
pub struct Provider {
    issuer: IssuerUrl,
    client_id: ClientId,
    client_secret: ClientSecret,
    redirect: RedirectUrl,
    email_claim: Option<String>,
    http: ureq::Agent,
    metadata: Mutex<Option<(Instant, Arc<CoreProviderMetadata>)>>,
}

impl std::fmt::Debug for Provider {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Provider")
            .field("issuer", &self.issuer.as_str())
            .field("client_id", &self.client_id.as_str())
            .field("redirect", &self.redirect.as_str())
            .finish_non_exhaustive()
    }
}

impl Provider {
    /// A provider for these settings; the provider returns to `{public_url}/auth/oidc/callback`.
    /// Nothing is fetched yet: discovery happens at the first sign-in.
    pub fn new(settings: &OidcSettings, public_url: &str) -> Result<Provider, String> {
        let issuer = IssuerUrl::new(settings.issuer.clone())
            .map_err(|e| format!("the OpenID issuer '{}' is not a URL: {e}", settings.issuer))?;
        let redirect = RedirectUrl::new(format!("{public_url}{CALLBACK_PATH}"))
            .map_err(|e| format!("the public URL '{public_url}' gives no redirect URL: {e}"))?;
        let http = ureq::AgentBuilder::new()
            // Never follow a redirect from the provider's endpoints (the crate's SSRF advice).
            .redirects(0)
            .timeout(HTTP_TIMEOUT)
            .build();
        Ok(Provider {
            issuer,
            client_id: ClientId::new(settings.client_id.clone()),
            client_secret: ClientSecret::new(settings.client_secret.clone()),
            redirect,
            email_claim: settings.email_claim.clone(),
            http,
            metadata: Mutex::new(None),
        })
    }

    /// The configured issuer.
    pub fn issuer(&self) -> &str {
        self.issuer.as_str()
    }

    /// The discovery document and keys, fetched again after [`METADATA_TTL`].
    fn metadata(&self) -> Result<Arc<CoreProviderMetadata>, OidcError> {
        if let Ok(cache) = self.metadata.lock() {
            if let Some((at, m)) = cache.as_ref() {
                if at.elapsed() < METADATA_TTL {
                    return Ok(m.clone());
                }
            }
        }
        let fetched = CoreProviderMetadata::discover(&self.issuer, &|r| send(&self.http, r))
            .map_err(|e| OidcError::Unavailable(chain(&e)))?;
        let fetched = Arc::new(fetched);
        if let Ok(mut cache) = self.metadata.lock() {
            *cache = Some((Instant::now(), fetched.clone()));
        }
        Ok(fetched)
    }

    fn client(&self) -> Result<OidcClient, OidcError> {
        let metadata = (*self.metadata()?).clone();
        // The client secret goes in an HTTP Basic header (OpenID Connect's default), or in the
        // form body when the provider says it takes only that.
        let auth = match metadata.token_endpoint_auth_methods_supported() {
            Some(methods)
                if !methods.contains(&CoreClientAuthMethod::ClientSecretBasic)
                    && methods.contains(&CoreClientAuthMethod::ClientSecretPost) =>
            {
                AuthType::RequestBody
            }
            _ => AuthType::BasicAuth,
        };
        Ok(OidcClient::from_provider_metadata(
            metadata,
            self.client_id.clone(),
            Some(self.client_secret.clone()),
        )
        .set_redirect_uri(self.redirect.clone())
        .set_auth_type(auth))
    }

    /// Starts a sign-in: the authorization URL (code flow, PKCE S256) with a fresh state and
    /// nonce. Scopes: `openid email`, and `profile` when another claim is trusted for the
    /// address (Entra ID's `preferred_username` comes with it); nothing more is asked.
    pub fn start(&self) -> Result<Start, OidcError> {
        let client = self.client()?;
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let mut request = client
            .authorize_url(
                AuthenticationFlow::<CoreResponseType>::AuthorizationCode,
                CsrfToken::new_random,
                Nonce::new_random,
            )
            .add_scope(Scope::new("email".into()));
        if self.email_claim.as_deref().is_some_and(|c| c != "email") {
            request = request.add_scope(Scope::new("profile".into()));
        }
        let (url, state, nonce) = request.set_pkce_challenge(challenge).url();
        Ok(Start {
            url: url.to_string(),
            state: state.secret().clone(),
            nonce: nonce.secret().clone(),
            pkce_verifier: verifier.secret().clone(),
        })
    }

    /// Finishes a sign-in: checks the callback's `iss` (when the provider sends one), redeems
    /// the code with the PKCE verifier, verifies the ID token against `nonce`, and reads the
    /// e-mail (from userinfo when the token lacks it).
    pub fn finish(
        &self,
        code: &str,
        iss: Option<&str>,
        pkce_verifier: &str,
        nonce: &str,
    ) -> Result<Identity, OidcError> {
        if let Some(iss) = iss {
            if iss != self.issuer.as_str() {
                return Err(OidcError::WrongIssuer(iss.to_string()));
            }
        }
        let client = self.client()?;
        let http = |r| send(&self.http, r);
        let tokens = client
            .exchange_code(AuthorizationCode::new(code.to_string()))
            .map_err(|e| OidcError::Unavailable(e.to_string()))?
            .set_pkce_verifier(PkceCodeVerifier::new(pkce_verifier.to_string()))
            .request(&http)
            .map_err(|e| match e {
                RequestTokenError::ServerResponse(r) => OidcError::Refused(format!(
                    "{}{}",
                    r.error(),
                    r.error_description()
                        .map(|d| format!(": {d}"))
                        .unwrap_or_default()
                )),
                other => OidcError::Unavailable(chain(&other)),
            })?;
        let id_token = tokens
            .extra_fields()
            .id_token()
            .ok_or_else(|| OidcError::InvalidToken("the token response has no ID token".into()))?;
        let verifier = client.id_token_verifier().set_allowed_algs(SIGNING_ALGS);
        let claims = verified_claims(&verifier, id_token, nonce)?;
        if let Some(expected) = claims.access_token_hash() {
            let alg = id_token
                .signing_alg()
                .map_err(|e| OidcError::InvalidToken(chain(&e)))?;
            let key = id_token
                .signing_key(&verifier)
                .map_err(|e| OidcError::InvalidToken(chain(&e)))?;
            let actual = AccessTokenHash::from_token(tokens.access_token(), alg, key)
                .map_err(|e| OidcError::InvalidToken(chain(&e)))?;
            if actual != *expected {
                return Err(OidcError::InvalidToken(
                    "the access token does not match the ID token's at_hash".into(),
                ));
            }
        }
        let email = match self.email_in_token(claims) {
            Some(found) => found,
            None => match client.user_info(
                tokens.access_token().clone(),
                Some(claims.subject().clone()),
            ) {
                // No userinfo endpoint: no address.
                Err(_) => (None, false),
                Ok(request) => {
                    let info: openidconnect::UserInfoClaims<OtherClaims, CoreGenderClaim> = request
                        .request(&http)
                        .map_err(|e| OidcError::Unavailable(chain(&e)))?;
                    self.email_of(
                        info.email().map(|e| e.as_str()),
                        info.email_verified(),
                        info.preferred_username().map(|u| u.as_str()),
                        info.additional_claims(),
                    )
                    .unwrap_or((None, false))
                }
            },
        };
        Ok(identity(claims, email))
    }

    /// Verifies an ID token (compact JWS) as [`finish`](Self::finish) does, without the code
    /// exchange: for tests that hold a real token issued to another client.
    pub fn verify_id_token(&self, jwt: &str, nonce: &str) -> Result<Identity, OidcError> {
        let token: IdTokenWithOthers = jwt
            .parse()
            .map_err(|e: serde_json::Error| OidcError::InvalidToken(e.to_string()))?;
        let client = self.client()?;
        let verifier = client.id_token_verifier().set_allowed_algs(SIGNING_ALGS);
        let claims = verified_claims(&verifier, &token, nonce)?;
        let email = self.email_in_token(claims).unwrap_or((None, false));
        Ok(identity(claims, email))
    }

    /// The e-mail an ID token carries (see [`email_of`](Self::email_of)).
    fn email_in_token(&self, claims: &TokenClaims) -> Option<(Option<String>, bool)> {
        self.email_of(
            claims.email().map(|e| e.as_str()),
            claims.email_verified(),
            claims.preferred_username().map(|u| u.as_str()),
            claims.additional_claims(),
        )
    }

    /// The e-mail in one set of claims: `None` when the claim looked for is absent (then the
    /// userinfo endpoint is asked); `Some((address, verified))` otherwise.
    fn email_of(
        &self,
        email: Option<&str>,
        email_verified: Option<bool>,
        preferred_username: Option<&str>,
        others: &OtherClaims,
    ) -> Option<(Option<String>, bool)> {
        let clean = |s: &str| Some(s.trim().to_lowercase()).filter(|s| !s.is_empty());
        match self.email_claim.as_deref() {
            // A claim the organisation's provider vouches for (e.g. Entra ID's
            // preferred_username, which holds the sign-in address).
            Some(name) => {
                let value = match name {
                    "email" => email.map(str::to_string),
                    "preferred_username" => preferred_username.map(str::to_string),
                    other => others
                        .0
                        .get(other)
                        .and_then(|v| v.as_str().map(str::to_string)),
                };
                value.and_then(|v| clean(&v)).map(|v| (Some(v), true))
            }
            None => {
                let address = email.and_then(clean)?;
                Some((Some(address), email_verified == Some(true)))
            }
        }
    }
}

type TokenClaims = IdTokenClaims<OtherClaims, CoreGenderClaim>;

/// The ID token's claims once signature, issuer, audience, expiry and nonce are checked.
fn verified_claims<'t>(
    verifier: &IdTokenVerifier<'_, CoreJsonWebKey>,
    token: &'t IdTokenWithOthers,
    nonce: &str,
) -> Result<&'t TokenClaims, OidcError> {
    token
        .claims(verifier, &Nonce::new(nonce.to_string()))
        .map_err(|e| OidcError::InvalidToken(chain(&e)))
}

fn identity(claims: &TokenClaims, (email, email_verified): (Option<String>, bool)) -> Identity {
    Identity {
        issuer: claims.issuer().as_str().to_string(),
        subject: claims.subject().as_str().to_string(),
        email,
        email_verified,
    }
}

/// The causes of an error, joined (the crate's errors keep the useful part in `source`).
fn chain(e: &dyn std::error::Error) -> String {
    let mut out = e.to_string();
    let mut cause = e.source();
    while let Some(c) = cause {
        out.push_str(": ");
        out.push_str(&c.to_string());
        cause = c.source();
    }
    out
}

#[derive(Debug, thiserror::Error)]
#[error("{0}")]
struct HttpFailure(String);

/// One request to the provider through ureq: no redirects, a deadline, a bounded body. An error
/// status is a response (the crate reads the provider's error body), not a failure.
fn send(
    agent: &ureq::Agent,
    request: openidconnect::HttpRequest,
) -> Result<openidconnect::HttpResponse, HttpFailure> {
    use openidconnect::http;
    let url = request.uri().to_string();
    let mut req = agent.request(request.method().as_str(), &url);
    for (name, value) in request.headers() {
        let value = value
            .to_str()
            .map_err(|_| HttpFailure(format!("header {name} is not text")))?;
        req = req.set(name.as_str(), value);
    }
    let result = if request.method() == http::Method::POST {
        req.send_bytes(request.body())
    } else {
        req.call()
    };
    let response = match result {
        Ok(r) | Err(ureq::Error::Status(_, r)) => r,
        Err(e) => return Err(HttpFailure(e.to_string())),
    };
    let mut builder = http::Response::builder().status(response.status());
    for name in ["content-type", "www-authenticate"] {
        if let Some(v) = response.header(name) {
            builder = builder.header(name, v);
        }
    }
    let mut body = Vec::new();
    response
        .into_reader()
        .take(MAX_BODY)
        .read_to_end(&mut body)
        .map_err(|e| HttpFailure(e.to_string()))?;
    builder.body(body).map_err(|e| HttpFailure(e.to_string()))
}
