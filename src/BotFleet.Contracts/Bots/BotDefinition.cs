using System.Collections.Immutable;

namespace BotFleet.Contracts.Bots;

/// <summary>
/// What a bot is asked to run: the operations it offers and its own limits. The server's
/// assignment may narrow both (fewer operations, lower concurrency), never widen them.
/// </summary>
[GenerateSerializer, Immutable, Alias("BotFleet.BotDefinition")]
public sealed record BotDefinition
{
    [Id(0)] public required ImmutableArray<string> Operations { get; init; }

    /// <summary>Most jobs this bot runs at once. Range 1..1000.</summary>
    [Id(1)] public int MaxConcurrency { get; init; } = 4;

    /// <summary>Most jobs asked for in one claim. Range 1..100 (the API's limit).</summary>
    [Id(2)] public int ClaimBatchSize { get; init; } = 10;

    public const int MaxConcurrencyLimit = 1000;
    public const int ClaimBatchSizeLimit = 100;

    /// <summary>Returns every rule this definition breaks; empty when it is valid.</summary>
    /// <param name="name">
    /// What the caller calls each setting, given its property name (a configuration key, say); by default the
    /// snake_case names of the API ("max_concurrency").
    /// </param>
    public IReadOnlyList<string> Validate(Func<string, string>? name = null)
    {
        name ??= SnakeCase;
        var errors = new List<string>();
        if (Operations.IsDefaultOrEmpty)
        {
            errors.Add($"{name(nameof(Operations))}: at least one operation is required");
        }
        else if (Operations.Any(string.IsNullOrWhiteSpace))
        {
            errors.Add($"{name(nameof(Operations))}: operation names must be non-empty");
        }

        if (MaxConcurrency is < 1 or > MaxConcurrencyLimit)
        {
            errors.Add($"{name(nameof(MaxConcurrency))}: must be between 1 and {MaxConcurrencyLimit}, got {MaxConcurrency}");
        }

        if (ClaimBatchSize is < 1 or > ClaimBatchSizeLimit)
        {
            errors.Add($"{name(nameof(ClaimBatchSize))}: must be between 1 and {ClaimBatchSizeLimit}, got {ClaimBatchSize}");
        }

        return errors;
    }

    private static string SnakeCase(string property) => System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(property);
}
