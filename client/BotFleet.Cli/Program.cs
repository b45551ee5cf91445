using BotFleet.Cli;

return await BotFleetCli.RunAsync(args, CliContext.CreateDefault());
