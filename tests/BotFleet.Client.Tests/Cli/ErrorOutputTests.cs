using System.Net;
using System.Text.Json;
using BotFleet.Client.Tests.Fakes;
using BotFleet.JobApi.Client;

namespace BotFleet.Client.Tests.Cli;

/// <summary>Every failure: its exit code, its message, and with --json the error object on stdout; the API key and its 401.</summary>
public sealed class ErrorOutputTests
{
    private readonly CliHarness _cli = new();

    [Fact]
    public async Task Unauthorized_WithoutAKey_Exits4NamingBothWaysToGiveOne()
    {
        _cli.Jobs.ConnectFault = new JobApiException("Job API stats answered 401 Unauthorized", HttpStatusCode.Unauthorized, isTransient: false);

        var exit = await _cli.RunAsync("stats");

        Assert.Equal(4, exit);
        Assert.Equal(
            "error: the job server at http://127.0.0.1:5080/ requires an API key (401): pass --api-key or set BOTFLEET_API_KEY to the server's JobServer:ApiKey.\n",
            _cli.Error);
        Assert.Equal([null], _cli.Jobs.ApiKeys);
    }

    [Fact]
    public async Task Unauthorized_WithAWrongKey_Json_SaysTheKeyWasRefused()
    {
        _cli.Jobs.ConnectFault = new JobApiException("Job API stats answered 401 Unauthorized", HttpStatusCode.Unauthorized, isTransient: false);

        var exit = await _cli.RunAsync("stats", "--api-key", "wrong", "--json");

        Assert.Equal(4, exit);
        Assert.Empty(_cli.Error);
        var error = JsonDocument.Parse(_cli.Output).RootElement.GetProperty("error");
        Assert.Equal("unauthorized", error.GetProperty("code").GetString());
        Assert.Equal(
            "the job server at http://127.0.0.1:5080/ refused the API key (401): pass the server's JobServer:ApiKey with --api-key or set BOTFLEET_API_KEY.",
            error.GetProperty("message").GetString());
        Assert.Equal(["wrong"], _cli.Jobs.ApiKeys);
    }

    [Fact]
    public async Task ApiKey_FromTheEnvironment_IsSentUnlessTheOptionGivesOne()
    {
        _cli.Jobs.Client.Stats.Enqueue(new BotFleet.JobApi.Contracts.StatsResponse(new(0, 0, 0, 0), new Dictionary<string, BotFleet.JobApi.Contracts.JobStatusCounts>(), new(0, 0)));
        _cli.Environment["BOTFLEET_API_KEY"] = "from-env";

        await _cli.RunAsync("stats");
        await _cli.RunAsync("stats", "--api-key", "from-option");

        Assert.Equal(["from-env", "from-option"], _cli.Jobs.ApiKeys);
    }

    [Fact]
    public async Task Forbidden_Exits4ExplainingTheLoopbackRule()
    {
        _cli.Jobs.ConnectFault = new JobApiException("Job API stats answered 403 Forbidden", HttpStatusCode.Forbidden, isTransient: false);

        var exit = await _cli.RunAsync("stats");

        Assert.Equal(4, exit);
        Assert.StartsWith("error: the job server at http://127.0.0.1:5080/ refused the call (403): with no JobServer:ApiKey set it answers callers on its own machine only;", _cli.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ServerError_Exits1()
    {
        _cli.Jobs.ConnectFault = new JobApiException("Job API stats answered 500 Internal Server Error", HttpStatusCode.InternalServerError, isTransient: true);

        var exit = await _cli.RunAsync("stats", "--json");

        Assert.Equal(1, exit);
        var error = JsonDocument.Parse(_cli.Output).RootElement.GetProperty("error");
        Assert.Equal(("server_error", "Job API stats answered 500 Internal Server Error", 1), (error.GetProperty("code").GetString(), error.GetProperty("message").GetString(), error.GetProperty("exit_code").GetInt32()));
    }

    [Fact]
    public async Task SiloUnreachable_Json_Exits5()
    {
        _cli.Fleet.ConnectFault = new FleetUnavailableException("The BotFleet silo is unreachable at gateway 127.0.0.1:30000 (refused). Is the silo running?");

        var exit = await _cli.RunAsync("bots", "list", "--json");

        Assert.Equal(5, exit);
        var error = JsonDocument.Parse(_cli.Output).RootElement.GetProperty("error");
        Assert.Equal("unreachable", error.GetProperty("code").GetString());
    }

    [Fact]
    public async Task UsageError_Json_IsAnErrorObjectWithExit2()
    {
        var exit = await _cli.RunAsync("jobs", "submit", "--op", "sum", "--payload", "[1]", "--count", "0", "--json");

        Assert.Equal(2, exit);
        Assert.Empty(_cli.Error);
        var error = JsonDocument.Parse(_cli.Output).RootElement.GetProperty("error");
        Assert.Equal("usage", error.GetProperty("code").GetString());
        Assert.Equal("--payload must be a JSON object, got an array. --count must be between 1 and 100000, got 0.", error.GetProperty("message").GetString());
        Assert.Empty(_cli.Jobs.Servers);
    }

    [Fact]
    public async Task Typo_InACommand_Exits2()
    {
        var exit = await _cli.RunAsync("bots", "pasue", "alpha");

        Assert.Equal(2, exit);
        Assert.Contains("error: Unrecognized command or argument 'pasue'.", _cli.Error, StringComparison.Ordinal);
        Assert.Empty(_cli.Fleet.Ports);
    }
}
