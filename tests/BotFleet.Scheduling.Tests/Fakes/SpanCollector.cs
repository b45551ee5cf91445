using System.Collections.Concurrent;
using System.Diagnostics;
using BotFleet.JobApi.Contracts;

namespace BotFleet.Scheduling.Tests.Fakes;

/// <summary>
/// Records every stopped span of BotFleet's activity source, as an exporter would. The listener is process-wide, so a
/// test reads only the traces it started (<see cref="InTrace"/>).
/// </summary>
public sealed class SpanCollector : IDisposable
{
    private readonly ConcurrentQueue<Activity> _stopped = new();
    private readonly ActivityListener _listener;

    public SpanCollector()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == JobTraceContext.ActivitySourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = _stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    public IReadOnlyList<Activity> InTrace(ActivityTraceId traceId) => [.. _stopped.Where(a => a.TraceId == traceId)];

    public IReadOnlyList<Activity> Named(string name) => [.. _stopped.Where(a => a.DisplayName == name)];

    public void Dispose() => _listener.Dispose();
}
