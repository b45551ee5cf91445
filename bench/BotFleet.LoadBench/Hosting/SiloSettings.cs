using System.Text.Json;
using System.Text.Json.Nodes;

namespace BotFleet.LoadBench.Hosting;

/// <summary>
/// The silo's content root for a run. The embedded scenarios get the shipped appsettings*.json as they are. The
/// fleet scenarios get them without "BotFleet:Bots": configuration sources only add keys, so the shipped bots cannot
/// be removed from the command line, and an environment file (appsettings.X.json) could only add bots too.
/// </summary>
internal static class SiloSettings
{
    public static void WriteShipped(ProductLayout product, string contentRoot) =>
        ProductLayout.CopySettings(product.SiloDirectory, contentRoot);

    public static void WriteWithoutShippedBots(ProductLayout product, string contentRoot)
    {
        ProductLayout.CopySettings(product.SiloDirectory, contentRoot);
        foreach (var file in Directory.EnumerateFiles(contentRoot, "appsettings*.json"))
        {
            var root = JsonNode.Parse(File.ReadAllText(file), documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            if (root?["BotFleet"] is JsonObject botFleet && botFleet.Remove("Bots"))
            {
                File.WriteAllText(file, root.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
            }
        }
    }

    /// <summary>
    /// The shipped settings with <c>BotFleet:Bots</c> replaced by <paramref name="bots"/>, written into appsettings.json
    /// (a fleet of thousands would not fit on a command line).
    /// </summary>
    public static void WriteWithBots(ProductLayout product, string contentRoot, IReadOnlyList<ConfiguredBot> bots)
    {
        WriteWithoutShippedBots(product, contentRoot);
        var file = Path.Combine(contentRoot, "appsettings.json");
        var root = JsonNode.Parse(File.ReadAllText(file), documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true })
            as JsonObject ?? throw new BenchException($"{file} is not a JSON object.");
        if (root["BotFleet"] is not JsonObject botFleet)
        {
            botFleet = [];
            root["BotFleet"] = botFleet;
        }

        botFleet["Bots"] = new JsonObject(bots.Select(bot => KeyValuePair.Create(bot.Key, (JsonNode?)new JsonObject
        {
            ["Operations"] = new JsonArray([.. bot.Operations.Select(op => (JsonNode?)op)]),
            ["MaxConcurrency"] = bot.MaxConcurrency,
            ["ClaimBatchSize"] = bot.ClaimBatchSize,
        })));
        File.WriteAllText(file, root.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }
}
