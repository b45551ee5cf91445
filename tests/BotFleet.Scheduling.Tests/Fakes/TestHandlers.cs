using BotFleet.Scheduling.Registry;

namespace BotFleet.Scheduling.Tests.Fakes;

/// <summary>op=probe: runs under the shared <see cref="ConcurrencyProbe"/>; result <c>{"job": id}</c>.</summary>
public sealed class ProbeHandler(ConcurrencyProbe probe) : IJobHandler
{
    public async ValueTask<object?> HandleAsync(JobContext context, CancellationToken cancellationToken)
    {
        await probe.RunAsync(context.JobId, cancellationToken);
        return new { job = context.JobId };
    }
}

/// <summary>op=boom: always throws, with the job id in the message.</summary>
public sealed class ThrowingHandler : IJobHandler
{
    public ValueTask<object?> HandleAsync(JobContext context, CancellationToken cancellationToken) =>
        throw new InvalidOperationException($"handler exploded on {context.JobId}");
}

/// <summary>op=hang: waits on the fake clock until cancelled by its timeout.</summary>
public sealed class HangingHandler(TimeProvider time, ConcurrencyProbe probe) : IJobHandler
{
    public async ValueTask<object?> HandleAsync(JobContext context, CancellationToken cancellationToken)
    {
        await probe.RunAsync(context.JobId, cancellationToken);
        await Task.Delay(Timeout.InfiniteTimeSpan, time, cancellationToken);
        return null;
    }
}

/// <summary>op=progress: reports 25 % ("a quarter"), then runs like op=probe.</summary>
public sealed class ProgressHandler(ConcurrencyProbe probe) : IJobHandler
{
    public async ValueTask<object?> HandleAsync(JobContext context, CancellationToken cancellationToken)
    {
        context.ReportProgress(25, "a quarter");
        await probe.RunAsync(context.JobId, cancellationToken);
        return new { job = context.JobId };
    }
}
