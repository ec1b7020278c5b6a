-- Distributed runs (issue 20 item 2): a run enqueued with `assay run --detach` is cut into batches of
-- (sample, epoch) units; `assay worker` processes claim one batch at a time as a lease that expires.
-- Plain tables and SELECT ... FOR UPDATE SKIP LOCKED: no job library, no extra process.

-- One row per distributed run: its size, and who computes its results (a lease too, so a finisher that
-- dies does not leave the run without results).
CREATE TABLE work_runs (
    run_id         TEXT PRIMARY KEY,
    units          INTEGER     NOT NULL,          -- (sample, epoch) units in all batches
    batches        INTEGER     NOT NULL,
    enqueued_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    results_owner  TEXT,                          -- the worker computing results, set by one conditional UPDATE
    results_until  TIMESTAMPTZ,                   -- its lease on that job
    results_at     TIMESTAMPTZ,                   -- when results were written (NULL: not yet)
    last_error     TEXT                           -- the latest error a worker hit on this run (not a sample's)
);

-- One row per batch. state: queued (nobody holds it), leased (lease_owner until lease_until; claimable
-- again once that has passed), done (every unit has a record).
CREATE TABLE work_tasks (
    run_id       TEXT        NOT NULL REFERENCES work_runs (run_id) ON DELETE CASCADE,
    batch        INTEGER     NOT NULL,
    units        JSONB       NOT NULL,            -- [{"suite": ..., "id": ..., "epoch": ...}, ...]
    size         INTEGER     NOT NULL,
    state        TEXT        NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'leased', 'done')),
    lease_owner  TEXT,
    lease_until  TIMESTAMPTZ,
    attempts     INTEGER     NOT NULL DEFAULT 0,  -- claims so far (> 1: a lease expired or was released)
    done_at      TIMESTAMPTZ,
    last_error   TEXT,                            -- why the last holder gave the batch back, if it did
    PRIMARY KEY (run_id, batch)
);
-- The claim query scans only batches not yet done.
CREATE INDEX work_tasks_open ON work_tasks (run_id, batch) WHERE state <> 'done';

-- Workers as they last reported (assay status lists them): a row per worker process.
CREATE TABLE work_workers (
    id            TEXT PRIMARY KEY,               -- host:pid:random
    host          TEXT        NOT NULL,
    pid           BIGINT      NOT NULL,
    started_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    heartbeat_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    stopped_at    TIMESTAMPTZ,
    run_id        TEXT,                           -- the run it works (or last worked) on
    batch         INTEGER,                        -- the batch it holds now, if any
    lease_until   TIMESTAMPTZ,
    units_done    BIGINT      NOT NULL DEFAULT 0
);
