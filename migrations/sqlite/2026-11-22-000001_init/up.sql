CREATE TABLE teams (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL UNIQUE,
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE surveys (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    title TEXT NOT NULL,
    template TEXT,
    scale_min INTEGER NOT NULL,
    scale_max INTEGER NOT NULL,
    min_group_size INTEGER NOT NULL DEFAULT 5,
    alpha DOUBLE NOT NULL DEFAULT 0.05,
    materiality DOUBLE NOT NULL,
    ask_predicted BOOLEAN NOT NULL DEFAULT 1,
    ask_expected BOOLEAN NOT NULL DEFAULT 1,
    ask_importance BOOLEAN NOT NULL DEFAULT 0,
    ask_nps BOOLEAN NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    CHECK (scale_min < scale_max)
);

CREATE TABLE dimensions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    survey_id INTEGER NOT NULL REFERENCES surveys(id) ON DELETE CASCADE,
    key TEXT NOT NULL,
    label_nl TEXT NOT NULL,
    label_en TEXT NOT NULL,
    employee_statement_nl TEXT NOT NULL,
    employee_statement_en TEXT NOT NULL,
    customer_statement_nl TEXT NOT NULL,
    customer_statement_en TEXT NOT NULL,
    category TEXT NOT NULL,
    position INTEGER NOT NULL,
    UNIQUE (survey_id, key)
);

CREATE TABLE waves (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    survey_id INTEGER NOT NULL REFERENCES surveys(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    opens_at TIMESTAMP NOT NULL,
    closes_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX waves_survey ON waves (survey_id, opens_at);

CREATE TABLE invitations (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    survey_id INTEGER NOT NULL REFERENCES surveys(id) ON DELETE CASCADE,
    wave_id INTEGER NOT NULL REFERENCES waves(id) ON DELETE CASCADE,
    team_id INTEGER NOT NULL REFERENCES teams(id),
    audience TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    max_uses INTEGER NOT NULL,
    uses INTEGER NOT NULL DEFAULT 0,
    expires_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    CHECK (uses <= max_uses)
);
CREATE INDEX invitations_wave ON invitations (wave_id, team_id, audience);

CREATE TABLE responses (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    survey_id INTEGER NOT NULL REFERENCES surveys(id) ON DELETE CASCADE,
    wave_id INTEGER NOT NULL REFERENCES waves(id) ON DELETE CASCADE,
    team_id INTEGER NOT NULL REFERENCES teams(id),
    audience TEXT NOT NULL,
    submitted_at TIMESTAMP NOT NULL,
    nps INTEGER,
    comment TEXT,
    respondent TEXT,
    UNIQUE (wave_id, respondent)
);
CREATE INDEX responses_scope ON responses (survey_id, wave_id, team_id, audience);

-- One row per answered (or "don't know") question. Scope columns are copied from the
-- response so the comparison's GROUP BY is served by one covering index.
CREATE TABLE ratings (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    response_id INTEGER NOT NULL REFERENCES responses(id) ON DELETE CASCADE,
    survey_id INTEGER NOT NULL,
    wave_id INTEGER NOT NULL,
    team_id INTEGER NOT NULL,
    dimension_id INTEGER NOT NULL REFERENCES dimensions(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    value INTEGER
);
CREATE INDEX ratings_aggregate ON ratings (survey_id, wave_id, team_id, dimension_id, kind, value);
CREATE INDEX ratings_response ON ratings (response_id, dimension_id, kind);

CREATE TABLE actions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    survey_id INTEGER NOT NULL REFERENCES surveys(id) ON DELETE CASCADE,
    wave_id INTEGER NOT NULL REFERENCES waves(id) ON DELETE CASCADE,
    team_id INTEGER REFERENCES teams(id),
    dimension_key TEXT NOT NULL,
    decision TEXT NOT NULL,
    description TEXT NOT NULL,
    owner TEXT,
    due_date DATE,
    status TEXT NOT NULL DEFAULT 'open',
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX actions_survey ON actions (survey_id, team_id);

CREATE TABLE users (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    email TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE user_teams (
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    team_id INTEGER NOT NULL REFERENCES teams(id) ON DELETE CASCADE,
    PRIMARY KEY (user_id, team_id)
);

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY NOT NULL,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    csrf_token TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL
);

-- Fixed-window counters shared by every instance (login and respondent rate limits).
CREATE TABLE rate_limits (
    bucket TEXT PRIMARY KEY NOT NULL,
    window_start TIMESTAMP NOT NULL,
    hits INTEGER NOT NULL
);
