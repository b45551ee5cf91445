using BotFleet.Client.Tests.Fakes;

namespace BotFleet.Client.Tests.Cli;

/// <summary>Bad input exits 2 with one exact message per problem, and nothing is contacted.</summary>
public sealed class InputValidationTests
{
    private readonly CliHarness _cli = new();

    [Fact]
    public async Task JobsSubmit_PayloadNotJson_Exits2WithPosition()
    {
        var exit = await _cli.RunAsync("jobs", "submit", "--op", "sum", "--payload", """{"a":1""");

        Assert.Equal(2, exit);
        Assert.Equal(
            """
            error: --payload is not valid JSON (line 1, position 7): {"a":1
            See 'botfleet jobs submit --help'.

            """,
            _cli.Error);
        AssertNothingContacted();
    }

    [Fact]
    public async Task JobsSubmit_PayloadNotAnObject_Exits2()
    {
        var exit = await _cli.RunAsync("jobs", "submit", "--op", "sum", "--payload", "[1,2]");

        Assert.Equal(2, exit);
        Assert.Equal("error: --payload must be a JSON object, got an array.\nSee 'botfleet jobs submit --help'.\n", _cli.Error);
        AssertNothingContacted();
    }

    [Fact]
    public async Task JobsSubmit_MissingOp_Exits2()
    {
        var exit = await _cli.RunAsync("jobs", "submit", "--payload", """{"a":1,"b":2}""");

        Assert.Equal(2, exit);
        Assert.Equal("error: Option '--op' is required.\nSee 'botfleet jobs submit --help'.\n", _cli.Error);
        AssertNothingContacted();
    }

    [Fact]
    public async Task JobsSubmit_BlankOp_Exits2()
    {
        var exit = await _cli.RunAsync("jobs", "submit", "--op", " ", "--payload", "{}");

        Assert.Equal(2, exit);
        Assert.Equal("error: --op must not be empty.\nSee 'botfleet jobs submit --help'.\n", _cli.Error);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-3")]
    [InlineData("100001")]
    public async Task JobsSubmit_CountOutOfRange_Exits2(string count)
    {
        var exit = await _cli.RunAsync("jobs", "submit", "--op", "sum", "--payload", "{}", "--count", count);

        Assert.Equal(2, exit);
        Assert.Equal($"error: --count must be between 1 and 100000, got {count}.\nSee 'botfleet jobs submit --help'.\n", _cli.Error);
        AssertNothingContacted();
    }

    [Fact]
    public async Task JobsSubmit_UnknownPriority_Exits2()
    {
        var exit = await _cli.RunAsync("jobs", "submit", "--op", "sum", "--payload", "{}", "--priority", "urgent");

        Assert.Equal(2, exit);
        Assert.StartsWith("error: Argument 'urgent' not recognized. Must be one of:", _cli.Error, StringComparison.Ordinal);
        AssertNothingContacted();
    }

    [Fact]
    public async Task JobsSubmit_SeveralProblems_ReportsEachOnItsOwnLine()
    {
        var exit = await _cli.RunAsync("jobs", "submit", "--payload", "nope", "--count", "0");

        Assert.Equal(2, exit);
        Assert.Equal(
            """
            error: Option '--op' is required.
            error: --payload is not valid JSON (line 1, position 2): nope
            error: --count must be between 1 and 100000, got 0.
            See 'botfleet jobs submit --help'.

            """,
            _cli.Error);
    }

    [Fact]
    public async Task BotsStart_EmptyOperationList_Exits2()
    {
        var exit = await _cli.RunAsync("bots", "start", "bot-a", "--ops", ",");

        Assert.Equal(2, exit);
        Assert.Equal("error: --ops must name at least one operation, for example --ops sum,echo.\nSee 'botfleet bots start --help'.\n", _cli.Error);
        AssertNothingContacted();
    }

    [Fact]
    public async Task BotsStart_NegativeConcurrencyAndBatch_Exits2()
    {
        var exit = await _cli.RunAsync("bots", "start", "bot-a", "--ops", "sum", "--max-concurrency", "-1", "--batch-size", "101");

        Assert.Equal(2, exit);
        Assert.Equal(
            """
            error: --max-concurrency must be between 1 and 1000, got -1.
            error: --batch-size must be between 1 and 100, got 101.
            See 'botfleet bots start --help'.

            """,
            _cli.Error);
        AssertNothingContacted();
    }

    [Fact]
    public async Task GatewayPort_OutOfRange_Exits2()
    {
        var exit = await _cli.RunAsync("status", "--gateway-port", "70000");

        Assert.Equal(2, exit);
        Assert.Equal("error: --gateway-port must be between 1 and 65535, got 70000.\nSee 'botfleet status --help'.\n", _cli.Error);
        AssertNothingContacted();
    }

    [Fact]
    public async Task Server_NotHttp_Exits2()
    {
        var exit = await _cli.RunAsync("stats", "--server", "ftp://example");

        Assert.Equal(2, exit);
        Assert.Equal("error: --server must be an absolute http or https URL, got 'ftp://example'.\nSee 'botfleet stats --help'.\n", _cli.Error);
    }

    [Fact]
    public async Task Watch_BadInterval_Exits2()
    {
        var exit = await _cli.RunAsync("watch", "--interval", "10ms");

        Assert.Equal(2, exit);
        Assert.Equal("error: --interval must be a duration between 100ms and 1h such as 500ms, 2s or 1m, got '10ms'.\nSee 'botfleet watch --help'.\n", _cli.Error);
    }

    [Fact]
    public async Task NoCommand_Exits2()
    {
        var exit = await _cli.RunAsync();

        Assert.Equal(2, exit);
        Assert.Equal("error: Required command was not provided.\nSee 'botfleet --help'.\n", _cli.Error);
    }

    private void AssertNothingContacted()
    {
        Assert.Empty(_cli.Output);
        Assert.Empty(_cli.Fleet.Ports);
        Assert.Empty(_cli.Jobs.Servers);
    }
}
