namespace BotFleet.Storage;

/// <summary>Names of the grain storage providers that BotFleet's silo wiring registers.</summary>
public static class BotFleetStores
{
    /// <summary>The named store for BotFleet grains: <c>[PersistentState("state", BotFleetStores.Name)]</c>.</summary>
    public const string Name = "botfleet";
}
