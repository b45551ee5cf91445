using BotFleet.JobServer;
using BotFleet.Silo.Hosting;

return await StartupFailure.RunAsync(args, SiloSettings.Create(), async () =>
{
    // Settings (appsettings.json: quiet logging, the bots) are read beside the executable, whatever the working directory.
    var builder = WebApplication.CreateBuilder(new WebApplicationOptions
    {
        Args = HostArguments.WithDefaults(args),
        ContentRootPath = HostArguments.ContentRoot(args),
    });
    builder.AddBotFleetSilo();

    var app = builder.Build();
    app.MapBotFleetSilo();
    await app.RunAsync();
});
