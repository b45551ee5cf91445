using BotFleet.JobServer.Claims;
using BotFleet.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace BotFleet.JobServer.Tests.Infrastructure;

/// <summary>The long-poll claims a server holds (its <see cref="ClaimWaiters"/>), for tests that must know a wait has begun.</summary>
internal static class ParkedClaims
{
    public static ClaimWaiters Of(IServiceProvider services) => services.GetRequiredService<ClaimWaiters>();

    /// <summary>Until <paramref name="count"/> claims are parked in the server (real time, bounded): the wait and its timer have begun.</summary>
    public static Task WaitForAsync(IServiceProvider services, int count)
    {
        var waiters = Of(services);
        return Eventually.TrueAsync(() => waiters.Parked >= count, $"{count} claim(s) parked in the server", TimeSpan.FromSeconds(20));
    }
}
