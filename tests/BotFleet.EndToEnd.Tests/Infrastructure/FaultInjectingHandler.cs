using System.Net;

namespace BotFleet.EndToEnd.Tests.Infrastructure;

/// <summary>Sits in the bots' HttpClient and answers chosen requests with a fault instead of sending them.</summary>
public sealed class FaultInjectingHandler : DelegatingHandler
{
    private static volatile bool s_reportsDown;

    /// <summary>When true, every report (complete, fail, or a batch) gets a 503 without reaching the server.</summary>
    public static bool ReportsDown
    {
        get => s_reportsDown;
        set => s_reportsDown = value;
    }

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var path = request.RequestUri?.AbsolutePath ?? "";
        if (ReportsDown && (path.EndsWith("/complete", StringComparison.Ordinal) || path.EndsWith("/fail", StringComparison.Ordinal) || path.EndsWith("/v1/jobs/reports", StringComparison.Ordinal)))
        {
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.ServiceUnavailable) { RequestMessage = request });
        }

        return base.SendAsync(request, cancellationToken);
    }
}
