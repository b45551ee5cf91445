using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Text;
using Xunit.v3;

[assembly: BotFleet.Tests.HangWatchdog]

namespace BotFleet.Tests;

/// <summary>
/// Ends a hung test process with the names of the tests it was running. When a test has run longer than the limit, or
/// no test has started or finished for that long (a fixture that never returns), it prints the tests still running and
/// exits the process, so <c>dotnet test</c> reports a crash with this output instead of a CI run waiting out its own
/// timeout with nothing to go on. Compiled into every test project (tests/Directory.Build.props).
/// </summary>
[AttributeUsage(AttributeTargets.Assembly)]
internal sealed class HangWatchdogAttribute : BeforeAfterTestAttribute
{
    /// <summary>Longer than any test takes on a loaded 2-core machine; BOTFLEET_TEST_HANG_MINUTES overrides it.</summary>
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(
        double.TryParse(Environment.GetEnvironmentVariable("BOTFLEET_TEST_HANG_MINUTES"), NumberStyles.Float, CultureInfo.InvariantCulture, out var minutes) && minutes > 0 ? minutes : 10);

    private static readonly ConcurrentDictionary<string, (string Name, long StartedAt)> Running = new();
    private static long _lastProgress = Stopwatch.GetTimestamp();

    // Started by the first test; checks twice a minute for the life of the process.
    private static readonly Lazy<Timer> Watch = new(() => new Timer(_ => Check(), null, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(30)));

    public override void Before(MethodInfo methodUnderTest, IXunitTest test)
    {
        ArgumentNullException.ThrowIfNull(test);
        _ = Watch.Value;
        Running[test.UniqueID] = (test.TestDisplayName, Stopwatch.GetTimestamp());
        Interlocked.Exchange(ref _lastProgress, Stopwatch.GetTimestamp());
    }

    public override void After(MethodInfo methodUnderTest, IXunitTest test)
    {
        ArgumentNullException.ThrowIfNull(test);
        Running.TryRemove(test.UniqueID, out _);
        Interlocked.Exchange(ref _lastProgress, Stopwatch.GetTimestamp());
    }

    private static void Check()
    {
        var running = Running.Values.OrderBy(t => t.StartedAt).ToList();
        var idle = Stopwatch.GetElapsedTime(Interlocked.Read(ref _lastProgress));
        var longest = running.Count == 0 ? TimeSpan.Zero : Stopwatch.GetElapsedTime(running[0].StartedAt);
        if (longest < Limit && idle < Limit)
        {
            return;
        }

        var report = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"HANG: {Assembly.GetEntryAssembly()?.GetName().Name} stopped by its watchdog (limit {Limit}; no test started or finished for {idle:hh\\:mm\\:ss}). Tests still running:")
            .AppendLine();
        foreach (var (name, startedAt) in running)
        {
            report.Append(CultureInfo.InvariantCulture, $"  {Stopwatch.GetElapsedTime(startedAt):hh\\:mm\\:ss}  {name}").AppendLine();
        }

        if (running.Count == 0)
        {
            report.AppendLine("  none: a fixture or the test host itself is stuck.");
        }

        // dotnet test shows a crashed test process's standard output; FailFast adds the message to its error output.
        Console.Out.Write(report);
        Console.Out.Flush();
        Environment.FailFast("Hung tests: see the standard output above.");
    }
}
