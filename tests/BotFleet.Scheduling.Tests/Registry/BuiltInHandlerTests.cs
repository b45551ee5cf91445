using BotFleet.Contracts.Jobs;
using BotFleet.Scheduling.Execution;
using BotFleet.Scheduling.Registry;
using BotFleet.Scheduling.Tests.Fakes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace BotFleet.Scheduling.Tests.Registry;

public sealed class BuiltInHandlerTests : IDisposable
{
    private readonly FakeTimeProvider _time = new();
    private readonly ServiceProvider _services;
    private readonly JobExecutor _executor;

    public BuiltInHandlerTests()
    {
        _services = HandlerServices.Create(_time).BuildServiceProvider();
        _executor = _services.GetRequiredService<JobExecutor>();
    }

    [Theory]
    [InlineData("sum", """{"a":42,"b":58}""", """{"value":100}""")]
    [InlineData("sum", """{"a":0.1,"b":0.2}""", """{"value":0.3}""")]
    [InlineData("subtract", """{"a":5,"b":8}""", """{"value":-3}""")]
    [InlineData("multiply", """{"a":-1.5,"b":4}""", """{"value":-6.0}""")]
    [InlineData("divide", """{"a":1,"b":4}""", """{"value":0.25}""")]
    [InlineData("echo", """{"nested":{"x":[1,2]},"s":"é"}""", """{"nested":{"x":[1,2]},"s":"é"}""")]
    [InlineData("echo", "{}", "{}")]
    [InlineData("sleep", """{"ms":0}""", """{"slept_ms":0}""")]
    public async Task Run_ValidPayload_ReturnsTheExactResult(string op, string payload, string expected)
    {
        var outcome = await _executor.RunAsync(new JobWork("job_1", op, payload, 1), TestContext.Current.CancellationToken);

        Assert.Equal(JobOutcome.Success("job_1", expected), outcome);
    }

    [Theory]
    [InlineData("divide", """{"a":1,"b":0}""", "division by zero: field 'b' must not be 0")]
    [InlineData("sum", """{"a":"1","b":2}""", "invalid payload: field 'a' must be a number, got string")]
    [InlineData("multiply", """{"a":1}""", "invalid payload: field 'b' is missing")]
    [InlineData("subtract", """{"a":null,"b":1}""", "invalid payload: field 'a' must be a number, got null")]
    [InlineData("multiply", """{"a":1e300,"b":1}""", "invalid payload: field 'a' is out of range")]
    [InlineData("multiply", """{"a":79228162514264337593543950335,"b":2}""", "multiply overflowed: the result of 79228162514264337593543950335 and 2 is out of range")]
    [InlineData("sleep", """{"ms":-1}""", "invalid payload: field 'ms' must be an integer between 0 and 86400000")]
    [InlineData("sleep", "{}", "invalid payload: field 'ms' is missing")]
    [InlineData("resize", "{}", "no handler for op=resize")]
    [InlineData("echo", "{oops", "malformed job: payload is not valid JSON ('o' is an invalid start of a property name. Expected a '\"'. LineNumber: 0 | BytePositionInLine: 1.)")]
    public async Task Run_BadInput_IsAClearFailure(string op, string payload, string error)
    {
        var outcome = await _executor.RunAsync(new JobWork("job_1", op, payload, 1), TestContext.Current.CancellationToken);

        Assert.Equal(JobOutcome.Failure("job_1", error), outcome);
    }

    [Fact]
    public async Task Sleep_HonoursCancellation()
    {
        using var cancel = new CancellationTokenSource();
        var running = _executor.RunAsync(new JobWork("job_1", "sleep", """{"ms":60000}""", 1), cancel.Token);
        await cancel.CancelAsync();

        Assert.Equal(JobOutcome.Failure("job_1", "cancelled: op=sleep was cancelled because its worker is shutting down"), await running);
    }

    [Fact]
    public async Task Sleep_CompletesWhenTheClockPassesItsDuration()
    {
        var running = _executor.RunAsync(new JobWork("job_1", "sleep", """{"ms":60000}""", 1), TestContext.Current.CancellationToken);
        _time.Advance(TimeSpan.FromSeconds(59));
        Assert.False(running.IsCompleted);
        _time.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(JobOutcome.Success("job_1", """{"slept_ms":60000}"""), await running);
    }

    [Fact]
    public void Registry_TwoHandlersForOneOperation_FailsAtStartWithBothNames()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().Build());
        services.AddJobHandler<Handlers.SumHandler>("add").AddJobHandler<Handlers.EchoHandler>("add");
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<InvalidOperationException>(provider.GetRequiredService<JobRegistry>);

        Assert.Equal("Two job handlers are registered for op=add: SumHandler and EchoHandler.", error.Message);
    }

    [Fact]
    public void Registry_TimeoutBeyondOneHour_FailsAtStart()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().Build());
        services.AddJobHandler<Handlers.EchoHandler>("slow_echo", TimeSpan.FromHours(2));
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<InvalidOperationException>(provider.GetRequiredService<JobRegistry>);

        Assert.Equal("Job handler for op=slow_echo: timeout must be > 0 and <= 01:00:00, got 02:00:00.", error.Message);
    }

    public void Dispose() => _services.Dispose();
}
