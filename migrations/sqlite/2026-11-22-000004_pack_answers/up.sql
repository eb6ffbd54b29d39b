-- A response keeps its answers in its own row: a JSON array of [dimension_id, kind, value]
-- triples in the order they were given (value null = "don't know"). A submission is one row
-- instead of one per answer; reports read the summary tables, and the view `ratings`
-- unpacks the answers for the full recount and for ad-hoc SQL.
--
-- The table is rebuilt on the way: its id no longer uses AUTOINCREMENT (responses are never
-- deleted one by one, and every commit wrote `sqlite_sequence`), and the external respondent
-- id is unique per wave where it is given, without indexing the NULL of every web submission.
CREATE TABLE responses_packed (
    id INTEGER PRIMARY KEY,
    survey_id INTEGER NOT NULL REFERENCES surveys(id) ON DELETE CASCADE,
    wave_id INTEGER NOT NULL REFERENCES waves(id) ON DELETE CASCADE,
    team_id INTEGER NOT NULL REFERENCES teams(id),
    audience TEXT NOT NULL,
    submitted_at TIMESTAMP NOT NULL,
    nps INTEGER,
    comment TEXT,
    respondent TEXT,
    answers TEXT NOT NULL DEFAULT '[]'
);

INSERT INTO responses_packed
    (id, survey_id, wave_id, team_id, audience, submitted_at, nps, comment, respondent, answers)
SELECT r.id, r.survey_id, r.wave_id, r.team_id, r.audience, r.submitted_at, r.nps, r.comment,
       r.respondent,
       (SELECT json_group_array(json_array(g.dimension_id, g.kind, g.value) ORDER BY g.id)
        FROM ratings g WHERE g.response_id = r.id)
FROM responses r;

DROP TABLE ratings;
DROP TABLE responses;
ALTER TABLE responses_packed RENAME TO responses;
CREATE INDEX responses_scope ON responses (survey_id, wave_id, team_id, audience);
CREATE UNIQUE INDEX responses_respondent ON responses (wave_id, respondent)
    WHERE respondent IS NOT NULL;

CREATE VIEW ratings AS
SELECT r.id AS response_id,
       CAST(j.key AS INTEGER) AS position,
       r.survey_id AS survey_id,
       r.wave_id AS wave_id,
       r.team_id AS team_id,
       CAST(json_extract(j.value, '$[0]') AS INTEGER) AS dimension_id,
       json_extract(j.value, '$[1]') AS kind,
       json_extract(j.value, '$[2]') AS value
FROM responses r, json_each(r.answers) j;
