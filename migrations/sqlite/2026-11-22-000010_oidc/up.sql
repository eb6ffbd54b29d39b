-- Signing in with the organisation's account (OpenID Connect).
--
-- A sign-in in progress: created when /auth/oidc/login sends the browser to the provider, taken
-- (deleted) by the one callback that brings its state back, or left to expire after ten
-- minutes. Kept in the database, so the callback may reach any instance. The state and the
-- browser cookie are stored as hashes; the nonce and the PKCE verifier as they are (the
-- callback needs them, and they are worthless once the row is gone).
CREATE TABLE oidc_logins (
    state_hash TEXT PRIMARY KEY NOT NULL,
    browser_hash TEXT NOT NULL,
    nonce TEXT NOT NULL,
    pkce_verifier TEXT NOT NULL,
    next_path TEXT NOT NULL,
    lang TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL
);
CREATE INDEX oidc_logins_expiry ON oidc_logins (expires_at);

-- Who a user is at the provider: the ID token's iss + sub, bound at the first sign-in (matched
-- by verified e-mail) and alone identifying the user afterwards. One binding per user and
-- provider.
CREATE TABLE oidc_identities (
    issuer TEXT NOT NULL,
    subject TEXT NOT NULL,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (issuer, subject)
);
CREATE UNIQUE INDEX oidc_identities_user ON oidc_identities (user_id, issuer);
