using BotFleet.Scheduling.Registry;

namespace BotFleet.Scheduling.Handlers;

/// <summary>op=echo: the result is the payload, unchanged.</summary>
public sealed class EchoHandler : IJobHandler
{
    public ValueTask<object?> HandleAsync(JobContext context, CancellationToken cancellationToken) =>
        ValueTask.FromResult<object?>(context.Payload);
}
