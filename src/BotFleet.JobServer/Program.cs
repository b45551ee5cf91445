using BotFleet.JobServer;

var app = JobServerApp.Create(args);
await app.RunAsync();
