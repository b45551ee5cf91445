using System.CommandLine;
using System.Collections.Immutable;
using BotFleet.Cli.Output;
using BotFleet.Contracts.Bots;

namespace BotFleet.Cli.Commands;

/// <summary><c>botfleet bots start &lt;bot-key&gt; --ops sum,echo [--max-concurrency 4] [--batch-size 10]</c>.</summary>
internal static class BotsStartCommand
{
    public static Command Create(CliContext context, GlobalOptions globals)
    {
        var botKey = BotsCommand.BotKeyArgument();
        var ops = new Option<string[]>("--ops")
        {
            Description = "Operations the bot runs, comma-separated (for example sum,echo).",
            Required = true,
            CustomParser = CliParsers.ParseOperations,
            HelpName = "op,op…",
        };
        var maxConcurrency = new Option<int>("--max-concurrency")
        {
            Description = $"Most jobs the bot runs at once (1..{BotDefinition.MaxConcurrencyLimit}).",
            DefaultValueFactory = _ => 4,
            HelpName = "n",
        };
        maxConcurrency.Validators.Add(result => CliParsers.RequireRange(result, maxConcurrency, 1, BotDefinition.MaxConcurrencyLimit));
        var batchSize = new Option<int>("--batch-size")
        {
            Description = $"Most jobs asked for in one claim (1..{BotDefinition.ClaimBatchSizeLimit}).",
            DefaultValueFactory = _ => 10,
            HelpName = "n",
        };
        batchSize.Validators.Add(result => CliParsers.RequireRange(result, batchSize, 1, BotDefinition.ClaimBatchSizeLimit));

        var command = new Command("start", "Start (or re-configure) a bot and enrol it in the fleet.") { botKey, ops, maxConcurrency, batchSize };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var run = new CommandRun(context, parseResult, globals);
            var key = parseResult.GetRequiredValue(botKey);
            var definition = new BotDefinition
            {
                Operations = [.. parseResult.GetRequiredValue(ops)],
                MaxConcurrency = parseResult.GetValue(maxConcurrency),
                ClaimBatchSize = parseResult.GetValue(batchSize),
            };

            await run.WithFleetAsync(
                async client =>
                {
                    await client.StartBotAsync(key, definition, cancellationToken);
                    return true;
                },
                cancellationToken);

            if (run.Json)
            {
                run.WriteJson(new BotChangeResult(key, "started", Operations: definition.Operations, MaxConcurrency: definition.MaxConcurrency, ClaimBatchSize: definition.ClaimBatchSize));
            }
            else
            {
                run.WriteLine($"Started bot {key}: ops {string.Join(',', definition.Operations)}, max concurrency {definition.MaxConcurrency}, batch size {definition.ClaimBatchSize}.");
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
