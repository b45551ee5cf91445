using System.CommandLine;
using System.Globalization;
using BotFleet.LoadBench.Cli;
using BotFleet.LoadBench.Hosting;
using BotFleet.LoadBench.Measurement;

namespace BotFleet.LoadBench.Scenarios;

/// <summary>
/// <c>idle</c>: one silo with the embedded job server (SQLite, shipped settings but the bots) and N started bots
/// idle-1… offering sum with an empty queue; CPU, RSS per bot against a 0-bot baseline, and job API requests per
/// bot per minute counted by a proxy in front of the job server.
/// </summary>
internal static class IdleScenario
{
    public static Command Create(CommonOptions common)
    {
        var bots = CommonOptions.Positive(new Option<int>("--bots") { Description = "Idle bots idle-1… (each offers sum).", DefaultValueFactory = _ => 10_000, HelpName = "N" });
        var maxConcurrency = CommonOptions.Positive(new Option<int>("--max-concurrency") { Description = "BotFleet:Bots:<key>:MaxConcurrency of each bot.", DefaultValueFactory = _ => 4, HelpName = "n" });
        var claimBatch = CommonOptions.Positive(new Option<int>("--claim-batch") { Description = "BotFleet:Bots:<key>:ClaimBatchSize of each bot.", DefaultValueFactory = _ => 10, HelpName = "n" });
        var window = CommonOptions.Positive(new Option<int>("--window") { Description = "Measured window.", DefaultValueFactory = _ => 60, HelpName = "seconds" });
        var settle = new Option<int>("--settle") { Description = "Wait after the last bot registered, before measuring.", DefaultValueFactory = _ => 30, HelpName = "seconds" };
        var registerTimeout = CommonOptions.Positive(new Option<int>("--register-timeout") { Description = "How long the bots may take to register.", DefaultValueFactory = _ => 900, HelpName = "seconds" });
        var noBaseline = new Option<bool>("--no-baseline") { Description = "Skip the 0-bot baseline run (no memory per bot then)." };
        var standalone = new Option<bool>("--standalone-server") { Description = "Run the standalone job server process (SQLite) instead of the embedded one." };
        var noProxy = new Option<bool>("--no-proxy") { Description = "Let the bots reach the job server directly (no request counts; the proxy's CPU is out of the picture)." };
        var command = new Command("idle", "An idle fleet of N bots on the embedded default: CPU, memory per bot, requests per bot per minute.")
        {
            bots, maxConcurrency, claimBatch, window, settle, registerTimeout, noBaseline, standalone, noProxy,
        };
        common.AddTo(command);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var settings = common.Read(parseResult);
            var run = new IdleSettings(
                parseResult.GetValue(bots),
                parseResult.GetValue(maxConcurrency),
                parseResult.GetValue(claimBatch),
                TimeSpan.FromSeconds(Math.Max(0, parseResult.GetValue(settle))),
                TimeSpan.FromSeconds(parseResult.GetValue(window)),
                TimeSpan.FromSeconds(parseResult.GetValue(registerTimeout)),
                !parseResult.GetValue(noBaseline),
                parseResult.GetValue(standalone),
                !parseResult.GetValue(noProxy));
            var fleet = ConfiguredBot.Fleet("idle", run.Bots, "sum", run.MaxConcurrency, run.ClaimBatchSize);
            IdleFigures? baseline = null;
            var scenario = new Scenario(
                "idle",
                new Dictionary<string, string>
                {
                    ["bots"] = run.Bots.ToString(CultureInfo.InvariantCulture),
                    ["max_concurrency"] = run.MaxConcurrency.ToString(CultureInfo.InvariantCulture),
                    ["claim_batch"] = run.ClaimBatchSize.ToString(CultureInfo.InvariantCulture),
                    ["settle_s"] = run.Settle.TotalSeconds.ToString(CultureInfo.InvariantCulture),
                    ["window_s"] = run.Window.TotalSeconds.ToString(CultureInfo.InvariantCulture),
                    ["baseline"] = run.Baseline ? "0 bots, same setup" : "none",
                    ["job_server"] = run.StandaloneServer ? "standalone (SQLite)" : "embedded (SQLite)",
                    ["request_counting"] = run.CountRequests ? "proxy" : "off",
                    ["silo_args"] = string.Join(' ', settings.SiloArguments),
                    ["server_args"] = string.Join(' ', settings.ServerArguments),
                },
                NeedsJobServer: run.StandaloneServer,
                async (product, directory, ct) =>
                {
                    if (run.Baseline)
                    {
                        Console.WriteLine("[idle] baseline: the same setup with 0 bots…");
                        await using var empty = await Start(product, directory, "baseline", [], ct);
                        baseline = (await IdleRun.ObserveAsync(empty, run, "baseline", ct)).Figures;
                    }

                    return await Start(product, directory, "fleet", fleet, ct);
                },
                async (deployment, ct) =>
                {
                    var (figures, registerSeconds) = await IdleRun.ObserveAsync(deployment, run, $"{run.Bots:N0} bots", ct);
                    return IdleRun.Report(run, figures, registerSeconds, baseline);
                });
            return await ScenarioRunner.RunAsync(scenario, settings, cancellationToken);

            Task<Deployment> Start(ProductLayout product, BenchDirectory directory, string part, IReadOnlyList<ConfiguredBot> bots, CancellationToken ct) =>
                Deployment.StartFleetAsync(product, directory, part, bots, run.StandaloneServer, run.CountRequests, settings.SiloArguments, settings.ServerArguments, ct);
        });
        return command;
    }
}
