namespace BotFleet.Storage.Tests.Schema;

/// <summary>The OrleansQuery keys the three providers load; a missing one fails silo start-up.</summary>
internal static class ExpectedQueryKeys
{
    public static readonly IReadOnlyList<string> All =
    [
        // Grain storage.
        "ClearStorageKey", "DeleteStorageKey", "ReadFromStorageKey", "WriteToStorageKey",
        // Reminders.
        "DeleteReminderRowKey", "DeleteReminderRowsKey", "ReadRangeRows1Key", "ReadRangeRows2Key",
        "ReadReminderRowKey", "ReadReminderRowsKey", "UpsertReminderRowKey",
        // Clustering.
        "CleanupDefunctSiloEntriesKey", "CleanupDefunctSiloEntryKey", "DeleteMembershipTableEntriesKey", "GatewaysQueryKey", "InsertMembershipKey",
        "InsertMembershipVersionKey", "MembershipReadAllKey", "MembershipReadRowKey", "UpdateIAmAlivetimeKey",
        "UpdateMembershipKey",
    ];
}
