-- VerticalFL store, MySQL/MariaDB dialect, version 2: what the board shows that version 1 did not keep.
-- Re-runnable like version 1 (DDL commits implicitly).

-- Every state a job entered, and when: the board's state strip (time spent in each state).
CREATE TABLE IF NOT EXISTS job_events (
    id      BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    job_id  VARCHAR(64)  NOT NULL,
    state   VARCHAR(16)  NOT NULL,
    at_utc  DATETIME(6)  NOT NULL,
    INDEX ix_job_events_job (job_id, id),
    CONSTRAINT fk_job_events_job FOREIGN KEY (job_id) REFERENCES jobs (id) ON DELETE CASCADE,
    CONSTRAINT ck_job_events_state CHECK (state IN ('pending', 'psi', 'training', 'evaluating', 'succeeded', 'failed', 'cancelled'))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- The job's kind (train, predict, psi), so lists can be filtered without parsing every spec.
CREATE TABLE IF NOT EXISTS job_kinds (
    job_id  VARCHAR(64)  NOT NULL PRIMARY KEY,
    kind    VARCHAR(16)  NOT NULL,
    CONSTRAINT fk_job_kinds_job FOREIGN KEY (job_id) REFERENCES jobs (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Named results of a job at this party (the intersection size, the final model's ROC points), as text.
CREATE TABLE IF NOT EXISTS job_results (
    job_id       VARCHAR(64)  NOT NULL,
    name         VARCHAR(64)  NOT NULL,
    content      LONGTEXT     NOT NULL,
    created_utc  DATETIME(6)  NOT NULL,
    PRIMARY KEY (job_id, name),
    CONSTRAINT fk_job_results_job FOREIGN KEY (job_id) REFERENCES jobs (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
