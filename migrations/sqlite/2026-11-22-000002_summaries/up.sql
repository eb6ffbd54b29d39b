-- Sufficient statistics kept up to date in the same transaction as every submission and import,
-- so a report reads a few hundred summary rows however many responses there are.
-- slot = value - scale_min for an answer on the scale, -1 for "don't know".
CREATE TABLE rating_counts (
    survey_id BIGINT NOT NULL,
    wave_id BIGINT NOT NULL,
    team_id BIGINT NOT NULL,
    dimension_id BIGINT NOT NULL,
    kind TEXT NOT NULL,
    slot INTEGER NOT NULL,
    n BIGINT NOT NULL,
    PRIMARY KEY (wave_id, team_id, dimension_id, kind, slot)
);
CREATE INDEX rating_counts_survey ON rating_counts (survey_id);

-- Per dimension: customers who gave both perceived and expected; d = perceived - expected.
CREATE TABLE pair_sums (
    survey_id BIGINT NOT NULL,
    wave_id BIGINT NOT NULL,
    team_id BIGINT NOT NULL,
    dimension_id BIGINT NOT NULL,
    n BIGINT NOT NULL,
    sum_d BIGINT NOT NULL,
    sum_d2 BIGINT NOT NULL,
    PRIMARY KEY (wave_id, team_id, dimension_id)
);
CREATE INDEX pair_sums_survey ON pair_sums (survey_id);

-- Responses per audience and NPS answer (nps = -1: no NPS answer).
CREATE TABLE response_counts (
    survey_id BIGINT NOT NULL,
    wave_id BIGINT NOT NULL,
    team_id BIGINT NOT NULL,
    audience TEXT NOT NULL,
    nps INTEGER NOT NULL,
    n BIGINT NOT NULL,
    PRIMARY KEY (wave_id, team_id, audience, nps)
);
CREATE INDEX response_counts_survey ON response_counts (survey_id);

INSERT INTO rating_counts (survey_id, wave_id, team_id, dimension_id, kind, slot, n)
SELECT r.survey_id, r.wave_id, r.team_id, r.dimension_id, r.kind,
       CASE WHEN r.value IS NULL THEN -1 ELSE r.value - s.scale_min END, COUNT(*)
FROM ratings r JOIN surveys s ON s.id = r.survey_id
GROUP BY r.survey_id, r.wave_id, r.team_id, r.dimension_id, r.kind,
         CASE WHEN r.value IS NULL THEN -1 ELSE r.value - s.scale_min END;

INSERT INTO pair_sums (survey_id, wave_id, team_id, dimension_id, n, sum_d, sum_d2)
SELECT p.survey_id, p.wave_id, p.team_id, p.dimension_id, COUNT(*),
       SUM(p.value - e.value), SUM((p.value - e.value) * (p.value - e.value))
FROM ratings p JOIN ratings e
  ON e.response_id = p.response_id AND e.dimension_id = p.dimension_id AND e.kind = 'expected'
WHERE p.kind = 'perceived' AND p.value IS NOT NULL AND e.value IS NOT NULL
GROUP BY p.survey_id, p.wave_id, p.team_id, p.dimension_id;

INSERT INTO response_counts (survey_id, wave_id, team_id, audience, nps, n)
SELECT survey_id, wave_id, team_id, audience, COALESCE(nps, -1), COUNT(*)
FROM responses GROUP BY survey_id, wave_id, team_id, audience, COALESCE(nps, -1);
