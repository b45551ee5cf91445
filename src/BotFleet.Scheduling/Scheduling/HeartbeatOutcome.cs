namespace BotFleet.Scheduling.Scheduling;

public enum HeartbeatOutcome
{
    /// <summary>No session yet: the next tick registers first.</summary>
    NotRegistered,

    /// <summary>The server heard it; leases of the running jobs were extended.</summary>
    Delivered,

    /// <summary>Delivered, and the answer changed the bot's assignment, applied at once.</summary>
    AssignmentChanged,

    /// <summary>Not delivered (transient, or 401: the bot registers again on its next tick).</summary>
    Failed,
}
