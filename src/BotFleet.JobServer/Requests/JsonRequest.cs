using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BotFleet.JobServer.Requests;

/// <summary>A request body that was read and validated, or the problem to answer instead.</summary>
internal readonly struct ParsedRequest<T>
    where T : class
{
    private ParsedRequest(T? value, ProblemHttpResult? problem)
    {
        Value = value;
        Problem = problem;
    }

    public T? Value { get; }

    public ProblemHttpResult? Problem { get; }

    [MemberNotNullWhen(true, nameof(Value))]
    [MemberNotNullWhen(false, nameof(Problem))]
    public bool Succeeded => Value is not null;

    public static ParsedRequest<T> Of(T value) => new(value, null);

    public static ParsedRequest<T> Refused(ProblemHttpResult problem) => new(null, problem);
}

/// <summary>Reads a JSON object body and runs a parser over it: the one way every endpoint takes a body.</summary>
internal static class JsonRequest
{
    /// <param name="parse">Validates the root object; records each bad field in the errors and returns null when there is any.</param>
    /// <param name="onRefused">Told the status of a refusal (400 or 413), for the caller's log.</param>
    public static async Task<ParsedRequest<T>> ReadAsync<T>(
        HttpContext context,
        long maxBytes,
        Func<JsonElement, RequestErrors, T?> parse,
        Action<int?> onRefused,
        CancellationToken cancellationToken)
        where T : class
    {
        var (document, problem) = await JsonBody.ReadObjectAsync(context, maxBytes, cancellationToken);
        if (problem is not null)
        {
            onRefused(problem.StatusCode);
            return ParsedRequest<T>.Refused(problem);
        }

        // Parsers copy what they keep (strings, compact JSON text), so the document can go at once.
        using (document)
        {
            var errors = new RequestErrors();
            var value = parse(document!.RootElement, errors);
            if (value is null || errors.HasErrors)
            {
                var invalid = Problems.Invalid(errors);
                onRefused(invalid.StatusCode);
                return ParsedRequest<T>.Refused(invalid);
            }

            return ParsedRequest<T>.Of(value);
        }
    }
}
