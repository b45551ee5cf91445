using System.CommandLine;
using BotFleet.Cli.Connections;
using BotFleet.Cli.Output;
using BotFleet.Client;

namespace BotFleet.Cli;

/// <summary>One command's view of the global options and its ways out: the fleet, the job server, and the output.</summary>
internal sealed class CommandRun(CliContext context, ParseResult parseResult, GlobalOptions globals)
{
    public CliContext Context => context;

    public bool Json => parseResult.GetValue(globals.Json);

    public Uri Server => parseResult.GetRequiredValue(globals.Server);

    public string? ApiKey => ApiKeys.Resolve(parseResult.GetValue(globals.ApiKey), context.ReadEnvironment);

    public int GatewayPort => parseResult.GetValue(globals.GatewayPort);

    public TextWriter Output => context.Output;

    public Task<T> WithJobsAsync<T>(Func<IJobServerClient, Task<T>> action, CancellationToken cancellationToken) =>
        context.Jobs.UseAsync(Server, ApiKey, action, cancellationToken);

    public Task<T> WithFleetAsync<T>(Func<IFleetClient, Task<T>> action, CancellationToken cancellationToken) =>
        context.Fleet.UseAsync(GatewayPort, action, cancellationToken);

    public void WriteJson<T>(T value) => CliJson.Write(context.Output, value);

    public void WriteLine(string line) => context.Output.WriteLine(line);

    public void WriteTable(TextTable table) => TableWriter.Write(context, table);
}
