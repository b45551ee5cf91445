namespace BotFleet.JobApi.Client.Tests;

/// <summary>Answers every request through a delegate and keeps the last request for inspection.</summary>
internal sealed class StubHandler(Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> answer) : HttpMessageHandler
{
    public HttpRequestMessage? LastRequest { get; private set; }

    public string? LastBody { get; private set; }

    public static StubHandler Answering(Func<HttpResponseMessage> response) => new((_, _) => Task.FromResult(response()));

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        LastRequest = request;
        LastBody = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
        return await answer(request, cancellationToken);
    }
}
