using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using BotFleet.JobApi.Contracts;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace BotFleet.JobApi.Client;

/// <summary>
/// Typed <see cref="HttpClient"/> for job API v1. The client never retries: the bot's
/// scheduler owns retry (through its outbox), so one call is exactly one request.
/// </summary>
public sealed partial class JobApiClient : IJobApiClient, IJobProducerClient, IJobReportBatchClient, IJobHeartbeatBatchClient, IJobOperatorClient
{
    private const string JsonMediaType = "application/json";

    private readonly HttpClient _httpClient;
    private readonly ILogger<JobApiClient> _logger;
    private readonly TimeProvider _timeProvider;

    /// <param name="httpClient">Its BaseAddress is the server root (for example http://127.0.0.1:5080/); its Timeout is the per-call timeout.</param>
    /// <param name="logger">Optional; failures are logged at debug level.</param>
    /// <param name="timeProvider">Optional; used to turn a dated Retry-After into a delay.</param>
    public JobApiClient(HttpClient httpClient, ILogger<JobApiClient>? logger = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        _httpClient = httpClient;
        _logger = logger ?? NullLogger<JobApiClient>.Instance;
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    public async Task<RegisterBotResponse> RegisterAsync(RegisterBotRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var response = await SendForValueAsync<RegisterBotResponse>(
            "register", HttpMethod.Post, "v1/bots/register", request, accessToken: null, cancellationToken);
        if (string.IsNullOrEmpty(response.BotId) || response.Auth?.AccessToken is null || response.Assignment?.Operations is null)
        {
            throw Malformed("register", "bot_id, auth.access_token or assignment.operations is missing");
        }

        return response;
    }

    public async Task<HeartbeatResponse> HeartbeatAsync(string botId, HeartbeatRequest request, string accessToken, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(botId);
        ArgumentNullException.ThrowIfNull(request);
        return await SendForValueAsync<HeartbeatResponse>(
            "heartbeat", HttpMethod.Put, $"v1/bots/{Uri.EscapeDataString(botId)}/heartbeat", request, accessToken, cancellationToken);
    }

    public async Task<ClaimResponse<JsonElement>> ClaimAsync(ClaimRequest request, string accessToken, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var message = CreateMessage(HttpMethod.Post, "v1/jobs/claim", request, accessToken);
        if (request.WaitMs is > 0 and var waitMs)
        {
            message.Options.Set(JobApiRequestOptions.ServerWait, TimeSpan.FromMilliseconds(waitMs));
        }

        using var answer = await SendAsync("claim", message, cancellationToken);
        var response = await ReadValueAsync<ClaimResponse<JsonElement>>("claim", answer, cancellationToken);
        if (response.Jobs is null)
        {
            throw Malformed("claim", "field 'jobs' is missing");
        }

        return response;
    }

    public Task<ReportDelivery> CompleteAsync(string jobId, CompleteRequest request, string accessToken, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(jobId);
        ArgumentNullException.ThrowIfNull(request);
        return ReportAsync("complete", jobId, request, accessToken, cancellationToken);
    }

    public Task<ReportDelivery> FailAsync(string jobId, FailRequest request, string accessToken, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(jobId);
        ArgumentNullException.ThrowIfNull(request);
        return ReportAsync("fail", jobId, request, accessToken, cancellationToken);
    }

    public async Task<IReadOnlyList<ReportBatchItemResult>> ReportBatchAsync(IReadOnlyList<ReportBatchItem> reports, string accessToken, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reports);
        ArgumentException.ThrowIfNullOrEmpty(accessToken);
        var response = await SendForValueAsync<ReportBatchResponse>(
            "report batch", HttpMethod.Post, "v1/jobs/reports", new ReportBatchRequest(reports), accessToken, cancellationToken);
        if (response.Results is null || response.Results.Count != reports.Count)
        {
            throw Malformed("report batch", $"expected {reports.Count} result(s), got {response.Results?.Count.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"}");
        }

        return response.Results;
    }

    public async Task<IReadOnlyList<HeartbeatBatchItemResult>> HeartbeatBatchAsync(IReadOnlyList<HeartbeatBatchItem> heartbeats, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(heartbeats);
        var response = await SendForValueAsync<HeartbeatBatchResponse>(
            "heartbeat batch", HttpMethod.Post, "v1/bots/heartbeats", new HeartbeatBatchRequest(heartbeats), accessToken: null, cancellationToken);
        if (response.Results is null || response.Results.Count != heartbeats.Count)
        {
            throw Malformed("heartbeat batch", $"expected {heartbeats.Count} result(s), got {response.Results?.Count.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"}");
        }

        return response.Results;
    }

    public async Task<BotAssignment?> UpdateAssignmentAsync(string botId, UpdateAssignmentRequest request, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(botId);
        ArgumentNullException.ThrowIfNull(request);
        const string operation = "update assignment";
        using var message = CreateMessage(HttpMethod.Put, $"v1/bots/{Uri.EscapeDataString(botId)}/assignment", request, accessToken: null);
        using var response = await SendAsync(operation, message, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        return await ReadValueAsync<BotAssignment>(operation, response, cancellationToken);
    }

    public Task<JobControlResponse> RequeueJobsAsync(JobSelectionRequest request, CancellationToken cancellationToken) =>
        ControlJobsAsync("requeue", request, cancellationToken);

    public Task<JobControlResponse> DiscardJobsAsync(JobSelectionRequest request, CancellationToken cancellationToken) =>
        ControlJobsAsync("discard", request, cancellationToken);

    /// <summary>Cancels jobs (POST /v1/jobs/cancel): the named ones, with a result each, or every pending and leased one.</summary>
    public Task<JobControlResponse> CancelJobsAsync(JobSelectionRequest request, CancellationToken cancellationToken) =>
        ControlJobsAsync("cancel", request, cancellationToken);

    public Task<JobView?> CancelJobAsync(string jobId, CancellationToken cancellationToken) =>
        JobCallAsync("cancel job", HttpMethod.Post, jobId, "/cancel", cancellationToken);

    public Task<IReadOnlyList<string>> SubmitAsync(SubmitJobRequest job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        return SubmitCoreAsync(job, expected: 1, cancellationToken);
    }

    public Task<IReadOnlyList<string>> SubmitBatchAsync(IReadOnlyList<SubmitJobRequest> jobs, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        return SubmitCoreAsync(new SubmitJobBatchRequest(jobs), jobs.Count, cancellationToken);
    }

    public Task<JobView?> GetJobAsync(string jobId, CancellationToken cancellationToken) =>
        JobCallAsync("get job", HttpMethod.Get, jobId, string.Empty, cancellationToken);

    /// <summary>A call on one job (<c>v1/jobs/{job_id}{suffix}</c>) that answers the job; null when the server does not know it (404).</summary>
    private async Task<JobView?> JobCallAsync(string operation, HttpMethod method, string jobId, string suffix, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(jobId);
        using var message = new HttpRequestMessage(method, $"v1/jobs/{Uri.EscapeDataString(jobId)}{suffix}");
        using var response = await SendAsync(operation, message, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        return await ReadValueAsync<JobView>(operation, response, cancellationToken);
    }

    public async Task<JobListAnswer> ListJobsAsync(JobListQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var path = new System.Text.StringBuilder("v1/jobs?limit=").Append(query.Limit.ToString(System.Globalization.CultureInfo.InvariantCulture));
        foreach (var (name, value) in new[] { ("status", query.Status), ("op", query.Op), ("cursor", query.Cursor) })
        {
            if (value is not null)
            {
                path.Append('&').Append(name).Append('=').Append(Uri.EscapeDataString(value));
            }
        }

        var page = await SendForValueAsync<JobListAnswer>("list jobs", HttpMethod.Get, path.ToString(), body: null, accessToken: null, cancellationToken);
        return page.Jobs is null ? throw Malformed("list jobs", "jobs is missing") : page;
    }

    public async Task<StatsResponse> GetStatsAsync(CancellationToken cancellationToken)
    {
        var stats = await SendForValueAsync<StatsResponse>("stats", HttpMethod.Get, "v1/stats", body: null, accessToken: null, cancellationToken);
        if (stats.Jobs is null || stats.ByOp is null || stats.Bots is null)
        {
            throw Malformed("stats", "jobs, by_op or bots is missing");
        }

        return stats;
    }

    /// <summary>The registered bots (GET /v1/bots), with their assignments and the health their latest heartbeats reported.</summary>
    public async Task<BotListResponse> ListBotsAsync(CancellationToken cancellationToken)
    {
        var list = await SendForValueAsync<BotListResponse>("list bots", HttpMethod.Get, "v1/bots", body: null, accessToken: null, cancellationToken);
        return list.Bots is null ? throw Malformed("list bots", "bots is missing") : list;
    }

    private async Task<JobControlResponse> ControlJobsAsync(string action, JobSelectionRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var response = await SendForValueAsync<JobControlResponse>(action, HttpMethod.Post, $"v1/jobs/{action}", request, accessToken: null, cancellationToken);
        if (request.JobIds?.Distinct(StringComparer.Ordinal).Count() is { } ids && (response.Results is null || response.Results.Count != ids))
        {
            throw Malformed(action, $"expected {ids} result(s), got {response.Results?.Count.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"}");
        }

        return response;
    }

    private async Task<IReadOnlyList<string>> SubmitCoreAsync(object body, int expected, CancellationToken cancellationToken)
    {
        var response = await SendForValueAsync<SubmitJobsResponse>("submit", HttpMethod.Post, "v1/jobs", body, accessToken: null, cancellationToken);
        if (response.Ids is null || response.Ids.Count != expected)
        {
            throw Malformed("submit", $"expected {expected} id(s), got {response.Ids?.Count.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"}");
        }

        return response.Ids;
    }

    private async Task<ReportDelivery> ReportAsync(string action, string jobId, object body, string accessToken, CancellationToken cancellationToken)
    {
        using var message = CreateMessage(HttpMethod.Post, $"v1/jobs/{Uri.EscapeDataString(jobId)}/{action}", body, accessToken);
        using var response = await SendAsync(action, message, cancellationToken);
        switch (response.StatusCode)
        {
            case HttpStatusCode.Conflict:
                return ReportDelivery.Conflict;
            case HttpStatusCode.NotFound:
                return ReportDelivery.NotFound;
            default:
                // The body ({"status": "accepted"}) carries nothing the caller needs, but a non-2xx must still throw.
                await EnsureSuccessAsync(action, response, cancellationToken);
                return ReportDelivery.Accepted;
        }
    }

    private async Task<T> SendForValueAsync<T>(string operation, HttpMethod method, string path, object? body, string? accessToken, CancellationToken cancellationToken)
        where T : class
    {
        using var message = CreateMessage(method, path, body, accessToken);
        using var response = await SendAsync(operation, message, cancellationToken);
        return await ReadValueAsync<T>(operation, response, cancellationToken);
    }

    private static HttpRequestMessage CreateMessage(HttpMethod method, string path, object? body, string? accessToken)
    {
        var message = new HttpRequestMessage(method, path);
        message.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(JsonMediaType));
        if (accessToken is not null)
        {
            message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        }

        if (body is not null)
        {
            message.Content = JsonContent.Create(body, body.GetType(), new MediaTypeHeaderValue(JsonMediaType), JobApiJson.Options);
        }

        return message;
    }

    private async Task<HttpResponseMessage> SendAsync(string operation, HttpRequestMessage message, CancellationToken cancellationToken)
    {
        try
        {
            return await _httpClient.SendAsync(message, HttpCompletionOption.ResponseContentRead, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (OperationCanceledException ex)
        {
            // Not the caller's token: HttpClient.Timeout (or a handler's timeout) expired.
            LogNoAnswer(_logger, operation, ex);
            throw new JobApiException($"Job API {operation}: no answer within the timeout.", null, isTransient: true, null, ex);
        }
        catch (HttpRequestException ex)
        {
            LogNoAnswer(_logger, operation, ex);
            throw new JobApiException($"Job API {operation}: {ex.Message}", null, isTransient: true, null, ex);
        }
        catch (Polly.Timeout.TimeoutRejectedException ex)
        {
            // The resilience handler's per-attempt timeout (JobApiResilience) expired on the last attempt.
            LogNoAnswer(_logger, operation, ex);
            throw new JobApiException($"Job API {operation}: no answer within the timeout.", null, isTransient: true, null, ex);
        }
    }

    private async Task<T> ReadValueAsync<T>(string operation, HttpResponseMessage response, CancellationToken cancellationToken)
        where T : class
    {
        await EnsureSuccessAsync(operation, response, cancellationToken);
        T? value;
        try
        {
            value = await response.Content.ReadFromJsonAsync<T>(JobApiJson.Options, cancellationToken);
        }
        catch (JsonException ex)
        {
            throw Malformed(operation, ex.Message, response.StatusCode, ex);
        }
        catch (NotSupportedException ex)
        {
            // Thrown for a content type that is not JSON.
            throw Malformed(operation, ex.Message, response.StatusCode, ex);
        }

        return value ?? throw Malformed(operation, "the body is empty or null", response.StatusCode);
    }

    private async Task EnsureSuccessAsync(string operation, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        var status = response.StatusCode;
        var transient = status == HttpStatusCode.TooManyRequests || (int)status >= 500;
        var retryAfter = transient ? ReadRetryAfter(response) : null;
        var detail = await ReadProblemAsync(response, cancellationToken);
        LogRefused(_logger, operation, (int)status, detail);
        throw new JobApiException(
            $"Job API {operation} answered {(int)status} {response.ReasonPhrase}{(detail.Length > 0 ? ": " + detail : string.Empty)}",
            status,
            transient,
            retryAfter);
    }

    private TimeSpan? ReadRetryAfter(HttpResponseMessage response)
    {
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta)
        {
            return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
        }

        if (header?.Date is { } date)
        {
            var wait = date - _timeProvider.GetUtcNow();
            return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
        }

        return null;
    }

    /// <summary>Turns a problem+json body into "detail (field: message; …)"; any other body into its first characters.</summary>
    private static async Task<string> ReadProblemAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        string text;
        try
        {
            text = await response.Content.ReadAsStringAsync(cancellationToken);
        }
        catch (HttpRequestException)
        {
            return string.Empty;
        }

        if (string.IsNullOrWhiteSpace(text))
        {
            return string.Empty;
        }

        try
        {
            using var document = JsonDocument.Parse(text);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return Truncate(text);
            }

            var builder = new StringBuilder();
            if (TryGetString(root, "detail", out var detail) || TryGetString(root, "title", out detail))
            {
                builder.Append(detail);
            }

            if (root.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Object)
            {
                var fields = new List<string>();
                foreach (var field in errors.EnumerateObject())
                {
                    var messages = field.Value.ValueKind == JsonValueKind.Array
                        ? string.Join(", ", field.Value.EnumerateArray().Select(m => m.ToString()))
                        : field.Value.ToString();
                    fields.Add($"{field.Name}: {messages}");
                }

                if (fields.Count > 0)
                {
                    builder.Append(builder.Length > 0 ? " " : string.Empty).Append('(').AppendJoin("; ", fields).Append(')');
                }
            }

            return builder.Length > 0 ? builder.ToString() : Truncate(text);
        }
        catch (JsonException)
        {
            return Truncate(text);
        }
    }

    private static bool TryGetString(JsonElement root, string name, out string value)
    {
        if (root.TryGetProperty(name, out var element) && element.ValueKind == JsonValueKind.String && element.GetString() is { Length: > 0 } text)
        {
            value = text;
            return true;
        }

        value = string.Empty;
        return false;
    }

    private static string Truncate(string text) => text.Length <= 500 ? text : text[..500] + "…";

    private static JobApiException Malformed(string operation, string reason, HttpStatusCode? status = null, Exception? inner = null) =>
        new($"Job API {operation}: the answer could not be read ({reason}).", status, isTransient: false, null, inner);
}
