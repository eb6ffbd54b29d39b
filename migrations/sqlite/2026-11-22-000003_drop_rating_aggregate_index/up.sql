-- Reports read the summary tables (whose primary keys serve the aggregate), so the wide
-- covering index on ratings only slowed every insert down. The full recount still works
-- (it scans), and ratings_response keeps the per-response lookups fast.
DROP INDEX ratings_aggregate;
