using System.Diagnostics;
using System.Text.Json;
using BotFleet.LoadBench.Api;
using BotFleet.LoadBench.Hosting;

namespace BotFleet.LoadBench.Measurement;

/// <summary>
/// Outbox flush after a job-server outage: submits R sleep jobs, waits until every one is leased (none finished yet),
/// SIGKILLs the standalone job server, waits (botfleet status --json) until the bots ran them all and hold R reports
/// in their outboxes, restarts the server on the same database and port, and times the restart → every job completed.
/// </summary>
internal static class OutboxRun
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan StatusInterval = TimeSpan.FromSeconds(5);

    public static async Task<IReadOnlyList<Metric>> RunAsync(ProductLayout product, Deployment deployment, OutboxSettings settings, CancellationToken cancellationToken)
    {
        var api = deployment.Api;
        var clock = Stopwatch.StartNew();
        var payload = JsonSerializer.SerializeToElement(new { ms = settings.SleepMs });
        for (var first = 0; first < settings.Reports; first += settings.BatchSize)
        {
            var count = Math.Min(settings.BatchSize, settings.Reports - first);
            await api.SubmitAsync([.. Enumerable.Repeat(new SubmitJob("sleep", payload), count)], cancellationToken);
        }

        var submitSeconds = clock.Elapsed.TotalSeconds;
        Console.WriteLine($"[outbox] {settings.Reports:N0} sleep jobs submitted in {submitSeconds:0.0} s; waiting until all are leased");
        var lastProgress = clock.Elapsed;
        var lastLeased = -1L;
        while (true)
        {
            deployment.ThrowIfAnyExited();
            var jobs = (await api.GetStatsAsync(cancellationToken)).Jobs;
            if (jobs.Finished > 0)
            {
                throw new BenchException(
                    $"A job finished before all were claimed ({jobs.Leased:N0} leased, {jobs.Pending:N0} pending after {clock.Elapsed.TotalSeconds:0} s): raise --sleep-ms.");
            }

            if (jobs.Leased >= settings.Reports)
            {
                break;
            }

            if (jobs.Leased != lastLeased)
            {
                (lastLeased, lastProgress) = (jobs.Leased, clock.Elapsed);
            }
            else if (clock.Elapsed - lastProgress > settings.StallTimeout)
            {
                throw new BenchException($"Claims stalled at {jobs.Leased:N0} of {settings.Reports:N0} leased.");
            }

            await Task.Delay(PollInterval, cancellationToken);
        }

        var claimedSeconds = clock.Elapsed.TotalSeconds;
        await deployment.KillJobServerAsync();
        var killedAt = clock.Elapsed;
        Console.WriteLine($"[outbox] all leased after {claimedSeconds:0.0} s; job server SIGKILLed; waiting for the bots to finish the jobs (sleep {settings.SleepMs / 1000.0:0} s)");

        // Every job ran and its report is in an outbox: in_flight 0 and outbox R across the fleet.
        var deadline = killedAt + TimeSpan.FromMilliseconds(settings.SleepMs) + TimeSpan.FromMinutes(3);
        FleetLoad load;
        while (true)
        {
            await Task.Delay(StatusInterval, cancellationToken);
            deployment.ThrowIfAnyExited();
            load = await FleetStatusReader.ReadAsync(product, deployment.GatewayPort, cancellationToken);
            Console.WriteLine($"[outbox] {clock.Elapsed.TotalSeconds:0} s: in flight {load.InFlight:N0}, outbox {load.Outbox:N0}");
            if (load.InFlight == 0 && load.Outbox >= settings.Reports)
            {
                break;
            }

            if (clock.Elapsed > deadline)
            {
                throw new BenchException($"The bots did not finish the jobs within the sleep + 3 min: in flight {load.InFlight:N0}, outbox {load.Outbox:N0}.");
            }
        }

        var outageSeconds = (clock.Elapsed - killedAt).TotalSeconds;
        Console.WriteLine($"[outbox] {load.Outbox:N0} reports in the outboxes; restarting the job server");
        var restartedAt = clock.Elapsed;
        await deployment.RestartJobServerAsync(product, cancellationToken);
        var readyAt = clock.Elapsed;
        deployment.Measured.ForEach(p => p.Start());
        TimeSpan? firstDelivered = null;
        var lastCompleted = 0L;
        lastProgress = clock.Elapsed;
        JobCounts counts;
        while (true)
        {
            await Task.Delay(PollInterval, cancellationToken);
            deployment.ThrowIfAnyExited();
            counts = (await api.GetStatsAsync(cancellationToken)).Jobs;
            if (counts.Completed > 0 && firstDelivered is null)
            {
                firstDelivered = clock.Elapsed;
            }

            if (counts.Finished >= settings.Reports)
            {
                break;
            }

            if (counts.Completed != lastCompleted)
            {
                (lastCompleted, lastProgress) = (counts.Completed, clock.Elapsed);
            }
            else if (clock.Elapsed - lastProgress > settings.StallTimeout)
            {
                throw new BenchException($"The flush stalled: {counts.Completed:N0} of {settings.Reports:N0} completed, {counts.Pending:N0} pending, {counts.Leased:N0} leased, {counts.Dead:N0} dead.");
            }
        }

        var doneAt = clock.Elapsed;
        var costs = deployment.Measured.Select(p => p.Stop()).ToList();
        var flush = (doneAt - restartedAt).TotalSeconds;
        var fromFirst = (doneAt - (firstDelivered ?? doneAt)).TotalSeconds;
        return
        [
            new("reports", settings.Reports, ""),
            new("submit_s", Math.Round(submitSeconds, 1), "s"),
            new("claimed_s", Math.Round(claimedSeconds, 1), "s"),
            new("outage_s", Math.Round(outageSeconds, 1), "s"),
            new("outbox_at_restart", load.Outbox, ""),
            new("restart_to_ready_s", Math.Round((readyAt - restartedAt).TotalSeconds, 2), "s"),
            new("restart_to_first_report_s", Math.Round(((firstDelivered ?? doneAt) - restartedAt).TotalSeconds, 2), "s"),
            new("flush_s", Math.Round(flush, 2), "s"),
            new("reports_per_s", Math.Round(settings.Reports / flush, 1), "reports/s"),
            new("reports_per_s.after_first", fromFirst > 0 ? Math.Round(settings.Reports / fromFirst, 1) : null, "reports/s"),
            new("completed", counts.Completed, ""),
            new("dead", counts.Dead, ""),
            .. CostMetrics.For(costs, settings.Reports),
        ];
    }
}
