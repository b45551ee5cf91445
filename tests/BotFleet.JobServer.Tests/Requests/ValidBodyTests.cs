using System.Collections.Concurrent;
using System.Net;
using BotFleet.JobServer.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace BotFleet.JobServer.Tests.Requests;

/// <summary>
/// How an endpoint takes its body (<c>ValidBody</c>, <c>TakesJsonBody</c>): after the endpoint's access check, so a caller
/// who may not call costs no read of the body; a refused body is answered with its problem and logged once.
/// </summary>
public sealed class ValidBodyTests(ValidBodyTests.LoggingFixture server) : IClassFixture<ValidBodyTests.LoggingFixture>
{
    private const string BadClaim = """{"bot_id":"bot_x","operations":["sum"],"limit":0}""";

    [Fact]
    public async Task ABodyWithoutAToken_Answers401_AndTheBodyIsNeverRead()
    {
        var bot = await server.Client.RegisterAsync("sum");
        server.Logs.Clear();

        using var refused = await SendWatchedAsync("without-token", null);
        using var read = await SendWatchedAsync("with-token", bot.Auth.AccessToken);

        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal(0, server.BodyBytesRead("without-token"));
        // The probe sees reads: the same body with a token is read whole (and refused for its limit).
        Assert.Equal(HttpStatusCode.BadRequest, read.StatusCode);
        Assert.Equal(BadClaim.Length, server.BodyBytesRead("with-token"));
        Assert.Single(server.Logs.GetSnapshot(), r => r.Id.Id == JobServerLogEvents.RequestBodyRefused);
    }

    [Fact]
    public async Task ABadBodyWithAToken_Answers400NamingTheField_AndIsLoggedOnce()
    {
        var bot = await server.Client.RegisterAsync("sum");
        server.Logs.Clear();

        using var response = await server.Http.PostJsonAsync("v1/jobs/claim", BadClaim, bot.Auth.AccessToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(["limit"], (await response.ReadErrorsAsync()).Keys);
        var refused = Assert.Single(server.Logs.GetSnapshot(), r => r.Id.Id == JobServerLogEvents.RequestBodyRefused);
        Assert.Equal("POST /v1/jobs/claim refused a request body with 400", refused.Message);
        Assert.Equal(LogLevel.Debug, refused.Level);
    }

    [Fact]
    public async Task AnOptionalBody_MayBeLeftOut_AndIsCheckedWhenSent()
    {
        // Requeue takes an optional body: without one it is read as {}, and a bad one is still refused.
        using var withoutBody = await server.Http.PostAsync("v1/jobs/job_missing/requeue", null, TestJobs.Token);
        using var badBody = await server.Http.PostJsonAsync("v1/jobs/job_missing/requeue", """{"attempts":0}""");

        Assert.Equal(HttpStatusCode.NotFound, withoutBody.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badBody.StatusCode);
        Assert.Equal(["attempts"], (await badBody.ReadErrorsAsync()).Keys);
    }

    private async Task<HttpResponseMessage> SendWatchedAsync(string probe, string? accessToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/jobs/claim") { Content = new StringContent(BadClaim, System.Text.Encoding.UTF8, "application/json") };
        request.Headers.Add(LoggingFixture.ProbeHeader, probe);
        if (accessToken is not null)
        {
            request.Headers.Authorization = new("Bearer", accessToken);
        }

        return await server.Http.SendAsync(request, TestJobs.Token);
    }

    /// <summary>The job server with its logs collected, and a probe of how much of each marked request's body the server read.</summary>
    public sealed class LoggingFixture : JobServerFixture
    {
        public const string ProbeHeader = "X-Test-Probe";

        private readonly ConcurrentDictionary<string, long> _bodyBytesRead = new(StringComparer.Ordinal);

        public FakeLogCollector Logs => App.Services.GetFakeLogCollector();

        public long BodyBytesRead(string probe) => _bodyBytesRead.GetValueOrDefault(probe);

        protected override void ConfigureServices(IServiceCollection services)
        {
            services.AddLogging(logging => logging.AddFakeLogging());
            services.AddSingleton<IStartupFilter>(new WatchBodies(_bodyBytesRead));
        }

        protected override IEnumerable<(string Key, string Value)> HostSettings() =>
            [("Logging:LogLevel:BotFleet.JobServer.Requests.RefuseInvalidBodies", "Debug")];
    }

    /// <summary>Counts the bytes the server reads of each request marked with <see cref="LoggingFixture.ProbeHeader"/>, in front of the whole pipeline.</summary>
    private sealed class WatchBodies(ConcurrentDictionary<string, long> bytesRead) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, inner) =>
            {
                if (context.Request.Headers[LoggingFixture.ProbeHeader].ToString() is { Length: > 0 } probe)
                {
                    bytesRead.TryAdd(probe, 0);
                    context.Request.Body = new CountingStream(context.Request.Body, n => bytesRead.AddOrUpdate(probe, n, (_, total) => total + n));
                }

                return inner(context);
            });
            next(app);
        };
    }

    private sealed class CountingStream(Stream inner, Action<int> counted) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var read = await inner.ReadAsync(buffer, cancellationToken);
            counted(read);
            return read;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override int Read(byte[] buffer, int offset, int count)
        {
            var read = inner.Read(buffer, offset, count);
            counted(read);
            return read;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
