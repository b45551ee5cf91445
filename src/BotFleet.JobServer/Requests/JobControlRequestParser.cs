using System.Text.Json;

namespace BotFleet.JobServer.Requests;

/// <summary>Which dead jobs an operator's action names: <see cref="JobIds"/>, or all of them (of <see cref="Op"/> when given).</summary>
internal sealed record ParsedJobSelection(List<string>? JobIds, string? Op, int Attempts);

/// <summary>Validates the bodies of the job control endpoints (requeue, discard).</summary>
internal static class JobControlRequestParser
{
    /// <summary>POST /v1/jobs/{job_id}/requeue: <c>{"attempts": n}</c>, all optional.</summary>
    public static ParsedJobSelection? ParseRequeueOne(JsonElement root, RequestErrors errors, int defaultAttempts)
    {
        var fields = new JsonFields(root, string.Empty, errors);
        var attempts = fields.OptionalInt("attempts", 1, RequestLimits.MaxAttempts) ?? defaultAttempts;
        return errors.HasErrors ? null : new ParsedJobSelection(null, null, attempts);
    }

    /// <summary>
    /// POST /v1/jobs/requeue and /v1/jobs/discard: <c>{"job_ids": [...]}</c> or <c>{"all": true, "op": "..."}</c>, and
    /// for requeue <c>"attempts"</c>.
    /// </summary>
    /// <param name="defaultAttempts">The attempts a requeued job gets when the body names none; null for discard, which takes none.</param>
    /// <param name="selects">What "all" takes, for the messages ("dead job").</param>
    public static ParsedJobSelection? ParseSelection(JsonElement root, RequestErrors errors, int? defaultAttempts, string selects)
    {
        var fields = new JsonFields(root, string.Empty, errors);
        var byIds = fields.Has("job_ids");
        var all = fields.OptionalBool("all");
        List<string>? jobIds = null;
        string? op = null;
        if (byIds && all is not null)
        {
            errors.Add("all", "Give either job_ids or all, not both.");
        }
        else if (byIds)
        {
            jobIds = fields.RequiredStringList("job_ids", RequestLimits.ListLimit, RequestLimits.NameLength);
            if (fields.Has("op"))
            {
                errors.Add("op", "Filters \"all\" only; job_ids name their jobs.");
            }
        }
        else if (all == true)
        {
            op = fields.OptionalString("op", RequestLimits.NameLength);
        }
        else
        {
            errors.Add("job_ids", all == false
                ? $"\"all\": false selects nothing; give job_ids, or \"all\": true for every {selects}."
                : $"Give job_ids (up to 1000), or \"all\": true for every {selects} (of \"op\" when given).");
        }

        var attempts = 0;
        if (defaultAttempts is { } fallback)
        {
            attempts = fields.OptionalInt("attempts", 1, RequestLimits.MaxAttempts) ?? fallback;
        }
        else if (fields.Has("attempts"))
        {
            errors.Add("attempts", "Only requeue takes attempts.");
        }

        return errors.HasErrors ? null : new ParsedJobSelection(jobIds, op, attempts);
    }
}
