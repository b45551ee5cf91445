namespace BotFleet.Scheduling.Scheduling;

/// <summary>
/// The bot's slots: a job holds one from dispatch until its report is settled (delivered, refused or
/// kept durably in the outbox), and gives it back exactly once. Its record is what the durable state
/// lists as running, so "running" in storage is exactly the jobs holding slots at the last save.
/// </summary>
internal sealed class SlotPool(BotDurableState state)
{
    private int _inFlight;
    private int _peak;

    public int InFlight
    {
        get
        {
            lock (state.Gate)
            {
                return _inFlight;
            }
        }
    }

    /// <summary>The most jobs that ever held a slot at the same time.</summary>
    public int Peak
    {
        get
        {
            lock (state.Gate)
            {
                return _peak;
            }
        }
    }

    public int Free(int limit)
    {
        lock (state.Gate)
        {
            return Math.Max(0, limit - _inFlight);
        }
    }

    public IReadOnlyList<RunningJobRecord> Running
    {
        get
        {
            lock (state.Gate)
            {
                return [.. state.Running.Values];
            }
        }
    }

    /// <returns>False when the bot is at <paramref name="limit"/>, or already runs a job with this id.</returns>
    public bool TryAcquire(RunningJobRecord job, int limit)
    {
        lock (state.Gate)
        {
            if (_inFlight >= limit || !state.Running.TryAdd(job.JobId, job))
            {
                return false;
            }

            _inFlight++;
            _peak = Math.Max(_peak, _inFlight);
            state.MarkDirty();
            return true;
        }
    }

    /// <summary>Gives back the slots of these jobs; ids that hold none (a rejected job's report) are ignored.</summary>
    /// <returns>How many slots came free.</returns>
    public int Release(IReadOnlyList<string> jobIds)
    {
        var released = 0;
        lock (state.Gate)
        {
            foreach (var jobId in jobIds)
            {
                if (state.Running.Remove(jobId))
                {
                    released++;
                }
            }

            _inFlight -= released;
            if (released > 0)
            {
                state.MarkDirty();
            }
        }

        return released;
    }

    /// <summary>Records the lease the server extended; not worth a save of its own.</summary>
    public void ExtendLease(string jobId, DateTimeOffset leaseUntil)
    {
        lock (state.Gate)
        {
            if (state.Running.TryGetValue(jobId, out var record))
            {
                state.Running[jobId] = record with { LeaseUntil = leaseUntil };
            }
        }
    }
}
