using System.Diagnostics;
using System.Text.Json;

namespace BotFleet.Client.Tests.Process;

/// <summary>The built <c>botfleet</c> as a real process against a real silo and job server (embedded default).</summary>
public sealed class CliProcessTests(SiloFixture silo) : IClassFixture<SiloFixture>
{
    [Fact]
    public async Task BotsList_Json_ListsTheSilosBots()
    {
        var result = await silo.RunAsync("bots", "list", "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        var keys = JsonDocument.Parse(result.Output).RootElement.GetProperty("bots").EnumerateArray().Select(b => b.GetProperty("bot_key").GetString());
        Assert.Equal(["calc-1", "echo-1"], keys.Order());
    }

    [Fact]
    public async Task BotsPause_ThenShow_IsPaused_AndResume_MakesItActiveAgain()
    {
        await WaitForStateAsync("calc-1", "active");

        var paused = await silo.RunAsync("bots", "pause", "calc-1", "--json");
        Assert.True(paused.ExitCode == 0, paused.ToString());
        Assert.True(JsonDocument.Parse(paused.Output).RootElement.GetProperty("paused").GetBoolean());
        await WaitForStateAsync("calc-1", "paused");

        var resumed = await silo.RunAsync("bots", "resume", "calc-1");
        Assert.True(resumed.ExitCode == 0, resumed.ToString());
        Assert.StartsWith("Resumed bot calc-1 (", resumed.Output, StringComparison.Ordinal);
        await WaitForStateAsync("calc-1", "active");
    }

    [Fact]
    public async Task UnknownBot_Exits3()
    {
        var status = await silo.RunAsync("status", "no-such-bot");
        var stop = await silo.RunAsync("bots", "stop", "no-such-bot", "--json");

        Assert.True(status.ExitCode == 3, status.ToString());
        Assert.Equal("error: bot 'no-such-bot' is not known to the fleet (see 'botfleet bots list').\n", status.Error);
        Assert.True(stop.ExitCode == 3, stop.ToString());
        Assert.Equal("not_found", JsonDocument.Parse(stop.Output).RootElement.GetProperty("error").GetProperty("code").GetString());
    }

    [Fact]
    public async Task JobsSubmit_Json_IsASummary_AndWatchUntilDrained_Ends_StrandedJobsToo()
    {
        var submit = await silo.RunAsync("jobs", "submit", "--op", "sum", "--payload", """{"a":1,"b":2}""", "--count", "50", "--json");

        Assert.True(submit.ExitCode == 0, submit.ToString());
        var summary = JsonDocument.Parse(submit.Output).RootElement;
        Assert.Equal(50, summary.GetProperty("count").GetInt32());
        Assert.Equal("sum", summary.GetProperty("op").GetString());
        Assert.StartsWith("job_", summary.GetProperty("first_id").GetString(), StringComparison.Ordinal);
        Assert.NotEqual(summary.GetProperty("first_id").GetString(), summary.GetProperty("last_id").GetString());
        Assert.Equal(JsonValueKind.Null, summary.GetProperty("ids").ValueKind);

        var watch = await silo.RunAsync("watch", "--until-drained", "--interval", "200ms");
        Assert.True(watch.ExitCode == 0, watch.ToString());
        Assert.EndsWith("Drained: nothing pending or leased.\n", watch.Output, StringComparison.Ordinal);

        // No bot offers "reverse": the watch must still end, naming them.
        var stranded = await silo.RunAsync("jobs", "submit", "--op", "reverse", "--payload", "{}", "--count", "2");
        Assert.True(stranded.ExitCode == 0, stranded.ToString());
        var strandedWatch = await silo.RunAsync("watch", "--until-drained", "--interval", "200ms", "--json");
        Assert.True(strandedWatch.ExitCode == 6, strandedWatch.ToString());
        var last = JsonDocument.Parse(strandedWatch.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1]).RootElement;
        Assert.Equal("drained", last.GetProperty("event").GetString());
        Assert.Equal(2, last.GetProperty("stranded").GetProperty("reverse").GetInt64());
    }

    [Fact]
    public async Task WrongApiKey_Exits4WithTheHelpfulMessage()
    {
        var result = await silo.RunAsync("stats", "--api-key", "wrong-key");

        Assert.True(result.ExitCode == 4, result.ToString());
        Assert.Equal(
            $"error: the job server at {silo.Server} refused the API key (401): pass the server's JobServer:ApiKey with --api-key or set BOTFLEET_API_KEY.\n",
            result.Error);
    }

    private async Task WaitForStateAsync(string botKey, string state)
    {
        var deadline = Stopwatch.StartNew();
        CliResult shown;
        do
        {
            shown = await silo.RunAsync("bots", "show", botKey, "--json");
            if (shown.ExitCode == 0 && JsonDocument.Parse(shown.Output).RootElement.GetProperty("state").GetString() == state)
            {
                return;
            }

            await Task.Delay(200, TestContext.Current.CancellationToken);
        }
        while (deadline.Elapsed < TimeSpan.FromSeconds(15));

        Assert.Fail($"{botKey} did not become {state}: {shown}\nsilo:\n{silo.SiloOutput}");
    }
}
