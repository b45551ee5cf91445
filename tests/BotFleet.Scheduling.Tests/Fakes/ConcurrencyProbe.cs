namespace BotFleet.Scheduling.Tests.Fakes;

/// <summary>Counts jobs running right now and the most that ever ran together; can hold them until released.</summary>
public sealed class ConcurrencyProbe
{
    private readonly Lock _gate = new();
    private readonly List<string> _started = [];
    private TaskCompletionSource _release = NewGate();
    private int _running;
    private int _peak;

    public bool HoldJobs { get; set; }

    public int Peak
    {
        get
        {
            lock (_gate)
            {
                return _peak;
            }
        }
    }

    public int Running
    {
        get
        {
            lock (_gate)
            {
                return _running;
            }
        }
    }

    /// <summary>Job ids in the order their handler started; a duplicate means a job ran twice.</summary>
    public IReadOnlyList<string> Started
    {
        get
        {
            lock (_gate)
            {
                return [.. _started];
            }
        }
    }

    public async Task RunAsync(string jobId, CancellationToken cancellationToken)
    {
        Task release;
        lock (_gate)
        {
            _started.Add(jobId);
            _running++;
            _peak = Math.Max(_peak, _running);
            release = HoldJobs ? _release.Task : Task.CompletedTask;
        }

        try
        {
            await release.WaitAsync(cancellationToken);
            await Task.Yield();
        }
        finally
        {
            lock (_gate)
            {
                _running--;
            }
        }
    }

    /// <summary>Waits (bounded) until at least <paramref name="count"/> jobs have started.</summary>
    public Task WaitForStartedAsync(int count) => Eventually.TrueAsync(() => Started.Count >= count, $"{count} job(s) started");

    /// <summary>Lets every held job finish; jobs started later are held again only if <see cref="HoldJobs"/> stays true.</summary>
    public void ReleaseAll()
    {
        TaskCompletionSource release;
        lock (_gate)
        {
            release = _release;
            _release = NewGate();
        }

        release.TrySetResult();
    }

    private static TaskCompletionSource NewGate() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
