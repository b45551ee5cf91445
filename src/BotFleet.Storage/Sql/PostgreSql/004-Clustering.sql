-- Cluster membership for AdoNetClusteringTable (and the client's gateway list).
-- Contract: membership reads return one row per silo plus the table Version, and at least one row
-- (the version row, with NULL silo columns) when no silo matches; insert/update return one boolean.
-- Membership changes must bump the table version atomically and only if the caller's version is current.

CREATE TABLE IF NOT EXISTS OrleansMembershipVersion
(
    DeploymentId text        NOT NULL PRIMARY KEY,
    Version      integer     NOT NULL DEFAULT 0,
    ModifiedUtc  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS OrleansMembership
(
    DeploymentId text        NOT NULL REFERENCES OrleansMembershipVersion (DeploymentId),
    Address      varchar(45) NOT NULL,
    Port         integer     NOT NULL,
    Generation   integer     NOT NULL,
    SiloName     text        NOT NULL,
    HostName     text        NOT NULL,
    Status       integer     NOT NULL,
    ProxyPort    integer     NOT NULL DEFAULT 0,
    SuspectTimes text        NULL,
    StartTime    timestamptz NOT NULL,
    IAmAliveTime timestamptz NOT NULL,
    PRIMARY KEY (DeploymentId, Address, Port, Generation)
);

-- Each change is one statement: the version row is bumped under its row lock (which serialises
-- competing writers) and the silo row is written from that result, so both commit or neither does.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES
('InsertMembershipVersionKey', $q$
WITH inserted AS (
    INSERT INTO OrleansMembershipVersion (DeploymentId, Version)
    VALUES (@DeploymentId, 0)
    ON CONFLICT (DeploymentId) DO NOTHING
    RETURNING 1
)
SELECT EXISTS (SELECT 1 FROM inserted) AS "Inserted"
$q$),
('InsertMembershipKey', $q$
WITH bumped AS (
    UPDATE OrleansMembershipVersion
    SET Version = Version + 1, ModifiedUtc = now()
    WHERE DeploymentId = @DeploymentId AND Version = @Version
      AND NOT EXISTS (SELECT 1 FROM OrleansMembership
                      WHERE DeploymentId = @DeploymentId AND Address = @Address
                        AND Port = @Port AND Generation = @Generation)
    RETURNING DeploymentId
), inserted AS (
    INSERT INTO OrleansMembership
        (DeploymentId, Address, Port, Generation, SiloName, HostName, Status, ProxyPort, StartTime, IAmAliveTime)
    SELECT b.DeploymentId, @Address, @Port, @Generation, @SiloName, @HostName, @Status, @ProxyPort, @StartTime, @IAmAliveTime
    FROM bumped b
    RETURNING 1
)
SELECT EXISTS (SELECT 1 FROM inserted) AS "Inserted"
$q$),
('UpdateMembershipKey', $q$
WITH bumped AS (
    UPDATE OrleansMembershipVersion
    SET Version = Version + 1, ModifiedUtc = now()
    WHERE DeploymentId = @DeploymentId AND Version = @Version
      AND EXISTS (SELECT 1 FROM OrleansMembership
                  WHERE DeploymentId = @DeploymentId AND Address = @Address
                    AND Port = @Port AND Generation = @Generation)
    RETURNING DeploymentId
), updated AS (
    UPDATE OrleansMembership m
    -- Never move the heartbeat backwards: the update may carry a time read before a newer heartbeat.
    SET Status = @Status, SuspectTimes = @SuspectTimes, IAmAliveTime = GREATEST(m.IAmAliveTime, @IAmAliveTime)
    FROM bumped b
    WHERE m.DeploymentId = b.DeploymentId AND m.Address = @Address AND m.Port = @Port AND m.Generation = @Generation
    RETURNING 1
)
SELECT EXISTS (SELECT 1 FROM updated) AS "Updated"
$q$),
('UpdateIAmAlivetimeKey', $q$
UPDATE OrleansMembership
SET IAmAliveTime = @IAmAliveTime
WHERE DeploymentId = @DeploymentId AND Address = @Address AND Port = @Port AND Generation = @Generation
$q$),
('MembershipReadRowKey', $q$
SELECT v.DeploymentId AS "DeploymentId", m.Address AS "Address", m.Port AS "Port", m.Generation AS "Generation",
       m.SiloName AS "SiloName", m.HostName AS "HostName", m.Status AS "Status", m.ProxyPort AS "ProxyPort",
       m.SuspectTimes AS "SuspectTimes", m.StartTime AS "StartTime", m.IAmAliveTime AS "IAmAliveTime", v.Version AS "Version"
FROM OrleansMembershipVersion v
LEFT JOIN OrleansMembership m
    ON m.DeploymentId = v.DeploymentId AND m.Address = @Address AND m.Port = @Port AND m.Generation = @Generation
WHERE v.DeploymentId = @DeploymentId
$q$),
('MembershipReadAllKey', $q$
SELECT v.DeploymentId AS "DeploymentId", m.Address AS "Address", m.Port AS "Port", m.Generation AS "Generation",
       m.SiloName AS "SiloName", m.HostName AS "HostName", m.Status AS "Status", m.ProxyPort AS "ProxyPort",
       m.SuspectTimes AS "SuspectTimes", m.StartTime AS "StartTime", m.IAmAliveTime AS "IAmAliveTime", v.Version AS "Version"
FROM OrleansMembershipVersion v
LEFT JOIN OrleansMembership m ON m.DeploymentId = v.DeploymentId
WHERE v.DeploymentId = @DeploymentId
$q$),
('DeleteMembershipTableEntriesKey', $q$
WITH members AS (
    DELETE FROM OrleansMembership WHERE DeploymentId = @DeploymentId
)
DELETE FROM OrleansMembershipVersion WHERE DeploymentId = @DeploymentId
$q$),
-- Only Dead silos (SiloStatus 6) are ever removed, and only when nothing about them is newer than the cutoff.
('CleanupDefunctSiloEntriesKey', $q$
DELETE FROM OrleansMembership
WHERE DeploymentId = @DeploymentId AND Status = 6
  AND IAmAliveTime < @IAmAliveTime AND StartTime < @IAmAliveTime
  AND COALESCE(SuspectTimes, '') = ''
$q$),
-- Newer providers pick defunct silos themselves and delete each one only if the row is still exactly as they read it.
('CleanupDefunctSiloEntryKey', $q$
DELETE FROM OrleansMembership
WHERE DeploymentId = @DeploymentId AND Address = @Address AND Port = @Port AND Generation = @Generation
  AND Status = 6 AND IAmAliveTime = @IAmAliveTime AND StartTime = @StartTime
  AND COALESCE(SuspectTimes, '') = COALESCE(@SuspectTimes, '')
$q$),
('GatewaysQueryKey', $q$
SELECT Address AS "Address", ProxyPort AS "ProxyPort", Generation AS "Generation"
FROM OrleansMembership
WHERE DeploymentId = @DeploymentId AND Status = @Status AND ProxyPort > 0
$q$)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;

INSERT INTO BotFleetSchemaVersion (Component, Version, AppliedUtc)
VALUES ('clustering', 1, now())
ON CONFLICT (Component) DO UPDATE SET Version = excluded.Version, AppliedUtc = excluded.AppliedUtc;
