using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace BotFleet.LoadBench.Api;

/// <summary>
/// The producer side of the job API over loopback HTTP: submit, stats, one job, readiness. A 429 is waited out
/// (Retry-After) and counted, never fatal; every call has a timeout.
/// </summary>
internal sealed class JobApiDriver : IDisposable
{
    private readonly HttpClient _http;
    private long _tooManyRequests;

    public JobApiDriver(Uri baseAddress)
    {
        BaseAddress = baseAddress;
        _http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(10), MaxConnectionsPerServer = 16 })
        {
            BaseAddress = baseAddress,
            Timeout = TimeSpan.FromSeconds(30),
        };
    }

    public Uri BaseAddress { get; }

    /// <summary>429 answers the harness itself received.</summary>
    public long TooManyRequests => Interlocked.Read(ref _tooManyRequests);

    public async Task<bool> IsReadyAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var response = await _http.GetAsync("health/ready", cancellationToken);
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    public async Task<IReadOnlyList<string>> SubmitAsync(IReadOnlyList<SubmitJob> jobs, CancellationToken cancellationToken)
    {
        object body = jobs.Count == 1 ? jobs[0] : new SubmitBatch(jobs);
        using var answer = await SendAsync(() => new HttpRequestMessage(HttpMethod.Post, "v1/jobs") { Content = JsonContent.Create(body, options: JobApiJson.Options) }, cancellationToken);
        return (await answer.Content.ReadFromJsonAsync<SubmitAnswer>(JobApiJson.Options, cancellationToken))?.Ids
            ?? throw new BenchException("POST /v1/jobs answered without ids.");
    }

    public async Task<StatsAnswer> GetStatsAsync(CancellationToken cancellationToken)
    {
        using var answer = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, "v1/stats"), cancellationToken);
        return await answer.Content.ReadFromJsonAsync<StatsAnswer>(JobApiJson.Options, cancellationToken)
            ?? throw new BenchException("GET /v1/stats answered an empty body.");
    }

    public async Task<JobWire> GetJobAsync(string id, CancellationToken cancellationToken)
    {
        using var answer = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, $"v1/jobs/{Uri.EscapeDataString(id)}"), cancellationToken);
        return await answer.Content.ReadFromJsonAsync<JobWire>(JobApiJson.Options, cancellationToken)
            ?? throw new BenchException($"GET /v1/jobs/{id} answered an empty body.");
    }

    public void Dispose() => _http.Dispose();

    private async Task<HttpResponseMessage> SendAsync(Func<HttpRequestMessage> request, CancellationToken cancellationToken)
    {
        while (true)
        {
            using var message = request();
            HttpResponseMessage response;
            try
            {
                response = await _http.SendAsync(message, cancellationToken);
            }
            catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
            {
                throw new BenchException($"{message.Method} {message.RequestUri} got no answer within {_http.Timeout.TotalSeconds:0} s.", ex);
            }
            catch (HttpRequestException ex)
            {
                throw new BenchException($"{message.Method} {message.RequestUri} failed: {ex.Message}", ex);
            }

            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                Interlocked.Increment(ref _tooManyRequests);
                var wait = response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1);
                response.Dispose();
                await Task.Delay(wait, cancellationToken);
                continue;
            }

            if (!response.IsSuccessStatusCode)
            {
                var text = await response.Content.ReadAsStringAsync(cancellationToken);
                response.Dispose();
                throw new BenchException($"{message.Method} {message.RequestUri} answered {(int)response.StatusCode}: {text}");
            }

            return response;
        }
    }

    /// <summary>A sum job's payload {"a": i, "b": 1}.</summary>
    public static SubmitJob SumJob(int i) => new("sum", JsonSerializer.SerializeToElement(new { a = i, b = 1 }));
}
