-- VerticalFL store, SQLite dialect, version 2: what the board shows that version 1 did not keep.

-- Every state a job entered, and when: the board's state strip (time spent in each state).
CREATE TABLE job_events (
    id      INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    job_id  TEXT    NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    state   TEXT    NOT NULL CHECK (state IN ('pending', 'psi', 'training', 'evaluating', 'succeeded', 'failed', 'cancelled')),
    at_utc  TEXT    NOT NULL
);
CREATE INDEX ix_job_events_job ON job_events (job_id, id);

-- The job's kind (train, predict, psi), so lists can be filtered without parsing every spec.
CREATE TABLE job_kinds (
    job_id  TEXT NOT NULL PRIMARY KEY REFERENCES jobs (id) ON DELETE CASCADE,
    kind    TEXT NOT NULL
);

-- Named results of a job at this party (the intersection size, the final model's ROC points), as text.
CREATE TABLE job_results (
    job_id       TEXT NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    content      TEXT NOT NULL,
    created_utc  TEXT NOT NULL,
    PRIMARY KEY (job_id, name)
);
