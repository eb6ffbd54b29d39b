-- A response keeps its answers in its own row: a JSON array of [dimension_id, kind, value]
-- triples in the order they were given (value null = "don't know"). A submission is one row
-- instead of one per answer; reports read the summary tables, and the view `ratings`
-- unpacks the answers for the full recount and for ad-hoc SQL.
ALTER TABLE responses ADD COLUMN answers TEXT NOT NULL DEFAULT '[]';

UPDATE responses r SET answers = packed.answers
FROM (
    SELECT response_id, json_agg(json_build_array(dimension_id, kind, value) ORDER BY id)::text AS answers
    FROM ratings GROUP BY response_id
) packed
WHERE packed.response_id = r.id;

DROP TABLE ratings;

CREATE VIEW ratings AS
SELECT r.id AS response_id,
       (j.ord - 1)::BIGINT AS position,
       r.survey_id AS survey_id,
       r.wave_id AS wave_id,
       r.team_id AS team_id,
       (j.elem ->> 0)::BIGINT AS dimension_id,
       j.elem ->> 1 AS kind,
       (j.elem ->> 2)::INTEGER AS value
FROM responses r
CROSS JOIN LATERAL jsonb_array_elements(r.answers::jsonb) WITH ORDINALITY AS j(elem, ord);
