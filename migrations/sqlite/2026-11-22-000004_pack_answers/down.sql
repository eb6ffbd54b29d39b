-- Back to one row per answer, and the responses table as migration 000001 made it.
DROP VIEW ratings;
ALTER TABLE responses RENAME TO responses_packed;

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
INSERT INTO responses (id, survey_id, wave_id, team_id, audience, submitted_at, nps, comment, respondent)
SELECT id, survey_id, wave_id, team_id, audience, submitted_at, nps, comment, respondent
FROM responses_packed;

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
CREATE INDEX ratings_response ON ratings (response_id, dimension_id, kind);

INSERT INTO ratings (response_id, survey_id, wave_id, team_id, dimension_id, kind, value)
SELECT r.id, r.survey_id, r.wave_id, r.team_id,
       json_extract(j.value, '$[0]'), json_extract(j.value, '$[1]'), json_extract(j.value, '$[2]')
FROM responses_packed r, json_each(r.answers) j
ORDER BY r.id, j.key;

DROP TABLE responses_packed;
CREATE INDEX responses_scope ON responses (survey_id, wave_id, team_id, audience);
