using System.CommandLine;
using BotFleet.LoadBench.Scenarios;

namespace BotFleet.LoadBench.Cli;

/// <summary>Options every scenario command takes: repeats, output, where the product is, pass-through arguments.</summary>
internal sealed class CommonOptions
{
    public Option<int> Repeat { get; } = Positive(new Option<int>("--repeat") { Description = "Run the scenario K times on fresh processes and report the median of each figure.", DefaultValueFactory = _ => 1, HelpName = "K" });

    public Option<string?> Json { get; } = new("--json") { Description = "Where to write the JSON report (default bench/results/<scenario>-<timestamp>.json).", HelpName = "path" };

    public Option<string?> Repo { get; } = new("--repo") { Description = "Repository root holding Orleans.sln and the Release build (default: found above the harness).", HelpName = "path" };

    public Option<bool> Build { get; } = new("--build") { Description = "Run dotnet build -c Release of the silo and the job server first." };

    public Option<bool> KeepTemp { get; } = new("--keep-temp") { Description = "Keep each run's temp folder (data and process output); it is always kept when a run fails." };

    public Option<int> StallSeconds { get; } = Positive(new Option<int>("--stall-timeout") { Description = "Abort when no job finishes (and none is submitted) for this many seconds.", DefaultValueFactory = _ => 60, HelpName = "seconds" });

    public Option<string[]> SiloArguments { get; } = new("--silo-arg") { Description = "Extra argument for the silo process, e.g. --silo-arg=--BotFleet:Scheduler:TickInterval=00:00:00.100 (repeatable).", HelpName = "arg", AllowMultipleArgumentsPerToken = false };

    public Option<string[]> ServerArguments { get; } = new("--server-arg") { Description = "Extra argument for the standalone job server process (repeatable).", HelpName = "arg", AllowMultipleArgumentsPerToken = false };

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { Repeat, Json, Repo, Build, KeepTemp, StallSeconds, SiloArguments, ServerArguments })
        {
            command.Options.Add(option);
        }
    }

    public CommonSettings Read(ParseResult parseResult) => new(
        parseResult.GetValue(Repeat),
        parseResult.GetValue(Json),
        parseResult.GetValue(Repo),
        parseResult.GetValue(Build),
        parseResult.GetValue(KeepTemp),
        TimeSpan.FromSeconds(parseResult.GetValue(StallSeconds)),
        parseResult.GetValue(SiloArguments) ?? [],
        parseResult.GetValue(ServerArguments) ?? []);

    /// <summary>Adds a check that the option's value is at least 1.</summary>
    public static Option<int> Positive(Option<int> option)
    {
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() < 1)
            {
                result.AddError($"{option.Name} must be at least 1.");
            }
        });
        return option;
    }
}
