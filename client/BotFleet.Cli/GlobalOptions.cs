using System.CommandLine;
using BotFleet.Cli.Connections;
using BotFleet.Client;

namespace BotFleet.Cli;

/// <summary>Options every command accepts (declared once on the root, recursive).</summary>
internal sealed class GlobalOptions
{
    public const string DefaultServer = "http://127.0.0.1:5080";

    public Option<int> GatewayPort { get; } = new("--gateway-port")
    {
        Description = "Gateway port of the BotFleet silo on localhost.",
        DefaultValueFactory = _ => BotFleetClientOptions.DefaultGatewayPort,
        Recursive = true,
        HelpName = "port",
    };

    public Option<Uri> Server { get; } = new("--server")
    {
        Description = "Base URL of the job server.",
        DefaultValueFactory = _ => new Uri(DefaultServer),
        CustomParser = CliParsers.ParseServer,
        Recursive = true,
        HelpName = "url",
    };

    public Option<string?> ApiKey { get; } = new("--api-key")
    {
        Description = $"The job server's API key (JobServer:ApiKey), sent as X-Api-Key. Default: ${ApiKeys.EnvironmentVariable}.",
        Recursive = true,
        HelpName = "key",
    };

    public Option<bool> Json { get; } = new("--json")
    {
        Description = "Write results and errors as JSON on stdout (watch: one JSON object per line).",
        Recursive = true,
    };

    public GlobalOptions()
    {
        GatewayPort.Validators.Add(result => CliParsers.RequireRange(result, GatewayPort, 1, 65_535));
        ApiKey.Validators.Add(result => CliParsers.RequireText(result, "--api-key"));
    }

    public void AddTo(RootCommand root)
    {
        root.Options.Add(GatewayPort);
        root.Options.Add(Server);
        root.Options.Add(ApiKey);
        root.Options.Add(Json);
    }
}
