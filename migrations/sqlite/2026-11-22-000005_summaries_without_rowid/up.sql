-- The summary tables are read and updated only through their primary keys: stored WITHOUT
-- ROWID, each is one b-tree instead of a table plus a key index, so a group commit touches
-- and writes half the pages.
CREATE TABLE rating_counts_new (
    survey_id BIGINT NOT NULL,
    wave_id BIGINT NOT NULL,
    team_id BIGINT NOT NULL,
    dimension_id BIGINT NOT NULL,
    kind TEXT NOT NULL,
    slot INTEGER NOT NULL,
    n BIGINT NOT NULL,
    PRIMARY KEY (wave_id, team_id, dimension_id, kind, slot)
) WITHOUT ROWID;
INSERT INTO rating_counts_new SELECT survey_id, wave_id, team_id, dimension_id, kind, slot, n FROM rating_counts;
DROP TABLE rating_counts;
ALTER TABLE rating_counts_new RENAME TO rating_counts;
CREATE INDEX rating_counts_survey ON rating_counts (survey_id);

CREATE TABLE pair_sums_new (
    survey_id BIGINT NOT NULL,
    wave_id BIGINT NOT NULL,
    team_id BIGINT NOT NULL,
    dimension_id BIGINT NOT NULL,
    n BIGINT NOT NULL,
    sum_d BIGINT NOT NULL,
    sum_d2 BIGINT NOT NULL,
    PRIMARY KEY (wave_id, team_id, dimension_id)
) WITHOUT ROWID;
INSERT INTO pair_sums_new SELECT survey_id, wave_id, team_id, dimension_id, n, sum_d, sum_d2 FROM pair_sums;
DROP TABLE pair_sums;
ALTER TABLE pair_sums_new RENAME TO pair_sums;
CREATE INDEX pair_sums_survey ON pair_sums (survey_id);

CREATE TABLE response_counts_new (
    survey_id BIGINT NOT NULL,
    wave_id BIGINT NOT NULL,
    team_id BIGINT NOT NULL,
    audience TEXT NOT NULL,
    nps INTEGER NOT NULL,
    n BIGINT NOT NULL,
    PRIMARY KEY (wave_id, team_id, audience, nps)
) WITHOUT ROWID;
INSERT INTO response_counts_new SELECT survey_id, wave_id, team_id, audience, nps, n FROM response_counts;
DROP TABLE response_counts;
ALTER TABLE response_counts_new RENAME TO response_counts;
CREATE INDEX response_counts_survey ON response_counts (survey_id);
