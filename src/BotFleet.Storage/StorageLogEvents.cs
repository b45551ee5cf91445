namespace BotFleet.Storage;

/// <summary>
/// The event ids of the logs of BotFleet's Orleans storage (schema, SQLite, grain-state serializer), all in
/// 4000–4999: one home per assembly, so that no two logs share an id, here or in another BotFleet assembly (they may
/// all log in one process). Operators filter logs by these ids.
/// </summary>
public static class StorageLogEvents
{
    public const int First = 4000;

    public const int Last = 4999;

    public const int RolledBackOpenTransaction = 4101;
    public const int Quarantined = 4102;
    public const int SchemaEnsured = 4111;
    public const int SchemaFailed = 4112;
}
