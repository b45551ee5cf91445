using System.Net;
using System.Text.Json;
using BotFleet.JobApi.Contracts;
using BotFleet.JobServer.Tests.Infrastructure;

namespace BotFleet.JobServer.Tests.Apis;

public sealed class SubmitTests(JobServerFixture server) : IClassFixture<JobServerFixture>
{
    [Fact]
    public async Task Submit_SingleJob_Answers201WithIdAndStoresJob()
    {
        var op = TestJobs.NewOp("single");

        using var response = await server.Http.PostJsonAsync("v1/jobs", $$"""{"op":"{{op}}","payload":{"a":42,"b":58},"priority":"low","max_attempts":7}""");
        var ids = JsonSerializer.Deserialize<SubmitJobsResponse>(await response.Content.ReadAsStringAsync(TestJobs.Token), JobApiJson.Options)!.Ids;
        var job = await server.Client.GetJobAsync(ids.Single(), TestJobs.Token);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Matches("^job_[0-9a-f]{32}$", ids.Single());
        Assert.Equal(op, job!.Op);
        Assert.Equal("""{"a":42,"b":58}""", job.Payload.GetRawText());
        Assert.Equal(JobStatuses.Pending, job.Status);
        Assert.Equal("low", job.Priority);
        Assert.Equal(0, job.Attempt);
        Assert.Equal(7, job.MaxAttempts);
        Assert.Null(job.Result);
        Assert.Empty(job.Attempts);
        Assert.Equal(server.Time.GetUtcNow(), job.CreatedAt);
        Assert.Equal(server.Time.GetUtcNow(), job.UpdatedAt);
    }

    [Fact]
    public async Task Submit_WithoutOptionalFields_UsesDefaults()
    {
        var op = TestJobs.NewOp("defaults");

        var job = await server.Client.GetJobAsync(await server.Client.SubmitOneAsync(op), TestJobs.Token);

        Assert.Equal("normal", job!.Priority);
        Assert.Equal(5, job.MaxAttempts);
    }

    [Fact]
    public async Task Submit_SameIdempotencyKeyTwice_ReturnsExistingId()
    {
        var op = TestJobs.NewOp("idempotent");
        var key = Guid.NewGuid().ToString();

        var first = await server.Client.SubmitAsync(new SubmitJobRequest(op, TestJobs.Payload(1), IdempotencyKey: key), TestJobs.Token);
        var second = await server.Client.SubmitAsync(new SubmitJobRequest(op, TestJobs.Payload(2), IdempotencyKey: key), TestJobs.Token);
        var inBatch = await server.Client.SubmitBatchAsync(
            [new SubmitJobRequest(op, TestJobs.Payload(3), IdempotencyKey: key), new SubmitJobRequest(op, TestJobs.Payload(4))], TestJobs.Token);

        Assert.Equal(first, second);
        Assert.Equal(first.Single(), inBatch[0]);
        Assert.NotEqual(first.Single(), inBatch[1]);
        Assert.Equal(1, (await server.Client.GetJobAsync(first.Single(), TestJobs.Token))!.Payload.GetProperty("n").GetInt32());
    }

    [Fact]
    public async Task Submit_DuplicateKeysWithinOneBatch_CreateOneJob()
    {
        var op = TestJobs.NewOp("dup-batch");
        var key = Guid.NewGuid().ToString();

        var ids = await server.Client.SubmitBatchAsync(
            [new SubmitJobRequest(op, TestJobs.Payload(1), IdempotencyKey: key), new SubmitJobRequest(op, TestJobs.Payload(2), IdempotencyKey: key)], TestJobs.Token);

        Assert.Equal(ids[0], ids[1]);
    }

    [Fact]
    public async Task SubmitBatch_ThousandJobs_StoresAllInOrder()
    {
        var op = TestJobs.NewOp("thousand");
        var jobs = Enumerable.Range(0, 1000).Select(i => new SubmitJobRequest(op, TestJobs.Payload(i))).ToList();

        var ids = await server.Client.SubmitBatchAsync(jobs, TestJobs.Token);

        Assert.Equal(1000, ids.Count);
        Assert.Equal(1000, ids.Distinct().Count());
        Assert.Equal(new JobStatusCounts(1000, 0, 0, 0), (await server.Client.GetStatsAsync(TestJobs.Token)).ByOp[op]);
        Assert.Equal(999, (await server.Client.GetJobAsync(ids[999], TestJobs.Token))!.Payload.GetProperty("n").GetInt32());
    }

    [Fact]
    public async Task GetJob_UnknownId_IsNullThrough404()
    {
        using var response = await server.Http.GetAsync("v1/jobs/job_missing", TestJobs.Token);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Null(await server.Client.GetJobAsync("job_missing", TestJobs.Token));
    }

    [Fact]
    public async Task ListJobs_PagedByCursor_ReturnsEveryJobOnce()
    {
        var op = TestJobs.NewOp("list");
        var ids = await server.Client.SubmitBatchAsync(
            Enumerable.Range(0, 5).Select(i => new SubmitJobRequest(op, TestJobs.Payload(i))).ToList(), TestJobs.Token);
        var seen = new List<string>();
        string? cursor = null;

        do
        {
            var url = $"v1/jobs?op={op}&status=pending&limit=2" + (cursor is null ? string.Empty : "&cursor=" + cursor);
            using var document = JsonDocument.Parse(await server.Http.GetStringAsync(url, TestJobs.Token));
            seen.AddRange(document.RootElement.GetProperty("jobs").EnumerateArray().Select(j => j.GetProperty("id").GetString()!));
            cursor = document.RootElement.TryGetProperty("cursor", out var next) ? next.GetString() : null;
        }
        while (cursor is not null);

        Assert.Equal(ids, seen);
    }
}
