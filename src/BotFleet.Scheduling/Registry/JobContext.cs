using System.Text.Json;

namespace BotFleet.Scheduling.Registry;

/// <summary>The job a handler is asked to run.</summary>
public sealed record JobContext(string JobId, string Op, JsonElement Payload, int Attempt);
