using BotFleet.Storage.Schema;
using BotFleet.Storage.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using Orleans;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.Runtime;

namespace BotFleet.Storage.Hosting;

/// <summary>
/// Wires BotFleet's Orleans persistence: ADO.NET grain storage as the default store and as
/// <see cref="BotFleetStores.Name"/>, ADO.NET reminders, and clustering, all on one database.
/// </summary>
public static class BotFleetStorageSiloBuilderExtensions
{
    /// <summary>
    /// Uses the SQLite file at <paramref name="databasePath"/> for grain state and reminders, with localhost
    /// development clustering on the default ports (11111/30000).
    /// </summary>
    public static ISiloBuilder UseBotFleetSqlite(this ISiloBuilder builder, string databasePath) =>
        builder.UseBotFleetSqlite(options => options.DatabasePath = databasePath);

    /// <summary>Uses a SQLite file for grain state and reminders (and optionally membership).</summary>
    /// <exception cref="OptionsValidationException">The options are invalid; the message says which and why.</exception>
    public static ISiloBuilder UseBotFleetSqlite(this ISiloBuilder builder, Action<BotFleetSqliteOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);

        var options = new BotFleetSqliteOptions();
        configure(options);
        Validate(new BotFleetSqliteOptionsValidator(), options);

        var path = Path.GetFullPath(options.DatabasePath);
        var busyTimeout = options.BusyTimeout;
        Func<CancellationToken, Task>? ensureSchema = options.EnsureSchema
            ? cancellationToken => OrleansSchema.EnsureSqliteAsync(path, cancellationToken)
            : null;
        builder.Services.AddSingleton(services => new OrleansDatabase(
            AdoNetInvariants.Sqlite,
            new SqliteDataSource(path, busyTimeout, services.GetService<ILogger<SqliteDataSource>>()),
            $"SQLite {path}",
            ensureSchema));

        AddProviders(builder, options.Clustering == SqliteClusteringMode.AdoNet);
        if (options.Clustering == SqliteClusteringMode.Localhost)
        {
            builder.UseLocalhostClustering(options.SiloPort, options.GatewayPort);
        }

        return builder;
    }

    /// <summary>
    /// Uses the PostgreSQL database of <paramref name="connectionString"/> for membership, grain state and reminders.
    /// </summary>
    public static ISiloBuilder UseBotFleetPostgreSql(this ISiloBuilder builder, string connectionString) =>
        builder.UseBotFleetPostgreSql(options => options.ConnectionString = connectionString);

    /// <summary>Uses a PostgreSQL database for grain state and reminders (and, by default, membership).</summary>
    /// <exception cref="OptionsValidationException">The options are invalid; the message says which and why.</exception>
    public static ISiloBuilder UseBotFleetPostgreSql(this ISiloBuilder builder, Action<BotFleetPostgreSqlOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);

        var options = new BotFleetPostgreSqlOptions();
        configure(options);
        Validate(new BotFleetPostgreSqlOptionsValidator(), options);

        var connectionString = options.ConnectionString;
        var ensureSchema = options.EnsureSchema;
        builder.Services.AddSingleton(services =>
        {
            var dataSource = new NpgsqlDataSourceBuilder(connectionString)
                .UseLoggerFactory(services.GetService<ILoggerFactory>())
                .Build();
            var parsed = new NpgsqlConnectionStringBuilder(connectionString);
            return new OrleansDatabase(
                AdoNetInvariants.PostgreSql,
                dataSource,
                $"PostgreSQL {parsed.Host}:{parsed.Port}/{parsed.Database}",
                ensureSchema ? cancellationToken => OrleansSchema.EnsurePostgreSqlAsync(dataSource, cancellationToken) : null);
        });

        AddProviders(builder, options.UseClustering);
        return builder;
    }

    private static void AddProviders(ISiloBuilder builder, bool useClustering)
    {
        builder.AddAdoNetGrainStorageAsDefault(storage => storage.Configure<OrleansDatabase>(ConfigureStorage));
        builder.AddAdoNetGrainStorage(BotFleetStores.Name, storage => storage.Configure<OrleansDatabase>(ConfigureStorage));
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostConfigureOptions<AdoNetGrainStorageOptions>, QuarantiningSerializerConfigurator>());
        builder.UseAdoNetReminderService(reminders => reminders.Configure<OrleansDatabase>((o, database) =>
        {
            o.Invariant = database.Invariant;
            o.DataSource = database.DataSource;
        }));

        if (useClustering)
        {
            builder.UseAdoNetClustering(clustering => clustering.Configure<OrleansDatabase>((o, database) =>
            {
                o.Invariant = database.Invariant;
                o.DataSource = database.DataSource;
            }));
        }

        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<ILifecycleParticipant<ISiloLifecycle>, SchemaInstaller>());
    }

    private static void ConfigureStorage(AdoNetGrainStorageOptions options, OrleansDatabase database)
    {
        options.Invariant = database.Invariant;
        options.DataSource = database.DataSource;
    }

    private static void Validate<TOptions>(IValidateOptions<TOptions> validator, TOptions options)
        where TOptions : class
    {
        var result = validator.Validate(Options.DefaultName, options);
        if (result.Failed)
        {
            throw new OptionsValidationException(Options.DefaultName, typeof(TOptions), result.Failures);
        }
    }
}
