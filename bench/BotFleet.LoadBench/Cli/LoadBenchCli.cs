using System.CommandLine;
using BotFleet.LoadBench.Scenarios;

namespace BotFleet.LoadBench.Cli;

/// <summary>
/// <c>dotnet run -c Release --project bench/BotFleet.LoadBench -- &lt;scenario&gt; [options]</c>. Bad input exits 2, a
/// failed run 1 with one clear message, Ctrl+C 130; the product's processes are killed in every case.
/// </summary>
internal static class LoadBenchCli
{
    public static async Task<int> RunAsync(string[] args)
    {
        if (!OperatingSystem.IsLinux())
        {
            await Console.Error.WriteLineAsync("error: the load benchmarks run on Linux only (they read /proc).");
            return 1;
        }

        var common = new CommonOptions();
        var root = new RootCommand("End-to-end load benchmarks of BotFleet: real processes, loopback HTTP, real PostgreSQL, shipped settings.")
        {
            EmbeddedScenario.Create(common),
            PostgresScenario.Create("postgres", "Throughput of a silo and the standalone job server on PostgreSQL (default 4 bots x 64, claim batch 100).", common, bots: 4, maxConcurrency: 64, claimBatch: 100),
            PostgresScenario.Create("one-bot", "Throughput of one bot (max_concurrency 100, claim batch 100) on the PostgreSQL topology.", common, bots: 1, maxConcurrency: 100, claimBatch: 100),
            LatencyScenario.Create(common),
            IdleScenario.Create(common),
            OutboxScenario.Create(common),
            SoakScenario.Create(common),
            ScalingScenario.Create(common),
        };

        var parseResult = root.Parse(args);
        if (parseResult.Errors.Count > 0)
        {
            foreach (var error in parseResult.Errors)
            {
                await Console.Error.WriteLineAsync($"error: {error.Message}");
            }

            return 2;
        }

        // Ctrl+C and SIGTERM cancel the token; the runner then kills the processes, which needs a few seconds.
        var invocation = new InvocationConfiguration { EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = TimeSpan.FromSeconds(30) };
        try
        {
            return await parseResult.InvokeAsync(invocation);
        }
        catch (BenchException ex)
        {
            await Console.Error.WriteLineAsync($"error: {ex.Message}");
            return 1;
        }
        catch (OperationCanceledException)
        {
            await Console.Error.WriteLineAsync("Interrupted; the product's processes were stopped.");
            return 130;
        }
        catch (Exception ex)
        {
            // Not an expected failure: the runner already printed it whole, with where the process output is.
            await Console.Error.WriteLineAsync($"error: unexpected failure: {ex.Message}");
            return 1;
        }
    }
}
