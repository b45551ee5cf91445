using BotFleet.JobApi.Client;
using BotFleet.JobApi.Contracts;
using BotFleet.JobServer.Storage;
using BotFleet.JobServer.Tests.Infrastructure;
using OpenQA.Selenium;

namespace BotFleet.JobServer.Tests.OperatorConsole;

/// <summary>
/// The jobs console in a real headless browser against a real server: the tests load /console, act on dead jobs with
/// its buttons, and play the bot with the job API client.
/// </summary>
public sealed class JobsConsoleTests(JobServerFixture server) : IClassFixture<JobServerFixture>
{
    [Fact]
    public async Task RequeueOnADeadJob_PutsItBack_AndTheConsoleShowsItCompletedOnceABotRanIt()
    {
        var (op, bot, instance) = await server.Client.BotOfOwnOpAsync("console-requeue");
        var id = await server.Client.DeadJobAsync(op, bot, instance);
        using var chrome = new HeadlessChrome();
        chrome.Driver.Navigate().GoToUrl(new Uri(server.BaseAddress, "console"));

        var deadRow = $"#dead-table tr[data-job-id='{id}']";
        chrome.WaitForText($"{deadRow} td:nth-child(3)", op);
        chrome.WaitForText($"{deadRow} td:nth-child(4)", "1/1");
        chrome.Click($"{deadRow} button.requeue");
        chrome.WaitFor(d => d.FindElements(By.CssSelector(deadRow)).Count == 0, $"{id} gone from the dead list");
        Assert.Equal($"requeued {id}", chrome.Driver.FindElement(By.Id("status-line")).Text);

        var claimed = Assert.Single(await server.Client.ClaimJobsAsync(bot, 10, op));
        Assert.Equal((id, 2), (claimed.Id, claimed.Attempt));
        Assert.Equal(ReportDelivery.Accepted, await server.Client.CompleteAsync(bot, id, instance, sum: 42));
        chrome.Driver.FindElement(By.Id("job-id")).SendKeys(id);
        chrome.Driver.FindElement(By.Id("show-job")).Click();

        chrome.WaitForText("#job-detail [data-field=status]", "completed");
        chrome.WaitForText("#job-detail [data-field=attempt]", "2 of 6");
        Assert.Contains("\"sum\": 42", chrome.Driver.FindElement(By.CssSelector("#job-detail [data-field=result]")).Text, StringComparison.Ordinal);
        chrome.WaitForText("#attempts tbody tr:nth-child(1) td:nth-child(5)", AttemptOutcomes.Failed);
        chrome.WaitForText("#attempts tbody tr:nth-child(2) td:nth-child(5)", AttemptOutcomes.Completed);
        chrome.WaitForText($"#overview tr[data-op='{op}'] [data-status=completed]", "1");
        chrome.WaitForText($"#overview tr[data-op='{op}'] [data-status=dead]", "0");
    }

    [Fact]
    public async Task DiscardSelected_DeletesTheCheckedDeadJobsOnly()
    {
        var (op, bot, instance) = await server.Client.BotOfOwnOpAsync("console-discard");
        var first = await server.Client.DeadJobAsync(op, bot, instance);
        var second = await server.Client.DeadJobAsync(op, bot, instance);
        var kept = await server.Client.DeadJobAsync(op, bot, instance);
        using var chrome = new HeadlessChrome();
        chrome.Driver.Navigate().GoToUrl(new Uri(server.BaseAddress, "console"));
        chrome.WaitFor(d => d.FindElement(By.CssSelector($"#dead-table tr[data-job-id='{kept}']")), "the dead jobs");

        // A checked box survives the page's re-render: the selection is kept by job id.
        foreach (var id in new[] { first, second })
        {
            chrome.Click($"#dead-table tr[data-job-id='{id}'] input[type=checkbox]");
        }

        chrome.Click("#discard-selected");

        chrome.WaitFor(d => d.FindElements(By.CssSelector($"#dead-table tr[data-job-id='{first}']")).Count == 0, "the discarded jobs gone");
        Assert.Empty(chrome.Driver.FindElements(By.CssSelector($"#dead-table tr[data-job-id='{second}']")));
        Assert.Single(chrome.Driver.FindElements(By.CssSelector($"#dead-table tr[data-job-id='{kept}']")));
        Assert.Null(await server.Client.GetJobAsync(first, TestJobs.Token));
        Assert.Null(await server.Client.GetJobAsync(second, TestJobs.Token));
        Assert.Equal(1, (await server.Client.GetStatsAsync(TestJobs.Token)).ByOp[op].Dead);
    }

    [Fact]
    public async Task PauseOnABot_PausesItsAssignment_AndResumeUndoesIt()
    {
        var (op, bot, _) = await server.Client.BotOfOwnOpAsync("console-pause");
        var key = (await server.Store.ListBotsAsync(TestJobs.Token)).Single(b => b.BotId == bot.BotId).BotKey;
        await server.Client.SubmitOneAsync(op);
        await server.Client.ClaimJobsAsync(bot, 1, op);
        using var chrome = new HeadlessChrome();
        chrome.Driver.Navigate().GoToUrl(new Uri(server.BaseAddress, "console"));
        var row = $"#bots tr[data-bot-key='{key}']";
        chrome.WaitForText($"{row} [data-field=state]", "active");
        chrome.WaitForText($"{row} [data-field=leased]", "1");

        chrome.Click($"{row} button.pause");

        chrome.WaitForText($"{row} [data-field=state]", "paused");
        Assert.True((await server.Store.ListBotsAsync(TestJobs.Token)).Single(b => b.BotId == bot.BotId).Assignment.Paused);
        chrome.Click($"{row} button.resume");
        chrome.WaitForText($"{row} [data-field=state]", "active");
        Assert.False((await server.Store.ListBotsAsync(TestJobs.Token)).Single(b => b.BotId == bot.BotId).Assignment.Paused);
    }

    [Fact]
    public async Task Overview_RatePerOperation_IsItsCompletionsOverTheTimeBetweenTwoRefreshes()
    {
        var (op, bot, instance) = await server.Client.BotOfOwnOpAsync("console-rate");
        var (idle, _, _) = await server.Client.BotOfOwnOpAsync("console-rate-idle");
        await server.Client.SubmitOneAsync(idle);
        await server.Client.SubmitBatchAsync([.. Enumerable.Range(0, 6).Select(i => new SubmitJobRequest(op, TestJobs.Payload(i)))], TestJobs.Token);
        using var chrome = new HeadlessChrome();
        // The page's clock is the test's, and it refreshes only when told: the rate is then exact.
        chrome.Driver.ExecuteCdpCommand(
            "Page.addScriptToEvaluateOnNewDocument",
            new Dictionary<string, object?> { ["source"] = "window.testNow = 1000000; Date.now = () => window.testNow; window.setInterval = () => 0;" });
        chrome.Driver.Navigate().GoToUrl(new Uri(server.BaseAddress, "console"));
        chrome.WaitForText($"#overview tr[data-op='{op}'] [data-status=pending]", "6");
        chrome.WaitForText($"#overview tr[data-op='{op}'] [data-rate]", string.Empty);

        foreach (var job in await server.Client.ClaimJobsAsync(bot, 10, op))
        {
            Assert.Equal(ReportDelivery.Accepted, await server.Client.CompleteAsync(bot, job.Id, instance));
        }

        chrome.Driver.ExecuteScript("window.testNow += 3000;");
        chrome.Driver.ExecuteAsyncScript("refreshOverview().then(arguments[arguments.length - 1]);");

        chrome.WaitForText($"#overview tr[data-op='{op}'] [data-status=completed]", "6");
        chrome.WaitForText($"#overview tr[data-op='{op}'] [data-rate]", "2.0");
        chrome.WaitForText($"#overview tr[data-op='{idle}'] [data-rate]", "0.0");
    }

    [Fact]
    public async Task BotsView_ShowsTheOutboxAndLastErrorOfEachBotsLatestHeartbeat()
    {
        var (_, stuck, stuckInstance) = await server.Client.BotOfOwnOpAsync("console-health");
        var (_, silent, silentInstance) = await server.Client.BotOfOwnOpAsync("console-health-old");
        await server.Client.HeartbeatAsync(
            stuck.BotId, new HeartbeatRequest(stuckInstance, [], Health: new BotHealth(3, "connection refused (127.0.0.1:5)")), stuck.Auth.AccessToken, TestJobs.Token);
        await server.Client.HeartbeatAsync(silent.BotId, new HeartbeatRequest(silentInstance, []), silent.Auth.AccessToken, TestJobs.Token);
        var keys = (await server.Store.ListBotsAsync(TestJobs.Token)).ToDictionary(b => b.BotId, b => b.BotKey);
        using var chrome = new HeadlessChrome();

        chrome.Driver.Navigate().GoToUrl(new Uri(server.BaseAddress, "console"));

        var stuckRow = $"#bots tr[data-bot-key='{keys[stuck.BotId]}']";
        chrome.WaitForText($"{stuckRow} [data-field=outbox]", "3");
        chrome.WaitForText($"{stuckRow} [data-field=last-error]", "connection refused (127.0.0.1:5)");
        var silentRow = $"#bots tr[data-bot-key='{keys[silent.BotId]}']";
        chrome.WaitForText($"{silentRow} [data-field=outbox]", "–");
        chrome.WaitForText($"{silentRow} [data-field=last-error]", string.Empty);
    }


    [Fact]
    public async Task CancelOnAJob_CancelsAPendingOneAtOnce_AndAsksTheBotOfARunningOneWhoseProgressItShows()
    {
        var (op, bot, instance) = await server.Client.BotOfOwnOpAsync("console-cancel");
        var running = await server.Client.SubmitOneAsync(op);
        Assert.Equal(running, Assert.Single(await server.Client.ClaimJobsAsync(bot, 10, op)).Id);
        var pending = await server.Client.SubmitOneAsync(op);
        await server.Client.HeartbeatAsync(
            bot.BotId, new HeartbeatRequest(instance, [new RunningJob(running, op, 10, null, new JobProgress(40, "halfway"))]), bot.Auth.AccessToken, TestJobs.Token);
        using var chrome = new HeadlessChrome();
        chrome.Driver.Navigate().GoToUrl(new Uri(server.BaseAddress, "console"));

        Show(chrome, pending);
        chrome.Click("#cancel-job");
        chrome.Driver.SwitchTo().Alert().Accept();
        chrome.WaitForText("#job-detail [data-field=status]", JobStatuses.Cancelled);
        Assert.Equal($"cancelled {pending}", chrome.Driver.FindElement(By.Id("status-line")).Text);
        chrome.WaitForText($"#overview tr[data-op='{op}'] [data-status=cancelled]", "1");

        Show(chrome, running);
        chrome.WaitForText("#job-detail [data-field=progress]", "40% halfway");
        chrome.Click("#cancel-job");
        chrome.Driver.SwitchTo().Alert().Accept();
        chrome.WaitFor(d => d.FindElement(By.CssSelector("#job-detail [data-field=cancel_requested_at]")).Text.Length > 0, "the cancel asked of the bot");
        Assert.Equal(JobStatuses.Leased, chrome.Driver.FindElement(By.CssSelector("#job-detail [data-field=status]")).Text);
        Assert.False(chrome.Driver.FindElement(By.Id("cancel-job")).Displayed);
        var answer = await server.Client.HeartbeatAsync(bot.BotId, new HeartbeatRequest(instance, [new RunningJob(running, op, 20, null)]), bot.Auth.AccessToken, TestJobs.Token);
        Assert.Equal([running], answer.Cancel!);
    }

    private static void Show(HeadlessChrome chrome, string jobId)
    {
        var box = chrome.Driver.FindElement(By.Id("job-id"));
        box.Clear();
        box.SendKeys(jobId);
        chrome.Driver.FindElement(By.Id("show-job")).Click();
        chrome.WaitForText("#job-detail [data-field=id]", jobId);
    }
}

/// <summary>The console of a server with JobServer:ApiKey set asks for the key, then works with it.</summary>
public sealed class KeyedJobsConsoleTests(KeyedJobServerFixture server) : IClassFixture<KeyedJobServerFixture>
{
    [Fact]
    public async Task WithoutTheKey_ThePageAsksForIt_AndWithItShowsTheQueues()
    {
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        http.DefaultRequestHeaders.Add(JobApiHeaders.ApiKey, KeyedJobServerFixture.ApiKey);
        var op = TestJobs.NewOp("console-keyed");
        await new JobApiClient(http, null, server.Time).SubmitAsync(new SubmitJobRequest(op, TestJobs.Payload(1)), TestJobs.Token);
        using var chrome = new HeadlessChrome();
        chrome.Driver.Navigate().GoToUrl(new Uri(server.BaseAddress, "console"));

        var prompt = chrome.WaitFor(d => d.FindElement(By.Id("key-prompt")) is { Displayed: true } p ? p : null, "the key prompt");
        Assert.Empty(chrome.Driver.FindElements(By.CssSelector($"#overview tr[data-op='{op}']")));
        prompt.FindElement(By.Id("api-key")).SendKeys(KeyedJobServerFixture.ApiKey);
        prompt.FindElement(By.CssSelector("button[type=submit]")).Click();

        chrome.WaitForText($"#overview tr[data-op='{op}'] [data-status=pending]", "1");
        Assert.False(chrome.Driver.FindElement(By.Id("key-prompt")).Displayed);
    }
}
