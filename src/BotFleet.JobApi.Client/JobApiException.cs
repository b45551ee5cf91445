using System.Net;

namespace BotFleet.JobApi.Client;

/// <summary>A job API call that did not get a usable answer.</summary>
public sealed class JobApiException : Exception
{
    public JobApiException(string message, HttpStatusCode? statusCode, bool isTransient, TimeSpan? retryAfter = null, Exception? innerException = null)
        : base(message, innerException)
    {
        StatusCode = statusCode;
        IsTransient = isTransient;
        RetryAfter = retryAfter;
    }

    public JobApiException()
        : this("The job API call failed.", null, isTransient: true)
    {
    }

    public JobApiException(string message)
        : this(message, null, isTransient: true)
    {
    }

    public JobApiException(string message, Exception innerException)
        : this(message, null, isTransient: true, null, innerException)
    {
    }

    /// <summary>The HTTP status, or null when no answer arrived (connection error, timeout).</summary>
    public HttpStatusCode? StatusCode { get; }

    /// <summary>True for 429, 5xx, timeouts and connection errors: worth trying again later.</summary>
    public bool IsTransient { get; }

    /// <summary>The server's Retry-After, when it sent one.</summary>
    public TimeSpan? RetryAfter { get; }
}
