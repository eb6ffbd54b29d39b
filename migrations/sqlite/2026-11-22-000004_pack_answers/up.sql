-- A response keeps its answers in its own row: a JSON array of [dimension_id, kind, value]
-- triples in the order they were given (value null = "don't know"). A submission is one row
-- instead of one per answer; reports read the summary tables, and the view `ratings`
-- unpacks the answers for the full recount and for ad-hoc SQL.
ALTER TABLE responses ADD COLUMN answers TEXT NOT NULL DEFAULT '[]';

UPDATE responses SET answers = (
    SELECT json_group_array(json_array(dimension_id, kind, value) ORDER BY id)
    FROM ratings WHERE ratings.response_id = responses.id
)
WHERE EXISTS (SELECT 1 FROM ratings WHERE ratings.response_id = responses.id);

DROP TABLE ratings;

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
