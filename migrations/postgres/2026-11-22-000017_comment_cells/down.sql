DROP INDEX responses_commented;
