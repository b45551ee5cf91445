using System.Text.Json;
using System.Text.Unicode;
using BotFleet.JobApi.Contracts;
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
    public static async Task<(JsonBodyDocument? Document, ProblemHttpResult? Problem)> ReadObjectAsync(HttpContext context, long maxBytes, CancellationToken cancellationToken)
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

        // One release point: the pooled bytes (and the document reading them) go back unless handed to the caller.
        var body = new PooledBody();
        JsonDocument? document = null;
        var handedOver = false;
        try
        {
            if (await ReadAsync(request, body, maxBytes, cancellationToken) is { } unreadable)
            {
                return (null, unreadable);
            }

            if (body.Length == 0)
            {
                return (null, Problems.Invalid(Field, "A JSON object is required."));
            }

            try
            {
                document = JsonDocument.Parse(body.Memory, DocumentOptions);
            }
            catch (JsonException ex)
            {
                return (null, Problems.Invalid(Field, $"Invalid JSON: {ex.Message}"));
            }

            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return (null, Problems.Invalid(Field, $"Must be a JSON object, got {JsonKinds.Describe(document.RootElement.ValueKind)}."));
            }

            if (MayHoldInvalidText(body.Memory.Span) && FindInvalidText(document.RootElement, string.Empty) is { } badField)
            {
                return (null, Problems.Invalid(badField, "Holds text that is not valid UTF-16 (a lone surrogate escape)."));
            }

            handedOver = true;
            return (new JsonBodyDocument(document, body), null);
        }
        finally
        {
            if (!handedOver)
            {
                document?.Dispose();
                body.Dispose();
            }
        }
    }

    /// <returns>Null when the whole body is in <paramref name="body"/>; otherwise the problem to answer with.</returns>
    private static async Task<ProblemHttpResult?> ReadAsync(HttpRequest request, PooledBody body, long maxBytes, CancellationToken cancellationToken)
    {
        try
        {
            // Sized by Content-Length when the client sent one; pooled, so a large batch costs no fresh (LOH) array.
            body.Reserve(request.ContentLength is > 0 and var length ? (int)length : 16 * 1024);
            int read;
            while ((read = await request.Body.ReadAsync(body.FreeSpace(), cancellationToken)) > 0)
            {
                if (body.Length + read > maxBytes)
                {
                    return Problems.TooLarge($"The request body exceeds {maxBytes} bytes.");
                }

                body.Advance(read);
            }

            return null;
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return Problems.TooLarge($"The request body exceeds {maxBytes} bytes.");
        }
        catch (BadHttpRequestException ex)
        {
            return Problems.Invalid(Field, $"The body could not be read: {ex.Message}");
        }
    }

    /// <summary>
    /// False when no string of the body can fail to become a .NET string: the bytes are valid UTF-8 and hold no
    /// escaped surrogate ("\uD800"–"\uDFFF"). Only then is the walk that names the field needed (it reads every
    /// string and builds every path, the cost of a whole second parse).
    /// </summary>
    private static bool MayHoldInvalidText(ReadOnlySpan<byte> json)
    {
        if (!Utf8.IsValid(json))
        {
            return true;
        }

        while (json.IndexOf("\\u"u8) is var at and >= 0)
        {
            var hex = json[(at + 2)..];
            if (hex.Length >= 2
                && hex[0] is (byte)'d' or (byte)'D'
                && hex[1] is (>= (byte)'8' and <= (byte)'9') or (>= (byte)'a' and <= (byte)'f') or (>= (byte)'A' and <= (byte)'F'))
            {
                return true;
            }

            json = hex;
        }

        return false;
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
