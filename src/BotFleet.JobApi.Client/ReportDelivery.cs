namespace BotFleet.JobApi.Client;

/// <summary>How the server answered a complete/fail report.</summary>
public enum ReportDelivery
{
    /// <summary>200: the report was accepted (or was a harmless repeat).</summary>
    Accepted,

    /// <summary>409: another bot or a later attempt holds the job; the report must be dropped.</summary>
    Conflict,

    /// <summary>404: the server does not know the job; the report must be dropped.</summary>
    NotFound,
}
