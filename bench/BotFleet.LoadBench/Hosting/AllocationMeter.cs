using System.Diagnostics.Tracing;
using Microsoft.Diagnostics.NETCore.Client;
using Microsoft.Diagnostics.Tracing;

namespace BotFleet.LoadBench.Hosting;

/// <summary>
/// Bytes a .NET process allocates while the meter runs: the sum of its runtime's <c>alloc-rate</c> counter (bytes
/// allocated in each interval, from <c>GC.GetTotalAllocatedBytes</c>), read over EventPipe as <c>dotnet-counters</c> does.
/// </summary>
/// <remarks>
/// The first interval starts when the session is enabled; <see cref="Stop"/> waits for the interval that is open
/// when it is called to close, so the window ends at most one interval after the measured part of a run.
/// </remarks>
internal sealed class AllocationMeter : IDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    private readonly EventPipeSession _session;
    private readonly EventPipeEventSource _source;
    private readonly Task _reading;
    private readonly Lock _lock = new();
    private long _bytes;
    private int _intervals;

    private AllocationMeter(EventPipeSession session)
    {
        _session = session;
        _source = new EventPipeEventSource(session.EventStream);
        _source.Dynamic.All += OnEvent;
        _reading = Task.Run(() => _source.Process());
    }

    /// <summary>Starts a meter on the process, or returns null (with the reason) when it has no diagnostics port.</summary>
    public static AllocationMeter? TryStart(int pid, out string? error)
    {
        try
        {
            var provider = new EventPipeProvider(
                "System.Runtime",
                EventLevel.Informational,
                keywords: 0,
                new Dictionary<string, string> { ["EventCounterIntervalSec"] = Interval.TotalSeconds.ToString("0", System.Globalization.CultureInfo.InvariantCulture) });
            var session = new DiagnosticsClient(pid).StartEventPipeSession([provider], requestRundown: false);
            error = null;
            return new AllocationMeter(session);
        }
        catch (Exception ex) when (ex is ServerNotAvailableException or UnsupportedCommandException or TimeoutException or IOException)
        {
            error = ex.Message;
            return null;
        }
    }

    /// <summary>Bytes allocated since the start, after the open interval closes (null when no interval arrived).</summary>
    public long? Stop()
    {
        int seen;
        lock (_lock)
        {
            seen = _intervals;
        }

        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (waited.Elapsed < 3 * Interval)
        {
            lock (_lock)
            {
                if (_intervals > seen)
                {
                    break;
                }
            }

            Thread.Sleep(50);
        }

        lock (_lock)
        {
            return _intervals == 0 ? null : _bytes;
        }
    }

    public void Dispose()
    {
        try
        {
            _session.Stop();
        }
        catch (Exception ex) when (ex is ServerNotAvailableException or IOException or TimeoutException)
        {
            // The process is gone already: nothing to stop.
        }

        _reading.Wait(TimeSpan.FromSeconds(5));
        _source.Dispose();
        _session.Dispose();
    }

    private void OnEvent(TraceEvent data)
    {
        if (data.EventName != "EventCounters"
            || data.PayloadValue(0) is not IDictionary<string, object> outer
            || outer.TryGetValue("Payload", out var inner) is false
            || inner is not IDictionary<string, object> counter
            || !counter.TryGetValue("Name", out var name)
            || name as string != "alloc-rate"
            || !counter.TryGetValue("Increment", out var increment))
        {
            return;
        }

        lock (_lock)
        {
            _bytes += (long)Convert.ToDouble(increment, System.Globalization.CultureInfo.InvariantCulture);
            _intervals++;
        }
    }
}
