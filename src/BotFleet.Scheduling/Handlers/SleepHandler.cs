using System.Text.Json;
using BotFleet.Scheduling.Registry;

namespace BotFleet.Scheduling.Handlers;

/// <summary>op=sleep: waits <c>{"ms": n}</c> milliseconds (for long-job tests), honouring cancellation.</summary>
public sealed class SleepHandler(TimeProvider timeProvider) : IJobHandler
{
    /// <summary>One day: longer sleeps are refused as a likely mistake.</summary>
    public const long MaxMilliseconds = 86_400_000;

    public async ValueTask<object?> HandleAsync(JobContext context, CancellationToken cancellationToken)
    {
        if (!context.Payload.TryGetProperty("ms", out var msElement))
        {
            throw new JobFailedException("invalid payload: field 'ms' is missing");
        }

        if (msElement.ValueKind != JsonValueKind.Number || !msElement.TryGetInt64(out var ms) || ms is < 0 or > MaxMilliseconds)
        {
            throw new JobFailedException($"invalid payload: field 'ms' must be an integer between 0 and {MaxMilliseconds}");
        }

        await Task.Delay(TimeSpan.FromMilliseconds(ms), timeProvider, cancellationToken);
        return new SleepResult(ms);
    }
}
