using System.ComponentModel.DataAnnotations;

namespace BotFleet.Scheduling.Fleet;

/// <summary>How the fleet follows cluster membership (configuration section "BotFleet:Fleet").</summary>
public sealed class FleetFailoverOptions
{
    public const string SectionName = "BotFleet:Fleet";

    /// <summary>Calls to resume a departed silo's bots before leaving the rest to their reminders. Default 10; 1 to 100.</summary>
    [Range(1, 100, ErrorMessage = "BotFleet:Fleet:ResumeAttempts must be between {1} and {2}.")]
    public int ResumeAttempts { get; set; } = 10;

    /// <summary>Pause between those calls. Default 500 ms; 10 ms to 1 min.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:01:00", ErrorMessage = "BotFleet:Fleet:ResumeRetryDelay must be between {1} and {2}.")]
    public TimeSpan ResumeRetryDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Whether a silo that joins takes its share of the bots. Default true.</summary>
    public bool RebalanceOnJoin { get; set; } = true;

    /// <summary>Wait after a silo joins before bots move to it. Default 2 s; 0 to 5 min.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:05:00", ErrorMessage = "BotFleet:Fleet:RebalanceDelay must be between {1} and {2}.")]
    public TimeSpan RebalanceDelay { get; set; } = TimeSpan.FromSeconds(2);
}
