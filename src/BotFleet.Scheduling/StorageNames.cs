namespace BotFleet.Scheduling;

/// <summary>Names of the Orleans storage providers BotFleet's grains use.</summary>
public static class StorageNames
{
    /// <summary>Grain storage for bot state (outbox, definition) and the fleet roster.</summary>
    public const string BotFleet = "botfleet";
}
