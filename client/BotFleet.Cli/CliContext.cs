using BotFleet.Cli.Connections;

namespace BotFleet.Cli;

/// <summary>Everything a command touches outside itself, so tests can run commands without a console or network.</summary>
internal sealed record CliContext(
    TextWriter Output,
    TextWriter Error,
    IFleetConnector Fleet,
    IJobApiConnector Jobs,
    TimeProvider Time)
{
    public static CliContext CreateDefault() =>
        new(Console.Out, Console.Error, new OrleansFleetConnector(), new HttpJobApiConnector(), TimeProvider.System);
}
