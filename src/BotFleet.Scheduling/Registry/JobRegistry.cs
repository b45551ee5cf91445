using System.Collections.Frozen;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace BotFleet.Scheduling.Registry;

/// <summary>Operation name → handler and timeout. Built once from the DI registrations.</summary>
public sealed class JobRegistry
{
    /// <summary>The longest timeout an operation may have: worker grain calls time out after one hour.</summary>
    public static readonly TimeSpan MaxTimeout = TimeSpan.FromHours(1);

    private readonly FrozenDictionary<string, JobHandlerRegistration> _registrations;
    private readonly IServiceProvider _services;
    private readonly TimeSpan _defaultTimeout;

    public JobRegistry(IEnumerable<JobHandlerRegistration> registrations, IServiceProvider services, IOptions<JobRegistryOptions> options)
    {
        _services = services;
        _defaultTimeout = options.Value.DefaultTimeout;
        var byOperation = new Dictionary<string, JobHandlerRegistration>(StringComparer.Ordinal);
        foreach (var registration in registrations)
        {
            if (registration.Timeout is { } timeout && (timeout <= TimeSpan.Zero || timeout > MaxTimeout))
            {
                throw new InvalidOperationException(
                    $"Job handler for op={registration.Operation}: timeout must be > 0 and <= {MaxTimeout}, got {timeout}.");
            }

            if (!byOperation.TryAdd(registration.Operation, registration))
            {
                throw new InvalidOperationException(
                    $"Two job handlers are registered for op={registration.Operation}: {byOperation[registration.Operation].HandlerType.Name} and {registration.HandlerType.Name}.");
            }
        }

        _registrations = byOperation.ToFrozenDictionary(StringComparer.Ordinal);
    }

    public IEnumerable<string> Operations => _registrations.Keys;

    public bool Contains(string operation) => _registrations.ContainsKey(operation);

    /// <summary>Finds the handler and timeout of an operation; false when none is registered.</summary>
    public bool TryResolve(string operation, out IJobHandler handler, out TimeSpan timeout)
    {
        if (_registrations.TryGetValue(operation, out var registration))
        {
            handler = (IJobHandler)_services.GetRequiredService(registration.HandlerType);
            timeout = registration.Timeout ?? _defaultTimeout;
            return true;
        }

        handler = null!;
        timeout = default;
        return false;
    }
}
