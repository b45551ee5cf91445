using System.Text.Json;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.DependencyInjection;

namespace BotFleet.JobServer;

/// <summary>The OpenAPI document of the job API, kept apart from any document of the hosting silo.</summary>
public static class JobServerOpenApi
{
    /// <summary>Document and endpoint group name; the document is served at /openapi/jobapi.json by MapOpenApi().</summary>
    public const string DocumentName = "jobapi";

    internal static IServiceCollection AddJobApiOpenApi(this IServiceCollection services) =>
        services.AddOpenApi(DocumentName, options =>
        {
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info.Title = "BotFleet job API";
                document.Info.Version = "v1";
                return Task.CompletedTask;
            });

            // Schemas come from the host's JSON options; the wire is snake_case whatever the host uses.
            options.AddSchemaTransformer((schema, _, _) =>
            {
                if (schema.Properties is { Count: > 0 } properties)
                {
                    var renamed = properties.ToList();
                    properties.Clear();
                    foreach (var (name, value) in renamed)
                    {
                        properties[JsonNamingPolicy.SnakeCaseLower.ConvertName(name)] = value;
                    }
                }

                if (schema.Required is { Count: > 0 } required)
                {
                    var names = required.ToList();
                    required.Clear();
                    foreach (var name in names)
                    {
                        required.Add(JsonNamingPolicy.SnakeCaseLower.ConvertName(name));
                    }
                }

                return Task.CompletedTask;
            });
        });
}
