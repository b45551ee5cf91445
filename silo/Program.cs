using BotFleet.JobServer;
using BotFleet.Silo.Hosting;

return await StartupFailure.RunAsync(async () =>
{
    var builder = WebApplication.CreateBuilder(HostArguments.WithDefaults(args));
    builder.AddBotFleetSilo();

    var app = builder.Build();
    app.MapBotFleetSilo();
    await app.RunAsync();
});
