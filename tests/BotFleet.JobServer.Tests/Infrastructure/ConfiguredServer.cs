using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Options;

namespace BotFleet.JobServer.Tests.Infrastructure;

/// <summary>A job server app with settings of a test's own (on a free port and a database of its own), for the settings' tests.</summary>
internal static class ConfiguredServer
{
    /// <summary>The app, not started; <paramref name="settings"/> are full keys ("JobServer:JobLeaseTtl").</summary>
    public static WebApplication Create(params (string Key, string Value)[] settings) =>
        JobServerApp.Create([], builder =>
        {
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Configuration["JobServer:DatabasePath"] = Path.Combine(Path.GetTempPath(), $"botfleet-options-{Guid.NewGuid():N}.db");
            foreach (var (key, value) in settings)
            {
                builder.Configuration[key] = value;
            }
        });

    /// <summary>The validation error the app refuses to start with (failing the test when it starts).</summary>
    public static async Task<OptionsValidationException> StartRefusedAsync(params (string Key, string Value)[] settings)
    {
        await using var app = Create(settings);
        return await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync(TestContext.Current.CancellationToken));
    }
}
