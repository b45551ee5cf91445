using System.CommandLine;

namespace BotFleet.Cli.Commands;

/// <summary><c>botfleet bots …</c>: list, show, start, stop, pause and resume.</summary>
internal static class BotsCommand
{
    public static Command Create(CliContext context, GlobalOptions globals) =>
        new("bots", "List, inspect, start, stop, pause and resume bots.")
        {
            BotsListCommand.Create(context, globals),
            BotsShowCommand.Create(context, globals),
            BotsStartCommand.Create(context, globals),
            BotsStopCommand.Create(context, globals),
            BotsPauseCommand.Create(context, globals, pause: true),
            BotsPauseCommand.Create(context, globals, pause: false),
        };

    /// <summary>The bot key argument shared by the bot commands.</summary>
    public static Argument<string> BotKeyArgument()
    {
        var argument = new Argument<string>("bot-key") { Description = "The bot's stable name (its scheduler grain key)." };
        argument.Validators.Add(result => CliParsers.RequireText(result, "<bot-key>"));
        return argument;
    }
}
