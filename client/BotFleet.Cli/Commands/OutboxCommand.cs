using System.CommandLine;

namespace BotFleet.Cli.Commands;

/// <summary><c>botfleet outbox …</c>: the reports bots hold because the job server did not take them yet.</summary>
internal static class OutboxCommand
{
    public static Command Create(CliContext context, GlobalOptions globals) =>
        new("outbox", "Inspect and flush the bots' undelivered reports.")
        {
            OutboxShowCommand.Create(context, globals),
            OutboxFlushCommand.Create(context, globals),
        };

    public static Argument<string?> OptionalBotKeyArgument(string description) =>
        new("bot-key") { Description = description, Arity = ArgumentArity.ZeroOrOne };
}
