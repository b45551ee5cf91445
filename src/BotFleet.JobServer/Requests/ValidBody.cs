using System.Reflection;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace BotFleet.JobServer.Requests;

/// <summary>A request body that <see cref="RefuseInvalidBodies"/> reads and checks before the endpoint runs.</summary>
internal interface IUncheckedBody
{
    /// <summary>Reads and checks the body; the problem to answer instead of running the endpoint, or null.</summary>
    ValueTask<ProblemHttpResult?> CheckAsync();
}

/// <summary>
/// The one way an endpoint takes a JSON body: a handler parameter of this type, checked by the parser its endpoint
/// declares (<see cref="JsonBodyEndpointExtensions.TakesJsonBody{TWire, T}"/>). Binding only finds that parser; the
/// body is read by <see cref="RefuseInvalidBodies"/>, which runs after the endpoint's access filters (so a caller that
/// may not call costs no parse) and answers a refused body's problem (400 naming each bad field, or 413) itself. The
/// handler sees only a valid <see cref="Value"/>.
/// </summary>
internal sealed class ValidBody<T> : IUncheckedBody
    where T : class
{
    private static readonly JsonElement EmptyObject = JsonElement.Parse("{}");

    private readonly HttpContext _context;
    private readonly JsonBodyParser<T> _parser;
    private T? _value;

    private ValidBody(HttpContext context, JsonBodyParser<T> parser)
    {
        _context = context;
        _parser = parser;
    }

    /// <summary>The checked body.</summary>
    public T Value => _value ?? throw new InvalidOperationException("The body has not been checked: the endpoint lacks RefuseInvalidBodies (TakesJsonBody adds it).");

    public static ValueTask<ValidBody<T>?> BindAsync(HttpContext context, ParameterInfo parameter)
    {
        var parser = context.GetEndpoint()?.Metadata.GetMetadata<JsonBodyParser<T>>()
            ?? throw new InvalidOperationException($"The endpoint takes {parameter.Name} as a ValidBody<{typeof(T).Name}> but declares no parser for it (TakesJsonBody).");
        return ValueTask.FromResult<ValidBody<T>?>(new(context, parser));
    }

    public async ValueTask<ProblemHttpResult?> CheckAsync()
    {
        var options = _context.RequestServices.GetRequiredService<IOptions<JobServerOptions>>().Value;
        if (_parser.Optional && !HasBody(_context.Request))
        {
            return Check(EmptyObject, options);
        }

        var (document, problem) = await JsonBody.ReadObjectAsync(_context, options.MaxRequestBytes, _context.RequestAborted);
        if (problem is not null)
        {
            return problem;
        }

        // Parsers copy what they keep (strings, compact JSON text), so the document can go at once.
        using (document)
        {
            return Check(document!.RootElement, options);
        }
    }

    private ProblemHttpResult? Check(JsonElement root, JobServerOptions options)
    {
        var errors = new RequestErrors();
        var value = _parser.Parse(root, errors, options);
        if (value is null || errors.HasErrors)
        {
            return Problems.Invalid(errors);
        }

        _value = value;
        return null;
    }

    private static bool HasBody(HttpRequest request) => request.ContentLength > 0 || (request.ContentLength is null && request.Headers.TransferEncoding.Count > 0);
}
