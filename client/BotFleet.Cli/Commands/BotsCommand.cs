using System.CommandLine;

namespace BotFleet.Cli.Commands;

/// <summary><c>botfleet bots …</c>: the group holding start and stop.</summary>
internal static class BotsCommand
{
    public static Command Create(CliContext context, GlobalOptions globals) =>
        new("bots", "Start and stop bots on the silo.")
        {
            BotsStartCommand.Create(context, globals),
            BotsStopCommand.Create(context, globals),
        };

    /// <summary>The bot key argument shared by start and stop.</summary>
    public static Argument<string> BotKeyArgument()
    {
        var argument = new Argument<string>("bot-key") { Description = "The bot's stable name (its scheduler grain key)." };
        argument.Validators.Add(result => CliParsers.RequireText(result, "<bot-key>"));
        return argument;
    }
}
