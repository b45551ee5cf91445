using System.Net;
using BotFleet.JobApi.Client;
using BotFleet.Scheduling.Scheduling;
using BotFleet.Scheduling.Tests.Fakes;

namespace BotFleet.Scheduling.Tests.Scheduling;

public sealed class TickResultTests
{
    [Fact]
    public void Failed_NoAnswer_ServerUnreachable()
    {
        var result = TickResult.Failed(TickOutcome.ClaimFailed, FakeJobApi.Unreachable());

        Assert.Equal(new TickResult(TickOutcome.ClaimFailed, 0, null, ServerUnreachable: true), result);
    }

    [Theory]
    [InlineData(HttpStatusCode.BadGateway, true)]
    [InlineData(HttpStatusCode.ServiceUnavailable, true)]
    [InlineData(HttpStatusCode.GatewayTimeout, true)]
    [InlineData(HttpStatusCode.InternalServerError, false)]
    [InlineData(HttpStatusCode.Unauthorized, false)]
    [InlineData(HttpStatusCode.BadRequest, false)]
    public void Failed_Answered_UnreachableOnlyWhenAGatewaySaysTheServerIsDown(HttpStatusCode status, bool unreachable) =>
        Assert.Equal(unreachable, TickResult.Failed(TickOutcome.OutboxBlocked, FakeJobApi.ServerError(status)).ServerUnreachable);

    [Fact]
    public void Failed_RetryAfter_KeepsItAndIsNotUnreachable()
    {
        var result = TickResult.Failed(TickOutcome.ClaimFailed, FakeJobApi.ServerError(HttpStatusCode.ServiceUnavailable, TimeSpan.FromSeconds(7)));

        Assert.Equal(new TickResult(TickOutcome.ClaimFailed, 0, TimeSpan.FromSeconds(7), ServerUnreachable: false), result);
    }

    [Fact]
    public void Failed_ConnectionErrorNotWrapped_ServerUnreachable() =>
        Assert.True(TickResult.Failed(TickOutcome.ClaimFailed, new HttpRequestException("connection refused")).ServerUnreachable);

    [Theory]
    [InlineData(TickOutcome.Claimed, true)]
    [InlineData(TickOutcome.ClaimedFullBatch, true)]
    [InlineData(TickOutcome.Idle, true)]
    [InlineData(TickOutcome.IdleAfterWait, true)]
    [InlineData(TickOutcome.Busy, false)]
    [InlineData(TickOutcome.WaitingInLine, false)]
    [InlineData(TickOutcome.ClaimFailed, false)]
    [InlineData(TickOutcome.Stopped, false)]
    public void ReachedServer_OnlyWhenAClaimWasAnswered(TickOutcome outcome, bool reached) =>
        Assert.Equal(reached, new TickResult(outcome).ReachedServer);
}
