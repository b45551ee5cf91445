namespace BotFleet.Contracts.Bots;

/// <summary>Where a bot is in its life.</summary>
[GenerateSerializer, Alias("BotFleet.BotState")]
public enum BotState
{
    /// <summary>Not started, or stopped by an operator: it claims nothing.</summary>
    Stopped = 0,

    /// <summary>Started, not yet registered with the job server.</summary>
    Registering = 1,

    /// <summary>Registered, claiming and reporting normally.</summary>
    Active = 2,

    /// <summary>The job server is failing (claims or reports); the bot backs off and keeps its results.</summary>
    Degraded = 3,

    /// <summary>The server's assignment pauses the bot: it claims nothing; running jobs finish and report.</summary>
    Paused = 4,

    /// <summary>Stopping: it claims nothing and waits for its running jobs to finish and report.</summary>
    Draining = 5,
}
