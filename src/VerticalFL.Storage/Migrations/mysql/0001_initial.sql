-- VerticalFL store, MySQL/MariaDB dialect, version 1.
-- DDL commits implicitly here, so every statement is re-runnable (IF NOT EXISTS, indexes inline):
-- a migration interrupted half-way is simply applied again on the next open.
-- utf8mb4_bin keeps ids case-sensitive, as in SQLite. Times are UTC DATETIME(6).

CREATE TABLE IF NOT EXISTS jobs (
    id           VARCHAR(64)  NOT NULL PRIMARY KEY,
    role         VARCHAR(16)  NOT NULL,
    initiator    VARCHAR(64)  NOT NULL,
    spec         LONGTEXT     NOT NULL,
    state        VARCHAR(16)  NOT NULL,
    reason       TEXT         NULL,
    epoch        INT          NOT NULL DEFAULT 0,
    progress     DOUBLE       NOT NULL DEFAULT 0,
    created_utc  DATETIME(6)  NOT NULL,
    updated_utc  DATETIME(6)  NOT NULL,
    INDEX ix_jobs_state (state, created_utc),
    CONSTRAINT ck_jobs_role CHECK (role IN ('guest', 'host', 'arbiter')),
    CONSTRAINT ck_jobs_state CHECK (state IN ('pending', 'psi', 'training', 'evaluating', 'succeeded', 'failed', 'cancelled'))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE IF NOT EXISTS job_parties (
    job_id    VARCHAR(64) NOT NULL,
    party_id  VARCHAR(64) NOT NULL,
    role      VARCHAR(16) NOT NULL,
    PRIMARY KEY (job_id, party_id),
    CONSTRAINT fk_job_parties_job FOREIGN KEY (job_id) REFERENCES jobs (id) ON DELETE CASCADE,
    CONSTRAINT ck_job_parties_role CHECK (role IN ('guest', 'host', 'arbiter'))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE IF NOT EXISTS iterations (
    id              BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    job_id          VARCHAR(64)  NOT NULL,
    epoch           INT          NOT NULL,
    batch           INT          NULL,
    loss            DOUBLE       NULL,
    auc             DOUBLE       NULL,
    ks              DOUBLE       NULL,
    accuracy        DOUBLE       NULL,
    seconds         DOUBLE       NOT NULL,
    bytes_sent      BIGINT       NOT NULL,
    bytes_received  BIGINT       NOT NULL,
    recorded_utc    DATETIME(6)  NOT NULL,
    INDEX ix_iterations_job (job_id, id),
    CONSTRAINT fk_iterations_job FOREIGN KEY (job_id) REFERENCES jobs (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE IF NOT EXISTS models (
    job_id       VARCHAR(64)  NOT NULL,
    party_id     VARCHAR(64)  NOT NULL,
    role         VARCHAR(16)  NOT NULL,
    version      INT          NOT NULL,
    format       VARCHAR(64)  NOT NULL,
    content      LONGTEXT     NOT NULL,
    created_utc  DATETIME(6)  NOT NULL,
    PRIMARY KEY (job_id, party_id, version),
    CONSTRAINT fk_models_job FOREIGN KEY (job_id) REFERENCES jobs (id) ON DELETE CASCADE,
    CONSTRAINT ck_models_role CHECK (role IN ('guest', 'host', 'arbiter'))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE IF NOT EXISTS checkpoints (
    job_id     VARCHAR(64)  NOT NULL,
    party_id   VARCHAR(64)  NOT NULL,
    epoch      INT          NOT NULL,
    state      LONGBLOB     NOT NULL,
    saved_utc  DATETIME(6)  NOT NULL,
    PRIMARY KEY (job_id, party_id),
    CONSTRAINT fk_checkpoints_job FOREIGN KEY (job_id) REFERENCES jobs (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- No foreign key: messages about a job this party refused (so never stored) are audited too.
-- No payload column, by design.
CREATE TABLE IF NOT EXISTS audit (
    id            BIGINT        NOT NULL AUTO_INCREMENT PRIMARY KEY,
    job_id        VARCHAR(64)   NOT NULL,
    direction     VARCHAR(8)    NOT NULL,
    message_type  VARCHAR(200)  NOT NULL,
    peer          VARCHAR(64)   NOT NULL,
    size_bytes    BIGINT        NOT NULL,
    at_utc        DATETIME(6)   NOT NULL,
    INDEX ix_audit_job (job_id, id),
    CONSTRAINT ck_audit_direction CHECK (direction IN ('sent', 'received'))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE IF NOT EXISTS participants (
    party_id          VARCHAR(64)   NOT NULL PRIMARY KEY,
    role              VARCHAR(16)   NOT NULL,
    cert_fingerprint  VARCHAR(128)  NOT NULL,
    address           VARCHAR(255)  NOT NULL,
    last_seen_utc     DATETIME(6)   NOT NULL,
    CONSTRAINT ck_participants_role CHECK (role IN ('guest', 'host', 'arbiter'))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
