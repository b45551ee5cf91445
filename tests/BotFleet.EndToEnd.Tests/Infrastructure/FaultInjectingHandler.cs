using System.Net;
using System.Net.Http.Headers;

namespace BotFleet.EndToEnd.Tests.Infrastructure;

/// <summary>
/// Sits in the bots' HttpClient (inside the retry handler, so every attempt meets it) and answers
/// chosen requests with a fault: reports down, or chaos — a share of all calls failing in every way
/// a network and a job server can fail.
/// </summary>
public sealed class FaultInjectingHandler : DelegatingHandler
{
    private static readonly Lock Gate = new();
    private static volatile bool s_reportsDown;
    private static Random s_random = new(1);
    private static double s_chaosRate;
    private static int[] s_injected = new int[Enum.GetValues<ChaosFault>().Length];
    private static int s_claimAnswersToLose;

    /// <summary>When true, every report (complete, fail, or a batch) gets a 503 without reaching the server.</summary>
    public static bool ReportsDown
    {
        get => s_reportsDown;
        set => s_reportsDown = value;
    }

    /// <summary>How long a "slow" answer is held back: longer than the test silo's attempt timeout.</summary>
    public static TimeSpan SlowAnswerDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Makes that share (0..1) of all calls fail, with a fixed seed so a failing run can be replayed.</summary>
    public static void StartChaos(double rate, int seed)
    {
        lock (Gate)
        {
            s_random = new Random(seed);
            s_chaosRate = rate;
            s_injected = new int[s_injected.Length];
        }
    }

    /// <summary>
    /// The next <paramref name="count"/> claims reach the server (which leases jobs), but their answers never reach
    /// the bot. Returns a way to read how many are still to be lost.
    /// </summary>
    public static Func<int> LoseNextClaimAnswers(int count)
    {
        Volatile.Write(ref s_claimAnswersToLose, count);
        return () => Volatile.Read(ref s_claimAnswersToLose);
    }

    /// <summary>Ends chaos and says how many of each fault were injected.</summary>
    public static IReadOnlyDictionary<ChaosFault, int> StopChaos()
    {
        lock (Gate)
        {
            s_chaosRate = 0;
            return Enum.GetValues<ChaosFault>().ToDictionary(f => f, f => s_injected[(int)f]);
        }
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var path = request.RequestUri?.AbsolutePath ?? "";
        if (ReportsDown && (path.EndsWith("/complete", StringComparison.Ordinal) || path.EndsWith("/fail", StringComparison.Ordinal) || path.EndsWith("/v1/jobs/reports", StringComparison.Ordinal)))
        {
            return Answer(request, HttpStatusCode.ServiceUnavailable);
        }

        var fault = path.EndsWith("/v1/jobs/claim", StringComparison.Ordinal) && Interlocked.Decrement(ref s_claimAnswersToLose) >= 0
            ? ChaosFault.AnswerLost
            : NextFault();
        switch (fault)
        {
            case ChaosFault.TooManyRequests:
                var limited = Answer(request, HttpStatusCode.TooManyRequests);
                limited.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromSeconds(1));
                return limited;
            case ChaosFault.Unavailable:
                return Answer(request, HttpStatusCode.ServiceUnavailable);
            case ChaosFault.ServerError:
                return Answer(request, HttpStatusCode.InternalServerError);
            case ChaosFault.Unauthorized:
                return Answer(request, HttpStatusCode.Unauthorized);
            case ChaosFault.ConnectionRefused:
                throw new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused (injected)");
            case ChaosFault.AnswerLost:
                // The server did the work; the answer never arrives in time (the attempt times out).
                var answered = await base.SendAsync(request, cancellationToken);
                answered.Dispose();
                await Task.Delay(SlowAnswerDelay, cancellationToken);
                throw new HttpRequestException(HttpRequestError.ResponseEnded, "Connection dropped after the request (injected)");
            default:
                return await base.SendAsync(request, cancellationToken);
        }
    }

    private static ChaosFault? NextFault()
    {
        lock (Gate)
        {
            if (s_chaosRate <= 0 || s_random.NextDouble() >= s_chaosRate)
            {
                return null;
            }

            var fault = (ChaosFault)s_random.Next(s_injected.Length);
            s_injected[(int)fault]++;
            return fault;
        }
    }

    private static HttpResponseMessage Answer(HttpRequestMessage request, HttpStatusCode status) =>
        new(status) { RequestMessage = request, Content = new StringContent("{}", System.Text.Encoding.UTF8, "application/problem+json") };
}

public enum ChaosFault
{
    TooManyRequests,
    Unavailable,
    ServerError,
    Unauthorized,
    ConnectionRefused,
    AnswerLost,
}
