DROP TABLE response_counts;
DROP TABLE pair_sums;
DROP TABLE rating_counts;
