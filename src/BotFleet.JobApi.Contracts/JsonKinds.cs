using System.Text.Json;

namespace BotFleet.JobApi.Contracts;

/// <summary>How an error message names what a JSON value was, on both sides of the wire (a bot's claim parser, the server's body checks).</summary>
public static class JsonKinds
{
    public static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Null => "null",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Number => "a number",
        JsonValueKind.String => "a string",
        JsonValueKind.Array => "an array",
        JsonValueKind.Object => "an object",
        _ => "nothing",
    };
}
