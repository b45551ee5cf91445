namespace BotFleet.LoadBench.Proxy;

/// <summary>What a bot's request to the job API is for, told apart by its request line (docs/job-api.md).</summary>
internal enum RequestKind
{
    /// <summary><c>POST /v1/jobs/claim</c>.</summary>
    Claim,

    /// <summary><c>PUT /v1/bots/{bot_id}/heartbeat</c> and the batch <c>POST /v1/bots/heartbeats</c>.</summary>
    Heartbeat,

    /// <summary><c>POST /v1/jobs/{job_id}/complete</c>, <c>…/fail</c> and the batch <c>POST /v1/jobs/reports</c>.</summary>
    Report,

    /// <summary><c>POST /v1/bots/register</c>.</summary>
    Register,

    /// <summary>Anything else.</summary>
    Other,
}
