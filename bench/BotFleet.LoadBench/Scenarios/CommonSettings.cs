namespace BotFleet.LoadBench.Scenarios;

/// <summary>The options every scenario takes.</summary>
internal sealed record CommonSettings(
    int Repeat,
    string? JsonPath,
    string? Repo,
    bool Build,
    bool KeepTemp,
    TimeSpan StallTimeout,
    IReadOnlyList<string> SiloArguments,
    IReadOnlyList<string> ServerArguments);
