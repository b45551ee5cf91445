namespace BotFleet.Silo;

/// <summary>
/// The event ids of the logs of the silo host, all in 3000–3999: one home per assembly, so that no two logs share an
/// id, here or in another BotFleet assembly (they may all log in one process). Operators filter logs by these ids.
/// </summary>
public static class SiloLogEvents
{
    public const int First = 3000;

    public const int Last = 3999;

    public const int BotStarted = 3001;
    public const int BotStartFailed = 3002;
}
