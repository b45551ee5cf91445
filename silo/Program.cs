using BotFleet.Silo.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddBotFleetSilo();

var app = builder.Build();
app.MapBotFleetSilo();
await app.RunAsync();
