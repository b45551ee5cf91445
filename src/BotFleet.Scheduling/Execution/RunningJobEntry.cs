using BotFleet.JobApi.Contracts;

namespace BotFleet.Scheduling.Execution;

/// <summary>One running handler on <see cref="RunningJobBoard"/>: the source that stops it, and what it reported.</summary>
internal sealed class RunningJobEntry(CancellationTokenSource stop)
{
    private volatile JobProgress? _progress;
    private volatile bool _cancelledByOperator;

    public CancellationTokenSource Stop { get; } = stop;

    public JobProgress? Progress
    {
        get => _progress;
        set => _progress = value;
    }

    /// <summary>True once <see cref="RunningJobBoard.Cancel"/> stopped it (as opposed to its timeout).</summary>
    public bool CancelledByOperator
    {
        get => _cancelledByOperator;
        set => _cancelledByOperator = value;
    }
}
