using Microsoft.Extensions.Options;

namespace BotFleet.Scheduling.Scheduling;

/// <summary>The rules between settings that attributes cannot state.</summary>
public sealed class SchedulerOptionsValidator : IValidateOptions<SchedulerOptions>
{
    public ValidateOptionsResult Validate(string? name, SchedulerOptions options)
    {
        var failures = new List<string>();
        if (options.MaxIdleInterval < options.TickInterval)
        {
            failures.Add($"BotFleet:Scheduler:MaxIdleInterval ({options.MaxIdleInterval}) must be at least TickInterval ({options.TickInterval}).");
        }

        if (options.MaxFailureBackoff < options.TickInterval)
        {
            failures.Add($"BotFleet:Scheduler:MaxFailureBackoff ({options.MaxFailureBackoff}) must be at least TickInterval ({options.TickInterval}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
