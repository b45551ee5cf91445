using System.Diagnostics;
using System.Text.Json;

namespace BotFleet.LoadBench.Hosting;

/// <summary>
/// Reads the fleet's status the way an operator does: <c>botfleet --gateway-port P status --json</c> (the Release
/// build of client/BotFleet.Cli) against the silo's gateway, summing each bot's <c>in_flight</c> and <c>outbox_size</c>.
/// </summary>
internal static class FleetStatusReader
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    public static async Task<FleetLoad> ReadAsync(ProductLayout product, int gatewayPort, CancellationToken cancellationToken)
    {
        if (!File.Exists(product.CliExecutable))
        {
            throw new BenchException($"{product.CliExecutable} does not exist. Build it: dotnet build -c Release client/BotFleet.Cli (or pass --build).");
        }

        var start = new ProcessStartInfo(product.CliExecutable) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { "--gateway-port", gatewayPort.ToString(System.Globalization.CultureInfo.InvariantCulture), "status", "--json" })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new BenchException("The CLI did not start.");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new BenchException($"botfleet status did not answer within {Timeout.TotalSeconds:0} s (or the run was cancelled).");
        }

        if (process.ExitCode != 0)
        {
            throw new BenchException($"botfleet status exited with {process.ExitCode}: {(await error).Trim()}");
        }

        using var document = JsonDocument.Parse(await output);
        var bots = document.RootElement.GetProperty("bots");
        long inFlight = 0, outbox = 0;
        foreach (var bot in bots.EnumerateArray())
        {
            inFlight += bot.GetProperty("in_flight").GetInt64();
            outbox += bot.GetProperty("outbox_size").GetInt64();
        }

        return new FleetLoad(bots.GetArrayLength(), inFlight, outbox);
    }
}
