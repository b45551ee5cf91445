namespace BotFleet.LoadBench.Hosting;

/// <summary>
/// A process whose cost a run reports: CPU seconds between <see cref="Start"/> and <see cref="Stop"/>, its
/// peak RSS (the largest VmHWM seen at any <see cref="Sample"/>, so short-lived PostgreSQL backends count too),
/// and for a .NET process the bytes it allocated meanwhile (<see cref="AllocationMeter"/>).
/// </summary>
internal sealed class MeasuredProcess(string name, int pid, bool includeChildren, bool dotNet)
{
    private double _cpuAtStart;
    private double _cpuLast;
    private long _peakRss;
    private AllocationMeter? _allocations;

    public string Name { get; } = name;

    public int Pid { get; } = pid;

    public void Start()
    {
        if (dotNet)
        {
            _allocations?.Dispose();
            _allocations = AllocationMeter.TryStart(Pid, out var error);
            if (_allocations is null)
            {
                Console.Error.WriteLine($"warning: no allocation figures for {Name} (pid {Pid}): {error}");
            }
        }

        _cpuAtStart = ProcessCpu.ReadCpuSeconds(Pid, includeChildren) ?? 0;
        _cpuLast = _cpuAtStart;
        Sample();
    }

    /// <summary>Reads CPU and peak RSS now; call now and then during a run, and last before the processes are killed.</summary>
    public void Sample()
    {
        if (ProcessCpu.ReadCpuSeconds(Pid, includeChildren) is { } cpu)
        {
            _cpuLast = Math.Max(_cpuLast, cpu);
        }

        _peakRss = Math.Max(_peakRss, ProcessCpu.ReadPeakRssBytes(Pid, includeChildren));
    }

    public ProcessCost Stop()
    {
        Sample();
        var allocated = _allocations?.Stop();
        _allocations?.Dispose();
        _allocations = null;
        return new ProcessCost(Name, Math.Round(_cpuLast - _cpuAtStart, 3), _peakRss, allocated);
    }
}

/// <summary>CPU seconds used during the measured part of a run, peak RSS in bytes, and bytes allocated (.NET processes).</summary>
internal sealed record ProcessCost(string Name, double CpuSeconds, long PeakRssBytes, long? AllocatedBytes);
