using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Storage;

namespace BotFleet.Storage.Hosting;

/// <summary>Wraps every ADO.NET grain store's serializer in a <see cref="QuarantiningGrainStorageSerializer"/>.</summary>
internal sealed class QuarantiningSerializerConfigurator(IServiceProvider services) : IPostConfigureOptions<AdoNetGrainStorageOptions>
{
    public void PostConfigure(string? name, AdoNetGrainStorageOptions options)
    {
        var inner = options.GrainStorageSerializer ?? services.GetRequiredService<IGrainStorageSerializer>();
        if (inner is QuarantiningGrainStorageSerializer)
        {
            return;
        }

        options.GrainStorageSerializer = new QuarantiningGrainStorageSerializer(
            inner,
            services.GetRequiredService<OrleansDatabase>(),
            services.GetService<TimeProvider>() ?? TimeProvider.System,
            services.GetRequiredService<ILogger<QuarantiningGrainStorageSerializer>>());
    }
}
