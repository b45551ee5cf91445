-- Reminders for AdoNetReminderTable.
-- Contract: reads return GrainId, ReminderName, StartTime, Period (milliseconds, read as Int64) and Version;
-- UpsertReminderRowKey returns the new Version; DeleteReminderRowKey returns one boolean column.
-- GrainHash holds the grain's uniform hash as a signed 32-bit integer, as Orleans passes it.

CREATE TABLE IF NOT EXISTS OrleansReminder
(
    ServiceId    text        NOT NULL,
    GrainId      text        NOT NULL,
    ReminderName text        NOT NULL,
    StartTime    timestamptz NOT NULL,
    Period       bigint      NOT NULL,
    GrainHash    integer     NOT NULL,
    Version      integer     NOT NULL,
    PRIMARY KEY (ServiceId, GrainId, ReminderName)
);

CREATE INDEX IF NOT EXISTS IX_OrleansReminder_GrainHash ON OrleansReminder (ServiceId, GrainHash);

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES
('ReadReminderRowsKey', $q$
SELECT GrainId AS "GrainId", ReminderName AS "ReminderName", StartTime AS "StartTime", Period AS "Period", Version AS "Version"
FROM OrleansReminder
WHERE ServiceId = @ServiceId AND GrainId = @GrainId
$q$),
('ReadReminderRowKey', $q$
SELECT GrainId AS "GrainId", ReminderName AS "ReminderName", StartTime AS "StartTime", Period AS "Period", Version AS "Version"
FROM OrleansReminder
WHERE ServiceId = @ServiceId AND GrainId = @GrainId AND ReminderName = @ReminderName
$q$),
-- Orleans picks this key when the ring range does not wrap (BeginHash < EndHash).
('ReadRangeRows1Key', $q$
SELECT GrainId AS "GrainId", ReminderName AS "ReminderName", StartTime AS "StartTime", Period AS "Period", Version AS "Version"
FROM OrleansReminder
WHERE ServiceId = @ServiceId AND GrainHash > @BeginHash AND GrainHash <= @EndHash
$q$),
-- ... and this one when the range wraps around the end of the ring.
('ReadRangeRows2Key', $q$
SELECT GrainId AS "GrainId", ReminderName AS "ReminderName", StartTime AS "StartTime", Period AS "Period", Version AS "Version"
FROM OrleansReminder
WHERE ServiceId = @ServiceId AND (GrainHash > @BeginHash OR GrainHash <= @EndHash)
$q$),
('UpsertReminderRowKey', $q$
INSERT INTO OrleansReminder (ServiceId, GrainId, ReminderName, StartTime, Period, GrainHash, Version)
VALUES (@ServiceId, @GrainId, @ReminderName, @StartTime, @Period, @GrainHash, 0)
ON CONFLICT (ServiceId, GrainId, ReminderName)
DO UPDATE SET StartTime = excluded.StartTime,
              Period = excluded.Period,
              GrainHash = excluded.GrainHash,
              Version = OrleansReminder.Version + 1
RETURNING Version AS "Version"
$q$),
('DeleteReminderRowKey', $q$
WITH deleted AS (
    DELETE FROM OrleansReminder
    WHERE ServiceId = @ServiceId AND GrainId = @GrainId AND ReminderName = @ReminderName AND Version = @Version
    RETURNING 1
)
SELECT EXISTS (SELECT 1 FROM deleted) AS "Deleted"
$q$),
('DeleteReminderRowsKey', $q$
DELETE FROM OrleansReminder WHERE ServiceId = @ServiceId
$q$)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;

INSERT INTO BotFleetSchemaVersion (Component, Version, AppliedUtc)
VALUES ('reminders', 1, now())
ON CONFLICT (Component) DO UPDATE SET Version = excluded.Version, AppliedUtc = excluded.AppliedUtc;
