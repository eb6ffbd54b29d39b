DROP TABLE withheld_results;
DROP TABLE assignment_periods;
