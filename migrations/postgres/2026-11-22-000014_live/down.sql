DROP TABLE live_counts;
DROP TABLE live_reveals;
DROP TABLE live_participants;
DROP TABLE live_guesses;
DROP TABLE live_sessions;
