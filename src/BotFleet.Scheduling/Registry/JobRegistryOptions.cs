using System.ComponentModel.DataAnnotations;

namespace BotFleet.Scheduling.Registry;

/// <summary>Settings of the job registry (configuration section "BotFleet:Jobs").</summary>
public sealed class JobRegistryOptions
{
    public const string SectionName = "BotFleet:Jobs";

    /// <summary>Timeout of an operation registered without one. Default 30 s; 1 ms to 1 h (worker grain calls allow 1 h).</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "01:00:00")]
    public TimeSpan DefaultTimeout { get; set; } = TimeSpan.FromSeconds(30);
}
