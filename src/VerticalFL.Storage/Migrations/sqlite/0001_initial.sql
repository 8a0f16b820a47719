-- VerticalFL store, SQLite dialect, version 1. Runs in one transaction.
-- Times are UTC text 'yyyy-MM-dd HH:mm:ss.ffffff'; enums are lowercase codes.

CREATE TABLE jobs (
    id           TEXT    NOT NULL PRIMARY KEY,
    role         TEXT    NOT NULL CHECK (role IN ('guest', 'host', 'arbiter')),
    initiator    TEXT    NOT NULL,
    spec         TEXT    NOT NULL,
    state        TEXT    NOT NULL CHECK (state IN ('pending', 'psi', 'training', 'evaluating', 'succeeded', 'failed', 'cancelled')),
    reason       TEXT    NULL,
    epoch        INTEGER NOT NULL DEFAULT 0,
    progress     REAL    NOT NULL DEFAULT 0,
    created_utc  TEXT    NOT NULL,
    updated_utc  TEXT    NOT NULL
);
CREATE INDEX ix_jobs_state ON jobs (state, created_utc);

CREATE TABLE job_parties (
    job_id    TEXT NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    party_id  TEXT NOT NULL,
    role      TEXT NOT NULL CHECK (role IN ('guest', 'host', 'arbiter')),
    PRIMARY KEY (job_id, party_id)
);

CREATE TABLE iterations (
    id              INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    job_id          TEXT    NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    epoch           INTEGER NOT NULL,
    batch           INTEGER NULL,
    loss            REAL    NULL,
    auc             REAL    NULL,
    ks              REAL    NULL,
    accuracy        REAL    NULL,
    seconds         REAL    NOT NULL,
    bytes_sent      INTEGER NOT NULL,
    bytes_received  INTEGER NOT NULL,
    recorded_utc    TEXT    NOT NULL
);
CREATE INDEX ix_iterations_job ON iterations (job_id, id);

CREATE TABLE models (
    job_id       TEXT    NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    party_id     TEXT    NOT NULL,
    role         TEXT    NOT NULL CHECK (role IN ('guest', 'host', 'arbiter')),
    version      INTEGER NOT NULL,
    format       TEXT    NOT NULL,
    content      TEXT    NOT NULL,
    created_utc  TEXT    NOT NULL,
    PRIMARY KEY (job_id, party_id, version)
);

CREATE TABLE checkpoints (
    job_id     TEXT    NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    party_id   TEXT    NOT NULL,
    epoch      INTEGER NOT NULL,
    state      BLOB    NOT NULL,
    saved_utc  TEXT    NOT NULL,
    PRIMARY KEY (job_id, party_id)
);

-- No foreign key: messages about a job this party refused (so never stored) are audited too.
-- No payload column, by design.
CREATE TABLE audit (
    id            INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    job_id        TEXT    NOT NULL,
    direction     TEXT    NOT NULL CHECK (direction IN ('sent', 'received')),
    message_type  TEXT    NOT NULL,
    peer          TEXT    NOT NULL,
    size_bytes    INTEGER NOT NULL,
    at_utc        TEXT    NOT NULL
);
CREATE INDEX ix_audit_job ON audit (job_id, id);

CREATE TABLE participants (
    party_id          TEXT NOT NULL PRIMARY KEY,
    role              TEXT NOT NULL CHECK (role IN ('guest', 'host', 'arbiter')),
    cert_fingerprint  TEXT NOT NULL,
    address           TEXT NOT NULL,
    last_seen_utc     TEXT NOT NULL
);
