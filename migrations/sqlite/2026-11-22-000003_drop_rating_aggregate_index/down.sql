CREATE INDEX ratings_aggregate ON ratings (survey_id, wave_id, team_id, dimension_id, kind, value);
