namespace BotFleet.LoadBench.Hosting;

/// <summary>
/// A process whose cost a run reports: CPU seconds between <see cref="Start"/> and <see cref="Stop"/>, and its
/// peak RSS (the largest VmHWM seen at any <see cref="Sample"/>, so short-lived PostgreSQL backends count too).
/// </summary>
internal sealed class MeasuredProcess(string name, int pid, bool includeChildren)
{
    private double _cpuAtStart;
    private double _cpuLast;
    private long _peakRss;

    public string Name { get; } = name;

    public int Pid { get; } = pid;

    public void Start()
    {
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
        return new ProcessCost(Name, Math.Round(_cpuLast - _cpuAtStart, 3), _peakRss);
    }
}

/// <summary>CPU seconds used during the measured part of a run, and peak RSS in bytes.</summary>
internal sealed record ProcessCost(string Name, double CpuSeconds, long PeakRssBytes);
