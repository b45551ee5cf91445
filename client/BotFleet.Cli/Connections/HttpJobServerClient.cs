using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using BotFleet.JobApi.Client;
using BotFleet.JobApi.Wire;

namespace BotFleet.Cli.Connections;

/// <summary>
/// The job API client plus GET /v1/jobs, which the shared client does not have yet; its failures are
/// <see cref="JobApiException"/>s shaped like the shared client's, so they are reported the same way.
/// </summary>
internal sealed class HttpJobServerClient(JobApiClient api, HttpClient http) : IJobServerClient
{
    public Task<IReadOnlyList<string>> SubmitAsync(SubmitJobRequest job, CancellationToken cancellationToken) => api.SubmitAsync(job, cancellationToken);

    public Task<IReadOnlyList<string>> SubmitBatchAsync(IReadOnlyList<SubmitJobRequest> jobs, CancellationToken cancellationToken) =>
        api.SubmitBatchAsync(jobs, cancellationToken);

    public Task<JobView?> GetJobAsync(string jobId, CancellationToken cancellationToken) => api.GetJobAsync(jobId, cancellationToken);

    public Task<StatsResponse> GetStatsAsync(CancellationToken cancellationToken) => api.GetStatsAsync(cancellationToken);

    public Task<BotAssignment?> UpdateAssignmentAsync(string botId, UpdateAssignmentRequest request, CancellationToken cancellationToken) =>
        api.UpdateAssignmentAsync(botId, request, cancellationToken);

    public async Task<JobPage> ListJobsAsync(JobListQuery query, CancellationToken cancellationToken)
    {
        const string operation = "list jobs";
        HttpResponseMessage response;
        try
        {
            response = await http.GetAsync(new Uri(ListPath(query), UriKind.Relative), cancellationToken);
        }
        catch (HttpRequestException ex)
        {
            throw new JobApiException($"Job API {operation}: {ex.Message}", null, isTransient: true, null, ex);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new JobApiException($"Job API {operation}: no answer within the timeout.", null, isTransient: true, null, ex);
        }

        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                var status = response.StatusCode;
                var body = await response.Content.ReadAsStringAsync(cancellationToken);
                throw new JobApiException(
                    $"Job API {operation} answered {(int)status} {response.ReasonPhrase}{Detail(body)}",
                    status,
                    isTransient: status == HttpStatusCode.TooManyRequests || (int)status >= 500);
            }

            try
            {
                var page = await response.Content.ReadFromJsonAsync<JobPage>(JobApiJson.Options, cancellationToken);
                return page is { Jobs: not null } ? page : throw new JsonException("field 'jobs' is missing");
            }
            catch (JsonException ex)
            {
                throw new JobApiException($"Job API {operation}: the answer could not be read ({ex.Message}).", response.StatusCode, isTransient: false, null, ex);
            }
        }
    }

    internal static string ListPath(JobListQuery query)
    {
        var path = new StringBuilder("v1/jobs?limit=").Append(query.Limit.ToString(CultureInfo.InvariantCulture));
        Append(path, "status", query.Status);
        Append(path, "op", query.Op);
        Append(path, "cursor", query.Cursor);
        return path.ToString();

        static void Append(StringBuilder path, string name, string? value)
        {
            if (value is not null)
            {
                path.Append('&').Append(name).Append('=').Append(Uri.EscapeDataString(value));
            }
        }
    }

    /// <summary>The problem's detail (and field errors) when the body is problem+json, so "cursor: Must be…" reaches the user.</summary>
    private static string Detail(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            var parts = new List<string>();
            if (root.TryGetProperty("detail", out var detail) && detail.ValueKind == JsonValueKind.String)
            {
                parts.Add(detail.GetString()!);
            }

            if (root.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Object)
            {
                parts.AddRange(errors.EnumerateObject().Select(field => $"{field.Name}: {string.Join(", ", field.Value.EnumerateArray().Select(m => m.ToString()))}"));
            }

            return parts.Count > 0 ? ": " + string.Join("; ", parts) : string.Empty;
        }
        catch (JsonException)
        {
            return string.Empty;
        }
        catch (InvalidOperationException)
        {
            return string.Empty;
        }
    }
}
