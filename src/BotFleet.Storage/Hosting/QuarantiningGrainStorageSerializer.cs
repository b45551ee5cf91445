using System.Data.Common;
using Microsoft.Extensions.Logging;
using Orleans.Storage;

namespace BotFleet.Storage.Hosting;

/// <summary>
/// Grain state that cannot be read back (a corrupt row, an incompatible payload) must not brick its
/// grain: the payload is copied to BotFleetQuarantinedState for an operator, logged, and the grain
/// starts from a clean state. The row's version is kept by the provider, so the next write succeeds.
/// </summary>
internal sealed partial class QuarantiningGrainStorageSerializer(
    IGrainStorageSerializer inner,
    OrleansDatabase database,
    TimeProvider timeProvider,
    ILogger<QuarantiningGrainStorageSerializer> logger) : IGrainStorageSerializer
{
    public BinaryData Serialize<T>(T? input) => inner.Serialize(input);

    public T? Deserialize<T>(BinaryData input)
    {
        try
        {
            return inner.Deserialize<T>(input);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            var stateType = typeof(T).FullName ?? typeof(T).Name;
            var payload = input.ToArray();
            var id = Quarantine(stateType, ex, payload);
            LogQuarantined(stateType, id, payload.Length, ex);
            return Activator.CreateInstance<T>();
        }
    }

    // Deserialize is synchronous in the provider's contract, and this path is rare: a blocking insert is fine.
    private long Quarantine(string stateType, Exception reason, byte[] payload)
    {
        using var connection = database.DataSource.OpenConnection();
        using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO BotFleetQuarantinedState (QuarantinedUtc, StateType, Reason, Payload)
            VALUES (@QuarantinedUtc, @StateType, @Reason, @Payload)
            RETURNING Id;
            """;
        Add(command, "@QuarantinedUtc", database.Invariant == AdoNetInvariants.Sqlite
            ? timeProvider.GetUtcNow().ToString("O", System.Globalization.CultureInfo.InvariantCulture)
            : timeProvider.GetUtcNow());
        Add(command, "@StateType", stateType);
        Add(command, "@Reason", $"{reason.GetType().Name}: {reason.Message}");
        Add(command, "@Payload", payload);
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static void Add(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }
}
