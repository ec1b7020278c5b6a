-- Assay's run store in PostgreSQL, schema version 1 (owned by the store; V2__* belongs to the work queue).
-- json, not jsonb, for documents: json keeps the text as written (key order, number spelling), so a run
-- copied back to a folder has byte-identical header.json, results.json and usage.json.

-- One row per run: its index row (what 'assay list runs' shows) and its documents.
CREATE TABLE runs (
    id        text PRIMARY KEY,
    created   text NOT NULL DEFAULT '',          -- UTC, whole seconds, as RunHeader.created
    status    text NOT NULL DEFAULT 'created',   -- created, running, interrupted, complete, complete-with-errors, rescored
    model     text NOT NULL DEFAULT '',
    suites    text NOT NULL DEFAULT '',
    samples   integer NOT NULL DEFAULT 0,        -- (sample, epoch) units in the run
    done      integer NOT NULL DEFAULT 0,
    errors    integer NOT NULL DEFAULT 0,
    summary   text NOT NULL DEFAULT '',
    header    json,                              -- header.json
    results   json,                              -- results.json, once computed
    usage     json,                              -- usage.json, once computed
    updated   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX runs_created ON runs (created, id);

-- Other named documents of a run (rescored-from.json, ...).
CREATE TABLE run_documents (
    run_id text NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    name   text NOT NULL,
    body   json NOT NULL,
    PRIMARY KEY (run_id, name)
);

-- One row per (suite, sample, epoch) of a run: the primary key is what makes "no sample's result is ever
-- recorded twice" hold for any number of writers. An errored record may be replaced (a retry), a finished
-- one never is (the store's INSERT ... ON CONFLICT ... WHERE NOT ok). seq is the write order readers keep.
CREATE SEQUENCE samples_seq;
CREATE TABLE samples (
    run_id    text NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    suite     text NOT NULL,
    sample_id text NOT NULL,
    epoch     integer NOT NULL,
    ok        boolean NOT NULL,
    seq       bigint NOT NULL DEFAULT nextval('samples_seq'),
    record    text NOT NULL,                     -- the samples.jsonl line (docs/log-schema.json)
    written   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (run_id, suite, sample_id, epoch)
);
CREATE INDEX samples_run_seq ON samples (run_id, seq);

-- The model-response cache (dev.assay.cache.CacheKey hex -> the answer's JSON); never holds a key or token.
CREATE TABLE cache (
    key        text PRIMARY KEY,
    model      text NOT NULL,
    op         text NOT NULL,
    created_ms bigint NOT NULL,
    response   text NOT NULL
);
CREATE INDEX cache_model_created ON cache (model, created_ms);
