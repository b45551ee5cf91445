namespace BotFleet.Cli.Connections;

/// <summary>Where the CLI finds the job server's API key (JobServer:ApiKey): --api-key, else the environment.</summary>
internal static class ApiKeys
{
    /// <summary>Kept out of command lines and shell history; --api-key wins when both are given.</summary>
    public const string EnvironmentVariable = "BOTFLEET_API_KEY";

    public static string? Resolve(string? option, Func<string, string?> readEnvironment) =>
        option is { Length: > 0 } ? option : readEnvironment(EnvironmentVariable) is { Length: > 0 } fromEnvironment ? fromEnvironment : null;
}
