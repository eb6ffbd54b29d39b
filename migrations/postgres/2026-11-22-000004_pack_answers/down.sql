DROP VIEW ratings;

CREATE TABLE ratings (
    id BIGSERIAL PRIMARY KEY,
    response_id BIGINT NOT NULL REFERENCES responses(id) ON DELETE CASCADE,
    survey_id BIGINT NOT NULL,
    wave_id BIGINT NOT NULL,
    team_id BIGINT NOT NULL,
    dimension_id BIGINT NOT NULL REFERENCES dimensions(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    value INTEGER
);
CREATE INDEX ratings_response ON ratings (response_id, dimension_id, kind);

INSERT INTO ratings (response_id, survey_id, wave_id, team_id, dimension_id, kind, value)
SELECT r.id, r.survey_id, r.wave_id, r.team_id,
       (j.elem ->> 0)::BIGINT, j.elem ->> 1, (j.elem ->> 2)::INTEGER
FROM responses r
CROSS JOIN LATERAL jsonb_array_elements(r.answers::jsonb) WITH ORDINALITY AS j(elem, ord)
ORDER BY r.id, j.ord;

ALTER TABLE responses DROP COLUMN answers;
