namespace BotFleet.JobServer.Storage;

public enum ReportResult
{
    /// <summary>The report changed the job.</summary>
    Accepted,

    /// <summary>The same report was already accepted; nothing changed.</summary>
    Repeated,

    /// <summary>Another instance or a later attempt holds the job, or it has ended otherwise.</summary>
    Conflict,

    NotFound,
}
