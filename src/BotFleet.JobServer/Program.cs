using BotFleet.JobServer;

return await StartupFailure.RunAsync(() => JobServerApp.Create(args).RunAsync());
