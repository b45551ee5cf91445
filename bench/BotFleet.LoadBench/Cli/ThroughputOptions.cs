using System.CommandLine;
using BotFleet.LoadBench.Measurement;

namespace BotFleet.LoadBench.Cli;

/// <summary>Options of the throughput scenarios: how many jobs, in what batches, how many to sample for latency.</summary>
internal sealed class ThroughputOptions
{
    public Option<int> Jobs { get; } = CommonOptions.Positive(new Option<int>("--jobs", "-n") { Description = "Sum jobs to submit.", DefaultValueFactory = _ => 100_000, HelpName = "N" });

    public Option<int> Batch { get; } = CommonOptions.Positive(new Option<int>("--batch") { Description = "Jobs per POST /v1/jobs (the API takes up to 1,000).", DefaultValueFactory = _ => 1_000, HelpName = "n" });

    public Option<int> Sample { get; } = CommonOptions.Positive(new Option<int>("--latency-sample") { Description = "Random finished jobs read afterwards for claim→report latency.", DefaultValueFactory = _ => 1_000, HelpName = "n" });

    public void AddTo(Command command)
    {
        command.Options.Add(Jobs);
        command.Options.Add(Batch);
        command.Options.Add(Sample);
    }

    public ThroughputSettings Read(ParseResult parseResult, TimeSpan stallTimeout) =>
        new(parseResult.GetValue(Jobs), parseResult.GetValue(Batch), parseResult.GetValue(Sample), stallTimeout);
}
