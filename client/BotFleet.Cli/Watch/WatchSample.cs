namespace BotFleet.Cli.Watch;

/// <summary>One poll of <c>watch</c>: the server's counts and what follows from them since the watch started.</summary>
/// <param name="Done">Jobs finished (completed or dead) since the watch started.</param>
/// <param name="Total">Done plus what is left that a bot can take: the progress bar's end, which grows as jobs arrive.</param>
/// <param name="JobsPerSecond">Finishing rate over the last few seconds; null until two samples are apart in time.</param>
/// <param name="EtaSeconds">Time to finish what is left at that rate; null without a rate.</param>
/// <param name="Stranded">Pending jobs per operation that no running bot offers (known with --until-drained only).</param>
internal sealed record WatchSample(
    DateTimeOffset At,
    long Pending,
    long Leased,
    long Completed,
    long Dead,
    long Done,
    long Total,
    double? JobsPerSecond,
    double? EtaSeconds,
    long BotsActive,
    long BotsRegistered,
    IReadOnlyDictionary<string, long> Stranded)
{
    public long StrandedCount => Stranded.Values.Sum();

    /// <summary>Nothing is leased and every pending job is stranded (or none is pending): no bot will change the counts.</summary>
    public bool Drained => Leased == 0 && Pending == StrandedCount;
}
