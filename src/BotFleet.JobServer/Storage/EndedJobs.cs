namespace BotFleet.JobServer.Storage;

/// <summary>
/// The jobs one write ended without a completion: dead (out of attempts) or cancelled (an operator's cancel, ended by
/// the bot's failure report or by the lease running out). The store hands them to the job events after the commit.
/// </summary>
internal sealed class EndedJobs
{
    public List<DeadJob> Died { get; } = [];

    public List<(string Id, string Op)> Cancelled { get; } = [];
}
