namespace BotFleet.LoadBench.Proxy;

/// <summary>Sorts an HTTP request line ("POST /v1/jobs/claim HTTP/1.1") into a <see cref="RequestKind"/>.</summary>
internal static class RequestLine
{
    public static RequestKind Classify(string line)
    {
        var parts = line.Split(' ', 3);
        if (parts.Length < 2)
        {
            return RequestKind.Other;
        }

        var (method, target) = (parts[0], parts[1]);
        var query = target.IndexOf('?', StringComparison.Ordinal);
        var path = (query < 0 ? target : target[..query]).TrimEnd('/');
        return method switch
        {
            "POST" when path == "/v1/jobs/claim" => RequestKind.Claim,
            "POST" when path == "/v1/bots/register" => RequestKind.Register,
            "POST" when path == "/v1/jobs/reports" => RequestKind.Report,
            "POST" when path == "/v1/bots/heartbeats" => RequestKind.Heartbeat,
            "POST" when path.StartsWith("/v1/jobs/", StringComparison.Ordinal)
                && (path.EndsWith("/complete", StringComparison.Ordinal) || path.EndsWith("/fail", StringComparison.Ordinal)) => RequestKind.Report,
            "PUT" or "POST" when path.StartsWith("/v1/bots/", StringComparison.Ordinal) && path.EndsWith("/heartbeat", StringComparison.Ordinal) => RequestKind.Heartbeat,
            _ => RequestKind.Other,
        };
    }
}
