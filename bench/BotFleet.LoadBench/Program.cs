using BotFleet.LoadBench.Cli;

return await LoadBenchCli.RunAsync(args);
