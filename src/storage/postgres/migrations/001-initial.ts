/** The first schema: versions and their artifacts, the registry state, the audit trail, the prediction record. */
export const INITIAL_SCHEMA = `
CREATE TABLE model_versions (
  number integer PRIMARY KEY CHECK (number > 0),
  metadata jsonb NOT NULL,
  -- model, preprocessor, schema, metrics, stats, split and (for challengers) training_data; NULL once deleted
  artifacts jsonb,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- One row, there from the start (state NULL before the first activation), so every change can lock it.
CREATE TABLE registry_state (
  id smallint PRIMARY KEY CHECK (id = 1),
  state jsonb,
  -- bumped by every change: replicas compare it to follow the registry (changeStamp)
  change_count bigint NOT NULL,
  -- a state that could not be read when a change replaced it, kept rather than lost
  set_aside jsonb
);
INSERT INTO registry_state (id, state, change_count) VALUES (1, NULL, 0);

CREATE TABLE model_events (
  seq bigserial PRIMARY KEY,
  event jsonb NOT NULL
);

CREATE TABLE predictions (
  seq bigserial PRIMARY KEY,
  request_id text NOT NULL UNIQUE,
  served_at timestamptz NOT NULL,
  model_version text NOT NULL,
  -- the input row, keyed by the dataset schema's feature names
  inputs jsonb NOT NULL,
  prediction smallint NOT NULL CHECK (prediction IN (0, 1)),
  probability double precision NOT NULL,
  latency_ms double precision NOT NULL,
  served_by text NOT NULL
);

CREATE TABLE outcomes (
  seq bigserial PRIMARY KEY,
  request_id text NOT NULL UNIQUE REFERENCES predictions (request_id),
  actual text NOT NULL,
  label smallint NOT NULL CHECK (label IN (0, 1)),
  trusted boolean NOT NULL,
  recorded_at timestamptz NOT NULL,
  recorded_by text NOT NULL
);
`;
