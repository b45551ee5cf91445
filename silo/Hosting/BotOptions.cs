using BotFleet.Contracts.Bots;

namespace BotFleet.Silo.Hosting;

/// <summary>One bot the silo starts (configuration "BotFleet:Bots:{bot-key}").</summary>
public sealed class BotOptions
{
    /// <summary>The keys a bot's section may hold: its settable properties, in declaration order.</summary>
    public static readonly IReadOnlyList<string> Settings =
        [.. typeof(BotOptions).GetProperties(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance).Where(p => p.CanWrite).Select(p => p.Name)];

    public List<string> Operations { get; set; } = [];

    /// <summary>Default 4; 1 to 1000.</summary>
    public int MaxConcurrency { get; set; } = 4;

    /// <summary>Default 10; 1 to 100.</summary>
    public int ClaimBatchSize { get; set; } = 10;

    public BotDefinition ToDefinition() => new()
    {
        Operations = [.. Operations],
        MaxConcurrency = MaxConcurrency,
        ClaimBatchSize = ClaimBatchSize,
    };
}
