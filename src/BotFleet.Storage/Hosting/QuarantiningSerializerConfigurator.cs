using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Serialization;
using Orleans.Storage;

namespace BotFleet.Storage.Hosting;

/// <summary>
/// Gives every ADO.NET grain store BotFleet's serializer: Orleans' binary format (the state types carry
/// [GenerateSerializer] already) for writes, with JSON as the fallback for reads, so rows written by
/// earlier versions still load and are rewritten in binary on their next save. A bot saves its state once
/// per claimed batch and once per report batch, and JSON with reference tracking cost several times more
/// CPU than the rest of the write. Every payload is sealed with a checksum (<see cref="ChecksummedGrainStorageSerializer"/>),
/// and all of it is wrapped in a <see cref="QuarantiningGrainStorageSerializer"/>.
/// A serializer configured explicitly on a store is kept as it is (and still wrapped).
/// </summary>
internal sealed class QuarantiningSerializerConfigurator(IServiceProvider services) : IPostConfigureOptions<AdoNetGrainStorageOptions>
{
    public void PostConfigure(string? name, AdoNetGrainStorageOptions options)
    {
        if (options.GrainStorageSerializer is QuarantiningGrainStorageSerializer)
        {
            return;
        }

        // Orleans may already have filled in its default (JSON); that counts as "not configured".
        var standard = services.GetRequiredService<IGrainStorageSerializer>();
        var inner = options.GrainStorageSerializer is null || ReferenceEquals(options.GrainStorageSerializer, standard)
            ? new GrainStorageSerializer(new OrleansGrainStorageSerializer(services.GetRequiredService<Serializer>()), standard)
            : options.GrainStorageSerializer;
        options.GrainStorageSerializer = new QuarantiningGrainStorageSerializer(
            new ChecksummedGrainStorageSerializer(inner),
            services.GetRequiredService<OrleansDatabase>(),
            services.GetService<TimeProvider>() ?? TimeProvider.System,
            services.GetRequiredService<ILogger<QuarantiningGrainStorageSerializer>>());
    }
}
