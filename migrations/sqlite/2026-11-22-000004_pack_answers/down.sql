DROP VIEW ratings;

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
FROM responses r, json_each(r.answers) j
ORDER BY r.id, j.key;

ALTER TABLE responses DROP COLUMN answers;
