-- Grain state that could not be read back (corrupt or incompatible payload), set aside for an operator
-- by QuarantiningGrainStorageSerializer; the grain starts with a clean state instead of failing to activate.

CREATE TABLE IF NOT EXISTS BotFleetQuarantinedState
(
    Id             BIGSERIAL   PRIMARY KEY,
    QuarantinedUtc TIMESTAMPTZ NOT NULL,
    StateType      TEXT        NOT NULL,
    Reason         TEXT        NOT NULL,
    Payload        BYTEA       NULL
);

INSERT INTO BotFleetSchemaVersion (Component, Version, AppliedUtc)
VALUES ('quarantine', 1, now())
ON CONFLICT (Component) DO UPDATE SET Version = excluded.Version, AppliedUtc = excluded.AppliedUtc;
