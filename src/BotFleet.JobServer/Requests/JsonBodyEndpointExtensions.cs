using System.Text.Json;
using BotFleet.JobServer.Apis;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace BotFleet.JobServer.Requests;

/// <summary>How an endpoint declares the JSON body it takes, once, beside its route.</summary>
internal static class JsonBodyEndpointExtensions
{
    /// <summary>
    /// The endpoint takes a JSON body shaped as <typeparamref name="TWire"/> (documented in OpenAPI), checked by
    /// <paramref name="parse"/> into the <see cref="ValidBody{T}"/> its handler names; a refused body is answered before
    /// the handler runs. <paramref name="optional"/>: a request without a body is read as <c>{}</c>. Call it after the
    /// endpoint's access filters (RequireBotToken, RequireProducerAccess …): filters run in the order they were added,
    /// and a caller the access check refuses must cost no read of its body.
    /// </summary>
    public static RouteHandlerBuilder TakesJsonBody<TWire, T>(
        this RouteHandlerBuilder builder,
        Func<JsonElement, RequestErrors, JobServerOptions, T?> parse,
        bool optional = false)
        where T : class =>
        builder
            .DocumentsJsonBody<TWire>(required: !optional)
            .WithMetadata(new JsonBodyParser<T>(parse, optional))
            .AddEndpointFilter<RouteHandlerBuilder, RefuseInvalidBodies>();
}
