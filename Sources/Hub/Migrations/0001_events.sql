-- svledger hub, migration 1: every council's events, as their ledgers recorded them.
-- One row per event, keyed by (council, position). `canonical` holds the event's stored bytes
-- (UTF-8 canonical JSON, Schemas/README.md §3) and `hash` its chain hash, so that the chain can
-- be checked again from these rows alone: hash = SHA-256(previous hash ‖ canonical).
CREATE TABLE events (
    council        text        NOT NULL,
    position       bigint      NOT NULL CHECK (position >= 1),
    hash           text        NOT NULL CHECK (hash ~ '^[0-9a-f]{64}$'),
    previous_hash  text        NOT NULL CHECK (previous_hash ~ '^[0-9a-f]{64}$'),
    event_id       uuid        NOT NULL,
    event_type     text        NOT NULL,
    stream_id      text        NOT NULL,
    stream_version bigint      NOT NULL CHECK (stream_version >= 1),
    recorded_at    timestamptz NOT NULL,
    effective_date date        NOT NULL,
    actor_id       text        NOT NULL,
    actor_role     text        NOT NULL,
    payload        jsonb       NOT NULL,
    canonical      text        NOT NULL,
    PRIMARY KEY (council, position),
    UNIQUE (council, event_id),
    UNIQUE (council, stream_id, stream_version)
);
CREATE INDEX events_by_type ON events (council, event_type);
