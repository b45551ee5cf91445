-- BotFleet schema for the Orleans ADO.NET providers on PostgreSQL: shared tables.
-- Every script is idempotent: tables use IF NOT EXISTS and query rows are upserted,
-- so re-running the installer refreshes the SQL the providers load.
-- Query texts are dollar-quoted ($q$...$q$) so they need no quote escaping.
-- Identifiers are unquoted (folded to lower case); result columns are aliased with quoted
-- names in the exact case the providers ask for.

-- The providers load their SQL from this table by key; its name and columns are fixed by Orleans.
CREATE TABLE IF NOT EXISTS OrleansQuery
(
    QueryKey  varchar(64) NOT NULL PRIMARY KEY,
    QueryText text        NOT NULL
);

-- One row per component, so operators can see which revision of the SQL a database holds.
CREATE TABLE IF NOT EXISTS BotFleetSchemaVersion
(
    Component  varchar(64) NOT NULL PRIMARY KEY,
    Version    integer     NOT NULL,
    AppliedUtc timestamptz NOT NULL DEFAULT now()
);

INSERT INTO BotFleetSchemaVersion (Component, Version, AppliedUtc)
VALUES ('main', 1, now())
ON CONFLICT (Component) DO UPDATE SET Version = excluded.Version, AppliedUtc = excluded.AppliedUtc;
