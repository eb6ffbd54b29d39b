-- The live workshop (SPEC "The live workshop", revision 3). A session's join code is stored as
-- its SHA-256 only; the state (open question, change counter) lives here so that several
-- instances on one database serve one session. Individual guesses live only while the session
-- runs: when it ends (or expires) they are reduced to a count per dimension (live_counts) and
-- deleted, with the devices that joined and the reveals.
CREATE TABLE live_sessions (
    id BIGSERIAL PRIMARY KEY,
    code_hash TEXT NOT NULL UNIQUE,
    survey_id BIGINT NOT NULL REFERENCES surveys (id) ON DELETE CASCADE,
    wave_id BIGINT NOT NULL REFERENCES waves (id) ON DELETE CASCADE,
    team_id BIGINT,
    facilitator_id BIGINT,
    open_key TEXT,
    version BIGINT NOT NULL DEFAULT 0,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    ended_at TIMESTAMP
);
CREATE INDEX live_sessions_running ON live_sessions (ended_at, expires_at);

CREATE TABLE live_guesses (
    session_id BIGINT NOT NULL REFERENCES live_sessions (id) ON DELETE CASCADE,
    dimension_key TEXT NOT NULL,
    participant TEXT NOT NULL,
    value INTEGER NOT NULL,
    PRIMARY KEY (session_id, dimension_key, participant)
);

CREATE TABLE live_participants (
    session_id BIGINT NOT NULL REFERENCES live_sessions (id) ON DELETE CASCADE,
    participant TEXT NOT NULL,
    PRIMARY KEY (session_id, participant)
);

CREATE TABLE live_reveals (
    session_id BIGINT NOT NULL REFERENCES live_sessions (id) ON DELETE CASCADE,
    dimension_key TEXT NOT NULL,
    position INTEGER NOT NULL,
    body TEXT NOT NULL,
    PRIMARY KEY (session_id, dimension_key)
);

CREATE TABLE live_counts (
    session_id BIGINT NOT NULL REFERENCES live_sessions (id) ON DELETE CASCADE,
    dimension_key TEXT NOT NULL,
    guesses INTEGER NOT NULL,
    PRIMARY KEY (session_id, dimension_key)
);
