-- Rights over time (SPEC "Anonymity and publication", revision 3): every period in which an
-- e-mail address held a role and a team (or the admin role, which reads every team), kept per
-- address, never pruned, and not deleted with the user; and the team results of a wave that a
-- team lead may not read because their earlier organisation figures of that wave, minus the
-- added team, would single out one other team.
CREATE TABLE assignment_periods (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    email TEXT NOT NULL,
    role TEXT NOT NULL,
    team_id INTEGER,
    from_at TIMESTAMP NOT NULL,
    to_at TIMESTAMP
);
CREATE INDEX assignment_periods_email ON assignment_periods (email);

CREATE TABLE withheld_results (
    email TEXT NOT NULL,
    team_id INTEGER NOT NULL,
    wave_id INTEGER NOT NULL,
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (email, team_id, wave_id)
);

-- The users of today, from when they were created.
INSERT INTO assignment_periods (email, role, team_id, from_at, to_at)
    SELECT email, 'admin', NULL, created_at, NULL FROM users WHERE role = 'admin';
INSERT INTO assignment_periods (email, role, team_id, from_at, to_at)
    SELECT u.email, 'team_lead', ut.team_id, u.created_at, NULL
    FROM users u JOIN user_teams ut ON ut.user_id = u.id WHERE u.role = 'team_lead';
