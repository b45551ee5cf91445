namespace BotFleet.Storage.Tests.Hosting;

/// <summary>Configuration keys the test cluster passes to its silo and client configurators.</summary>
internal static class TestSettings
{
    public const string SqlitePath = "BotFleetTests:SqlitePath";
    public const string PostgreSql = "BotFleetTests:PostgreSql";

    /// <summary>An extra ADO.NET store with DeleteStateOnClear, to exercise DeleteStorageKey.</summary>
    public const string DeletingStore = "deleting";
}
