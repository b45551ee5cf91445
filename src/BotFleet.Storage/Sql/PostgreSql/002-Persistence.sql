-- Grain state for AdoNetGrainStorage.
-- Contract: ReadFromStorageKey returns PayloadBinary and Version; WriteToStorageKey, ClearStorageKey and
-- DeleteStorageKey return exactly one row whose NewGrainStateVersion is the new version, or NULL on an
-- ETag conflict (Orleans then throws InconsistentStateException).

CREATE TABLE IF NOT EXISTS OrleansGrainState
(
    ServiceId        text        NOT NULL,
    GrainIdHash      integer     NOT NULL,
    GrainTypeHash    integer     NOT NULL,
    GrainIdN0        bigint      NOT NULL,
    GrainIdN1        bigint      NOT NULL,
    GrainType        text        NOT NULL,
    GrainIdExtension text        NULL,
    Payload          bytea       NULL,
    Version          integer     NOT NULL,
    ModifiedUtc      timestamptz NOT NULL DEFAULT now()
);

-- Uniqueness over the full key. md5() keeps index entries small for long type names and string keys;
-- the (GrainIdExtension IS NULL) term keeps "no extension" and "empty extension" distinct.
CREATE UNIQUE INDEX IF NOT EXISTS UX_OrleansGrainState_Key ON OrleansGrainState
    (ServiceId, GrainIdHash, GrainTypeHash, GrainIdN0, GrainIdN1, md5(GrainType),
     (GrainIdExtension IS NULL), md5(COALESCE(GrainIdExtension, '')));

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES
('ReadFromStorageKey', $q$
SELECT Payload AS "PayloadBinary", Version AS "Version"
FROM OrleansGrainState
WHERE ServiceId = @ServiceId
  AND GrainIdHash = @GrainIdHash
  AND GrainTypeHash = @GrainTypeHash
  AND GrainIdN0 = @GrainIdN0
  AND GrainIdN1 = @GrainIdN1
  AND GrainType = @GrainTypeString
  AND GrainIdExtension IS NOT DISTINCT FROM @GrainIdExtensionString
$q$),
-- One statement: a NULL ETag may only insert (ON CONFLICT DO NOTHING loses to an existing row),
-- a non-NULL ETag may only update the row at exactly that version. Neither => NULL => conflict.
('WriteToStorageKey', $q$
WITH updated AS (
    UPDATE OrleansGrainState
    SET Payload = @PayloadBinary, Version = Version + 1, ModifiedUtc = now()
    WHERE @GrainStateVersion IS NOT NULL
      AND ServiceId = @ServiceId
      AND GrainIdHash = @GrainIdHash
      AND GrainTypeHash = @GrainTypeHash
      AND GrainIdN0 = @GrainIdN0
      AND GrainIdN1 = @GrainIdN1
      AND GrainType = @GrainTypeString
      AND GrainIdExtension IS NOT DISTINCT FROM @GrainIdExtensionString
      AND Version = @GrainStateVersion
    RETURNING Version
), inserted AS (
    INSERT INTO OrleansGrainState
        (ServiceId, GrainIdHash, GrainTypeHash, GrainIdN0, GrainIdN1, GrainType, GrainIdExtension, Payload, Version)
    SELECT @ServiceId, @GrainIdHash, @GrainTypeHash, @GrainIdN0, @GrainIdN1, @GrainTypeString, @GrainIdExtensionString,
           @PayloadBinary, 1
    WHERE @GrainStateVersion IS NULL
    ON CONFLICT DO NOTHING
    RETURNING Version
)
SELECT (SELECT Version FROM updated UNION ALL SELECT Version FROM inserted LIMIT 1) AS "NewGrainStateVersion"
$q$),
-- Clearing keeps the row (with a NULL payload) so the version keeps growing across clears.
('ClearStorageKey', $q$
WITH cleared AS (
    UPDATE OrleansGrainState
    SET Payload = NULL, Version = Version + 1, ModifiedUtc = now()
    WHERE ServiceId = @ServiceId
      AND GrainIdHash = @GrainIdHash
      AND GrainTypeHash = @GrainTypeHash
      AND GrainIdN0 = @GrainIdN0
      AND GrainIdN1 = @GrainIdN1
      AND GrainType = @GrainTypeString
      AND GrainIdExtension IS NOT DISTINCT FROM @GrainIdExtensionString
      AND Version = @GrainStateVersion
    RETURNING Version
)
SELECT (SELECT Version FROM cleared) AS "NewGrainStateVersion"
$q$),
-- Used when DeleteStateOnClear is set. Returns version + 1 so Orleans sees a version different from its ETag.
('DeleteStorageKey', $q$
WITH deleted AS (
    DELETE FROM OrleansGrainState
    WHERE ServiceId = @ServiceId
      AND GrainIdHash = @GrainIdHash
      AND GrainTypeHash = @GrainTypeHash
      AND GrainIdN0 = @GrainIdN0
      AND GrainIdN1 = @GrainIdN1
      AND GrainType = @GrainTypeString
      AND GrainIdExtension IS NOT DISTINCT FROM @GrainIdExtensionString
      AND Version = @GrainStateVersion
    RETURNING Version + 1 AS NextVersion
)
SELECT (SELECT NextVersion FROM deleted) AS "NewGrainStateVersion"
$q$)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;

INSERT INTO BotFleetSchemaVersion (Component, Version, AppliedUtc)
VALUES ('persistence', 1, now())
ON CONFLICT (Component) DO UPDATE SET Version = excluded.Version, AppliedUtc = excluded.AppliedUtc;
