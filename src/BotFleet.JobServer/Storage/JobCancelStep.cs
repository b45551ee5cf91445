namespace BotFleet.JobServer.Storage;

/// <summary>What a store does to cancel a job (<see cref="JobCancellation.Decide"/>).</summary>
internal enum JobCancelStep
{
    /// <summary>No job has the id.</summary>
    Unknown,

    /// <summary>Pending: it becomes cancelled in the same transaction.</summary>
    CancelNow,

    /// <summary>Leased: the cancel is recorded; the bot stops it and the attempt's end makes it cancelled.</summary>
    AskTheBot,

    /// <summary>Cancelled already: nothing changes.</summary>
    AlreadyCancelled,

    /// <summary>Completed or dead: refused.</summary>
    Finished,
}
