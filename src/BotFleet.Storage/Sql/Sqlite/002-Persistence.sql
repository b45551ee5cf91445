-- Grain state for AdoNetGrainStorage.
-- Contract: ReadFromStorageKey returns PayloadBinary and Version; WriteToStorageKey, ClearStorageKey and
-- DeleteStorageKey return exactly one row whose NewGrainStateVersion is the new version, or NULL on an
-- ETag conflict (Orleans then throws InconsistentStateException).

CREATE TABLE IF NOT EXISTS OrleansGrainState
(
    ServiceId        TEXT    NOT NULL,
    GrainIdHash      INTEGER NOT NULL,
    GrainTypeHash    INTEGER NOT NULL,
    GrainIdN0        INTEGER NOT NULL,
    GrainIdN1        INTEGER NOT NULL,
    GrainType        TEXT    NOT NULL,
    GrainIdExtension TEXT    NULL,
    Payload          BLOB    NULL,
    Version          INTEGER NOT NULL,
    ModifiedUtc      TEXT    NOT NULL
);

-- IFNULL(GrainIdExtension, 0) maps "no extension" to the integer 0, which never equals any text,
-- so a NULL extension and an empty one stay distinct keys while both take part in uniqueness.
CREATE UNIQUE INDEX IF NOT EXISTS UX_OrleansGrainState_Key ON OrleansGrainState
    (ServiceId, GrainIdHash, GrainTypeHash, GrainIdN0, GrainIdN1, GrainType, IFNULL(GrainIdExtension, 0));

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES
('ReadFromStorageKey', '
SELECT Payload AS PayloadBinary, Version AS Version
FROM OrleansGrainState
WHERE ServiceId = @ServiceId
  AND GrainIdHash = @GrainIdHash
  AND GrainTypeHash = @GrainTypeHash
  AND GrainIdN0 = @GrainIdN0
  AND GrainIdN1 = @GrainIdN1
  AND GrainType = @GrainTypeString
  AND GrainIdExtension IS @GrainIdExtensionString;
'),
-- One statement, so it is atomic without an explicit transaction. A NULL ETag may only insert;
-- a non-NULL ETag may only update the row at exactly that version (the SELECT yields no row to
-- insert when the row is gone). changes() = 0 means neither happened: report a conflict.
('WriteToStorageKey', '
INSERT INTO OrleansGrainState
    (ServiceId, GrainIdHash, GrainTypeHash, GrainIdN0, GrainIdN1, GrainType, GrainIdExtension, Payload, Version, ModifiedUtc)
SELECT @ServiceId, @GrainIdHash, @GrainTypeHash, @GrainIdN0, @GrainIdN1, @GrainTypeString, @GrainIdExtensionString,
       @PayloadBinary, 1, CURRENT_TIMESTAMP
WHERE @GrainStateVersion IS NULL
   OR EXISTS (SELECT 1 FROM OrleansGrainState
              WHERE ServiceId = @ServiceId
                AND GrainIdHash = @GrainIdHash
                AND GrainTypeHash = @GrainTypeHash
                AND GrainIdN0 = @GrainIdN0
                AND GrainIdN1 = @GrainIdN1
                AND GrainType = @GrainTypeString
                AND GrainIdExtension IS @GrainIdExtensionString)
ON CONFLICT (ServiceId, GrainIdHash, GrainTypeHash, GrainIdN0, GrainIdN1, GrainType, IFNULL(GrainIdExtension, 0))
DO UPDATE SET Payload = excluded.Payload,
              Version = OrleansGrainState.Version + 1,
              ModifiedUtc = excluded.ModifiedUtc
   WHERE @GrainStateVersion IS NOT NULL AND OrleansGrainState.Version = @GrainStateVersion
RETURNING Version AS NewGrainStateVersion;
SELECT NULL AS NewGrainStateVersion WHERE changes() = 0;
'),
-- Clearing keeps the row (with a NULL payload) so the version keeps growing across clears.
('ClearStorageKey', '
UPDATE OrleansGrainState
SET Payload = NULL, Version = Version + 1, ModifiedUtc = CURRENT_TIMESTAMP
WHERE ServiceId = @ServiceId
  AND GrainIdHash = @GrainIdHash
  AND GrainTypeHash = @GrainTypeHash
  AND GrainIdN0 = @GrainIdN0
  AND GrainIdN1 = @GrainIdN1
  AND GrainType = @GrainTypeString
  AND GrainIdExtension IS @GrainIdExtensionString
  AND Version = @GrainStateVersion
RETURNING Version AS NewGrainStateVersion;
SELECT NULL AS NewGrainStateVersion WHERE changes() = 0;
'),
-- Used when DeleteStateOnClear is set. Returns version + 1 so Orleans sees a version different from its ETag.
('DeleteStorageKey', '
DELETE FROM OrleansGrainState
WHERE ServiceId = @ServiceId
  AND GrainIdHash = @GrainIdHash
  AND GrainTypeHash = @GrainTypeHash
  AND GrainIdN0 = @GrainIdN0
  AND GrainIdN1 = @GrainIdN1
  AND GrainType = @GrainTypeString
  AND GrainIdExtension IS @GrainIdExtensionString
  AND Version = @GrainStateVersion
RETURNING Version + 1 AS NewGrainStateVersion;
SELECT NULL AS NewGrainStateVersion WHERE changes() = 0;
')
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;

INSERT INTO BotFleetSchemaVersion (Component, Version, AppliedUtc)
VALUES ('persistence', 1, CURRENT_TIMESTAMP)
ON CONFLICT (Component) DO UPDATE SET Version = excluded.Version, AppliedUtc = excluded.AppliedUtc;
