using System.Globalization;

namespace BotFleet.LoadBench.Hosting;

/// <summary>CPU time and peak resident memory of a process (and optionally its children), read from /proc.</summary>
/// <remarks>
/// CPU is <c>utime + stime</c> (fields 14 and 15 of <c>/proc/PID/stat</c>, all threads). With children (PostgreSQL: the
/// postmaster and its backends) it adds <c>cutime + cstime</c> of the parent — the time of children it has already
/// reaped — and <c>utime + stime + cutime + cstime</c> of each live child, so a backend that exits during the run is
/// still counted. Ticks are USER_HZ (100 per second on Linux). Peak RSS is <c>VmHWM</c> of <c>/proc/PID/status</c>.
/// </remarks>
internal static class ProcessCpu
{
    private const double TicksPerSecond = 100.0;

    /// <summary>CPU seconds used so far, or null when the process is gone.</summary>
    public static double? ReadCpuSeconds(int pid, bool includeChildren)
    {
        if (ReadStat(pid) is not { } self)
        {
            return null;
        }

        var ticks = self.UserTicks + self.SystemTicks;
        if (includeChildren)
        {
            ticks += self.ReapedChildrenTicks;
            foreach (var child in Children(pid))
            {
                if (ReadStat(child) is { } stat)
                {
                    ticks += stat.UserTicks + stat.SystemTicks + stat.ReapedChildrenTicks;
                }
            }
        }

        return ticks / TicksPerSecond;
    }

    /// <summary>Largest VmHWM (bytes) of the process, or of it and each live child; 0 when gone.</summary>
    public static long ReadPeakRssBytes(int pid, bool includeChildren)
    {
        var peak = ReadPeakRss(pid);
        if (includeChildren)
        {
            foreach (var child in Children(pid))
            {
                peak = Math.Max(peak, ReadPeakRss(child));
            }
        }

        return peak;
    }

    /// <summary>Resident memory now (<c>VmRSS</c>, bytes) of the process; 0 when gone.</summary>
    public static long ReadRssBytes(int pid) => ReadStatusKib(pid, "VmRSS:") * 1024;

    private static long ReadPeakRss(int pid) => ReadStatusKib(pid, "VmHWM:") * 1024;

    private static long ReadStatusKib(int pid, string field)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith(field, StringComparison.Ordinal))
                {
                    var kb = line[field.Length..].Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries)[0];
                    return long.Parse(kb, CultureInfo.InvariantCulture);
                }
            }
        }
        catch (IOException)
        {
            // Gone.
        }
        catch (UnauthorizedAccessException)
        {
            // Gone and its pid reused by a process we may not read.
        }

        return 0;
    }

    private static IEnumerable<int> Children(int parent)
    {
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
                && ReadStat(pid) is { } stat
                && stat.ParentPid == parent)
            {
                yield return pid;
            }
        }
    }

    private static Stat? ReadStat(int pid)
    {
        string text;
        try
        {
            text = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }

        // "pid (comm) state ppid …": comm may hold spaces and parentheses, so split after the last ')'.
        var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
        // fields[0] is field 3 (state): field n is fields[n - 3].
        return new Stat(
            ParentPid: int.Parse(fields[1], CultureInfo.InvariantCulture),
            UserTicks: long.Parse(fields[11], CultureInfo.InvariantCulture),
            SystemTicks: long.Parse(fields[12], CultureInfo.InvariantCulture),
            ReapedChildrenTicks: long.Parse(fields[13], CultureInfo.InvariantCulture) + long.Parse(fields[14], CultureInfo.InvariantCulture));
    }

    private readonly record struct Stat(int ParentPid, long UserTicks, long SystemTicks, long ReapedChildrenTicks);
}
