-- BotFleet schema for the Orleans ADO.NET providers on SQLite: shared tables.
-- Every script is idempotent: tables use IF NOT EXISTS and query rows are upserted,
-- so re-running the installer refreshes the SQL the providers load.

-- The providers load their SQL from this table by key; its name and columns are fixed by Orleans.
CREATE TABLE IF NOT EXISTS OrleansQuery
(
    QueryKey  TEXT NOT NULL PRIMARY KEY,
    QueryText TEXT NOT NULL
);

-- One row per component, so operators can see which revision of the SQL a database holds.
CREATE TABLE IF NOT EXISTS BotFleetSchemaVersion
(
    Component  TEXT    NOT NULL PRIMARY KEY,
    Version    INTEGER NOT NULL,
    AppliedUtc TEXT    NOT NULL
);

INSERT INTO BotFleetSchemaVersion (Component, Version, AppliedUtc)
VALUES ('main', 1, CURRENT_TIMESTAMP)
ON CONFLICT (Component) DO UPDATE SET Version = excluded.Version, AppliedUtc = excluded.AppliedUtc;
