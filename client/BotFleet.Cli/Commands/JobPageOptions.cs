using System.CommandLine;
using BotFleet.Cli.Output;
using BotFleet.JobApi.Client;
using BotFleet.JobApi.Contracts;

namespace BotFleet.Cli.Commands;

/// <summary>The options of a command that lists a page of jobs (<c>--op</c>, <c>--limit</c>, <c>--cursor</c>) and its closing line.</summary>
internal sealed class JobPageOptions
{
    /// <summary>The job API's largest page.</summary>
    public const int MaxLimit = 1_000;

    public JobPageOptions(string what)
    {
        Op = new Option<string?>("--op") { Description = $"Only {what} of this operation.", HelpName = "name" };
        Op.Validators.Add(result => CliParsers.RequireText(result, "--op"));
        Limit = new Option<int>("--limit") { Description = $"Jobs per page (1..{MaxLimit}).", DefaultValueFactory = _ => 100, HelpName = "n" };
        Limit.Validators.Add(result => CliParsers.RequireRange(result, Limit, 1, MaxLimit));
        Cursor = new Option<string?>("--cursor") { Description = "Continue after the page that printed this cursor.", HelpName = "cursor" };
        Cursor.Validators.Add(result => CliParsers.RequireText(result, "--cursor"));
    }

    public Option<string?> Op { get; }

    public Option<int> Limit { get; }

    public Option<string?> Cursor { get; }

    public IEnumerable<Option> All => [Op, Limit, Cursor];

    public JobListQuery Query(ParseResult parseResult, string? status) =>
        new(status, parseResult.GetValue(Op)?.Trim(), parseResult.GetValue(Limit), parseResult.GetValue(Cursor)?.Trim());

    /// <summary>"3 dead jobs; next page: --cursor 42", or "…; no more pages."</summary>
    public static string Footer(JobListAnswer page, string noun)
    {
        var count = $"{Text.Number(page.Jobs.Count)} {noun}{(page.Jobs.Count == 1 ? string.Empty : "s")}";
        return page.Cursor is { } next ? $"{count}; next page: --cursor {next}" : $"{count}; no more pages.";
    }
}
