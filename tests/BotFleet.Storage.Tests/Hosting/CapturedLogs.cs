using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace BotFleet.Storage.Tests.Hosting;

/// <summary>Collects every formatted log line (and exception text) of the silos that register it.</summary>
public static class CapturedLogs
{
    private static readonly ConcurrentQueue<string> Lines = new();

    public static ILoggerProvider Provider { get; } = new CapturingProvider();

    public static IReadOnlyCollection<string> All => Lines.ToArray();

    private sealed class CapturingProvider : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new CapturingLogger(categoryName);

        public void Dispose()
        {
        }
    }

    private sealed class CapturingLogger(string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Lines.Enqueue($"{category}: {formatter(state, exception)} {exception}");
    }
}
