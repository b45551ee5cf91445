-- Cluster membership for AdoNetClusteringTable (and the client's gateway list).
-- Contract: membership reads return one row per silo plus the table Version, and at least one row
-- (the version row, with NULL silo columns) when no silo matches; insert/update return one boolean.
-- Membership changes must bump the table version atomically and only if the caller's version is current.

CREATE TABLE IF NOT EXISTS OrleansMembershipVersion
(
    DeploymentId TEXT    NOT NULL PRIMARY KEY,
    Version      INTEGER NOT NULL DEFAULT 0,
    ModifiedUtc  TEXT    NOT NULL
);

CREATE TABLE IF NOT EXISTS OrleansMembership
(
    DeploymentId TEXT    NOT NULL,
    Address      TEXT    NOT NULL,
    Port         INTEGER NOT NULL,
    Generation   INTEGER NOT NULL,
    SiloName     TEXT    NOT NULL,
    HostName     TEXT    NOT NULL,
    Status       INTEGER NOT NULL,
    ProxyPort    INTEGER NOT NULL DEFAULT 0,
    SuspectTimes TEXT    NULL,
    StartTime    TEXT    NOT NULL,
    IAmAliveTime TEXT    NOT NULL,
    PRIMARY KEY (DeploymentId, Address, Port, Generation)
);

-- SQLite has no multi-table statement, so the version bump rides on triggers: the guarded INSERT or
-- UPDATE of a silo row and the bump then commit or fail together, without BEGIN/COMMIT in query text.
-- Heartbeats (UpdateIAmAlivetimeKey) touch only IAmAliveTime and so do not bump the version.
-- Timestamps are stored as Microsoft.Data.Sqlite formats DateTime parameters (fixed-width ISO text, UTC),
-- so comparing them as text orders them correctly.
DROP TRIGGER IF EXISTS TR_OrleansMembership_Insert_BumpVersion;
CREATE TRIGGER TR_OrleansMembership_Insert_BumpVersion
AFTER INSERT ON OrleansMembership
BEGIN
    UPDATE OrleansMembershipVersion
    SET Version = Version + 1, ModifiedUtc = CURRENT_TIMESTAMP
    WHERE DeploymentId = NEW.DeploymentId;
END;

DROP TRIGGER IF EXISTS TR_OrleansMembership_Update_BumpVersion;
CREATE TRIGGER TR_OrleansMembership_Update_BumpVersion
AFTER UPDATE OF Status, SuspectTimes ON OrleansMembership
BEGIN
    UPDATE OrleansMembershipVersion
    SET Version = Version + 1, ModifiedUtc = CURRENT_TIMESTAMP
    WHERE DeploymentId = NEW.DeploymentId;
END;

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES
('InsertMembershipVersionKey', '
INSERT INTO OrleansMembershipVersion (DeploymentId, Version, ModifiedUtc)
VALUES (@DeploymentId, 0, CURRENT_TIMESTAMP)
ON CONFLICT (DeploymentId) DO NOTHING;
SELECT changes() > 0 AS Inserted;
'),
('InsertMembershipKey', '
INSERT INTO OrleansMembership
    (DeploymentId, Address, Port, Generation, SiloName, HostName, Status, ProxyPort, StartTime, IAmAliveTime)
SELECT @DeploymentId, @Address, @Port, @Generation, @SiloName, @HostName, @Status, @ProxyPort, @StartTime, @IAmAliveTime
WHERE EXISTS (SELECT 1 FROM OrleansMembershipVersion WHERE DeploymentId = @DeploymentId AND Version = @Version)
ON CONFLICT (DeploymentId, Address, Port, Generation) DO NOTHING;
SELECT changes() > 0 AS Inserted;
'),
-- A full-row update never moves the heartbeat backwards: it may carry a time read before a newer heartbeat.
('UpdateMembershipKey', '
UPDATE OrleansMembership
SET Status = @Status, SuspectTimes = @SuspectTimes, IAmAliveTime = MAX(IAmAliveTime, @IAmAliveTime)
WHERE DeploymentId = @DeploymentId AND Address = @Address AND Port = @Port AND Generation = @Generation
  AND EXISTS (SELECT 1 FROM OrleansMembershipVersion WHERE DeploymentId = @DeploymentId AND Version = @Version);
SELECT changes() > 0 AS Updated;
'),
('UpdateIAmAlivetimeKey', '
UPDATE OrleansMembership
SET IAmAliveTime = @IAmAliveTime
WHERE DeploymentId = @DeploymentId AND Address = @Address AND Port = @Port AND Generation = @Generation;
'),
('MembershipReadRowKey', '
SELECT v.DeploymentId AS DeploymentId, m.Address AS Address, m.Port AS Port, m.Generation AS Generation,
       m.SiloName AS SiloName, m.HostName AS HostName, m.Status AS Status, m.ProxyPort AS ProxyPort,
       m.SuspectTimes AS SuspectTimes, m.StartTime AS StartTime, m.IAmAliveTime AS IAmAliveTime, v.Version AS Version
FROM OrleansMembershipVersion v
LEFT JOIN OrleansMembership m
    ON m.DeploymentId = v.DeploymentId AND m.Address = @Address AND m.Port = @Port AND m.Generation = @Generation
WHERE v.DeploymentId = @DeploymentId;
'),
('MembershipReadAllKey', '
SELECT v.DeploymentId AS DeploymentId, m.Address AS Address, m.Port AS Port, m.Generation AS Generation,
       m.SiloName AS SiloName, m.HostName AS HostName, m.Status AS Status, m.ProxyPort AS ProxyPort,
       m.SuspectTimes AS SuspectTimes, m.StartTime AS StartTime, m.IAmAliveTime AS IAmAliveTime, v.Version AS Version
FROM OrleansMembershipVersion v
LEFT JOIN OrleansMembership m ON m.DeploymentId = v.DeploymentId
WHERE v.DeploymentId = @DeploymentId;
'),
('DeleteMembershipTableEntriesKey', '
DELETE FROM OrleansMembership WHERE DeploymentId = @DeploymentId;
DELETE FROM OrleansMembershipVersion WHERE DeploymentId = @DeploymentId;
'),
-- Only Dead silos (SiloStatus 6) are ever removed, and only when nothing about them is newer than the cutoff.
('CleanupDefunctSiloEntriesKey', '
DELETE FROM OrleansMembership
WHERE DeploymentId = @DeploymentId AND Status = 6
  AND IAmAliveTime < @IAmAliveTime AND StartTime < @IAmAliveTime
  AND COALESCE(SuspectTimes, '''') = '''';
'),
-- Newer providers pick defunct silos themselves and delete each one only if the row is still exactly as they read it.
('CleanupDefunctSiloEntryKey', '
DELETE FROM OrleansMembership
WHERE DeploymentId = @DeploymentId AND Address = @Address AND Port = @Port AND Generation = @Generation
  AND Status = 6 AND IAmAliveTime = @IAmAliveTime AND StartTime = @StartTime
  AND COALESCE(SuspectTimes, '''') = COALESCE(@SuspectTimes, '''');
'),
('GatewaysQueryKey', '
SELECT Address, ProxyPort, Generation
FROM OrleansMembership
WHERE DeploymentId = @DeploymentId AND Status = @Status AND ProxyPort > 0;
')
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;

INSERT INTO BotFleetSchemaVersion (Component, Version, AppliedUtc)
VALUES ('clustering', 1, CURRENT_TIMESTAMP)
ON CONFLICT (Component) DO UPDATE SET Version = excluded.Version, AppliedUtc = excluded.AppliedUtc;
