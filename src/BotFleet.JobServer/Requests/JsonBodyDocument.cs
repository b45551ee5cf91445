using System.Text.Json;

namespace BotFleet.JobServer.Requests;

/// <summary>A parsed request body: the document reads the pooled bytes in place, so both go back together.</summary>
internal sealed class JsonBodyDocument(JsonDocument document, PooledBody body) : IDisposable
{
    public JsonElement RootElement => document.RootElement;

    public void Dispose()
    {
        document.Dispose();
        body.Dispose();
    }
}
