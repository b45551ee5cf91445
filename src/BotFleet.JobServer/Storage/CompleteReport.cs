namespace BotFleet.JobServer.Storage;

/// <param name="ResultJson">Compact JSON of the result, or null when the bot sent none.</param>
public sealed record CompleteReport(string JobId, string InstanceId, string? ResultJson);
