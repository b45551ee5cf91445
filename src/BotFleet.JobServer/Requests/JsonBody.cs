using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BotFleet.JobServer.Requests;

/// <summary>
/// Reads a request body as a JSON object ourselves rather than through minimal-API binding,
/// so an unreadable body or a field of the wrong type becomes a 400 that names the field.
/// </summary>
internal static class JsonBody
{
    public const string Field = "body";

    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 64 };

    /// <returns>The document (caller disposes), or the problem to answer with.</returns>
    public static async Task<(JsonDocument? Document, ProblemHttpResult? Problem)> ReadObjectAsync(HttpContext context, long maxBytes, CancellationToken cancellationToken)
    {
        var request = context.Request;
        if (request.ContentLength > maxBytes)
        {
            return (null, Problems.TooLarge($"The request body is {request.ContentLength} bytes; at most {maxBytes} are accepted."));
        }

        // Let Kestrel enforce our limit instead of its own default (30 MB).
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = maxBytes;
        }

        byte[] body;
        try
        {
            using var buffer = new MemoryStream();
            var chunk = new byte[16 * 1024];
            int read;
            while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
            {
                if (buffer.Length + read > maxBytes)
                {
                    return (null, Problems.TooLarge($"The request body exceeds {maxBytes} bytes."));
                }

                buffer.Write(chunk, 0, read);
            }

            body = buffer.ToArray();
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, Problems.TooLarge($"The request body exceeds {maxBytes} bytes."));
        }
        catch (BadHttpRequestException ex)
        {
            return (null, Problems.Invalid(Field, $"The body could not be read: {ex.Message}"));
        }

        if (body.Length == 0)
        {
            return (null, Problems.Invalid(Field, "A JSON object is required."));
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, DocumentOptions);
        }
        catch (JsonException ex)
        {
            return (null, Problems.Invalid(Field, $"Invalid JSON: {ex.Message}"));
        }

        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            var kind = JsonFields.Describe(document.RootElement.ValueKind);
            document.Dispose();
            return (null, Problems.Invalid(Field, $"Must be a JSON object, got {kind}."));
        }

        if (FindInvalidText(document.RootElement, string.Empty) is { } badField)
        {
            document.Dispose();
            return (null, Problems.Invalid(badField, "Holds text that is not valid UTF-16 (a lone surrogate escape)."));
        }

        return (document, null);
    }

    /// <summary>
    /// The path of the first string or property name that cannot become a .NET string (a lone
    /// "\ud800" escape is valid JSON but not valid text); checked once here so no later read throws.
    /// </summary>
    private static string? FindInvalidText(JsonElement element, string path)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    string name;
                    try
                    {
                        name = property.Name;
                    }
                    catch (InvalidOperationException)
                    {
                        return path.Length == 0 ? Field : path;
                    }

                    if (FindInvalidText(property.Value, path.Length == 0 ? name : path + "." + name) is { } found)
                    {
                        return found;
                    }
                }

                return null;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    if (FindInvalidText(item, $"{path}[{index++}]") is { } found)
                    {
                        return found;
                    }
                }

                return null;
            case JsonValueKind.String:
                try
                {
                    _ = element.GetString();
                    return null;
                }
                catch (InvalidOperationException)
                {
                    return path;
                }

            default:
                return null;
        }
    }
}
