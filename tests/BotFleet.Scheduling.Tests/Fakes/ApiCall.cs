using BotFleet.JobApi.Contracts;

namespace BotFleet.Scheduling.Tests.Fakes;

/// <summary>One call the bot made to the fake job API, in the order it was made.</summary>
public abstract record ApiCall;

public sealed record RegisterCall(RegisterBotRequest Request) : ApiCall;

/// <summary>A claim; <paramref name="WaitMs"/> is its long-poll wait, null when it asked for none; <paramref name="ClaimId"/> the bot's id for it.</summary>
public sealed record ClaimCall(string BotId, IReadOnlyList<string> Operations, int Limit, int? WaitMs = null, string? ClaimId = null) : ApiCall;

public sealed record HeartbeatCall(string BotId, HeartbeatRequest Request) : ApiCall;

/// <summary>A complete or fail report. Result is the raw JSON text for complete; Error the message for fail.</summary>
public sealed record ReportCall(string JobId, string Action, string InstanceId, string? Result, string? Error) : ApiCall;

/// <summary>One POST /v1/jobs/reports carrying <paramref name="Count"/> reports (the accepted ones show in FakeJobApi.Accepted).</summary>
public sealed record BatchCall(int Count, IReadOnlyList<string> JobIds) : ApiCall;
