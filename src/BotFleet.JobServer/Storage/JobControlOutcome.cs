namespace BotFleet.JobServer.Storage;

public enum JobControlOutcome
{
    /// <summary>The action was applied.</summary>
    Done,

    /// <summary>No job has this id.</summary>
    NotFound,

    /// <summary>The job is not in a status the action applies to (requeue and discard take dead jobs only).</summary>
    WrongStatus,

    /// <summary>Cancel of a leased job: recorded; its bot stops it, and the attempt's end makes it cancelled.</summary>
    CancelRequested,
}
