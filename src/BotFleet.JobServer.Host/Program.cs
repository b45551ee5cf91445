using BotFleet.JobServer;

return await StartupFailure.RunAsync(args, HostSettings.ForJobServer(), () => JobServerApp.Create(args).RunAsync());
