using System.Text.Json;

namespace BotFleet.JobServer.Requests;

/// <summary>
/// Endpoint metadata, added by <see cref="JsonBodyEndpointExtensions.TakesJsonBody{TWire, T}"/>: how the endpoint's JSON
/// body is checked. <see cref="ValidBody{T}"/> reads it when it binds the body.
/// </summary>
/// <param name="Parse">Checks the root object; records each bad field in the errors and returns null when there is any.</param>
/// <param name="Optional">A request without a body is read as <c>{}</c> rather than refused.</param>
internal sealed record JsonBodyParser<T>(Func<JsonElement, RequestErrors, JobServerOptions, T?> Parse, bool Optional)
    where T : class;
