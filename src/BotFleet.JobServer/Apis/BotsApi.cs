using BotFleet.JobApi.Contracts;
using BotFleet.JobServer.Auth;
using BotFleet.JobServer.Requests;
using BotFleet.JobServer.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BotFleet.JobServer.Apis;

/// <summary>The bot endpoints of job API v1: register and heartbeat; and the operator's assignment change.</summary>
public static partial class BotsApi
{
    private const string LogCategory = "BotFleet.JobServer.Apis.BotsApi";

    public static RouteGroupBuilder MapBotsApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/v1/bots").WithTags("Bots").WithGroupName(JobServerOpenApi.DocumentName);

        group.MapPost("/register", RegisterAsync)
            .RequireEnrollmentKey()
            .WithName("JobApi.RegisterBot")
            .WithSummary("Registers a bot (201 the first time for a bot_key, 200 after: same bot_id, new token). Needs X-Enrollment-Key when the server has one.")
            .TakesJsonBody<RegisterBotRequest, ParsedRegistration>((root, errors, options) => RegisterBotRequestParser.Parse(root, errors, options.MaxPayloadBytes))
            .Produces<RegisterBotResponse>(StatusCodes.Status201Created)
            .Produces<RegisterBotResponse>(StatusCodes.Status200OK)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge);

        group.MapPut("/{bot_id}/heartbeat", HeartbeatAsync)
            .RequireBotToken()
            .WithName("JobApi.Heartbeat")
            .WithSummary("Marks the bot alive and extends the leases of the jobs it still runs; carries the bot's new assignment when an operator changed it.")
            .TakesJsonBody<HeartbeatRequest, ParsedHeartbeat>((root, errors, _) => HeartbeatRequestParser.Parse(root, errors))
            .Produces<HeartbeatResponse>(StatusCodes.Status200OK)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapPost("/heartbeats", HeartbeatBatchAsync)
            .WithName("JobApi.HeartbeatBatch")
            .WithSummary("The heartbeats of many bots (1..1,000) in one call, each with its bot's access token; one result per heartbeat, in input order. Never rate-limited.")
            .TakesJsonBody<HeartbeatBatchRequest, List<ParsedHeartbeatBatchItem>>((root, errors, _) => HeartbeatBatchRequestParser.Parse(root, errors))
            .Produces<HeartbeatBatchResponse>(StatusCodes.Status200OK)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge);

        group.MapGet(string.Empty, ListBotsAsync)
            .RequireProducerAccess()
            .WithName("JobApi.ListBots")
            .WithSummary("Every registered bot by bot_key: capabilities, the assignment in force, registration and last contact, whether it is active (seen within three heartbeat intervals), and the jobs it holds leased.")
            .Produces<BotListResponse>(StatusCodes.Status200OK);

        group.MapPut("/{bot_id}/assignment", UpdateAssignmentAsync)
            .RequireProducerAccess()
            .WithName("JobApi.UpdateAssignment")
            .WithSummary("Changes a bot's operations, max_concurrency (1..1000) or paused; the bot learns it on its next heartbeat.")
            .TakesJsonBody<UpdateAssignmentRequest, AssignmentUpdate>((root, errors, _) => AssignmentRequestParser.Parse(root, errors))
            .Produces<BotAssignment>(StatusCodes.Status200OK)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);

        return group;
    }

    private static async Task<Results<JsonHttpResult<RegisterBotResponse>, ProblemHttpResult>> RegisterAsync(
        ValidBody<ParsedRegistration> body,
        IBotRegistry store,
        IOptions<JobServerOptions> options,
        TimeProvider timeProvider,
        BotTokenCache tokenCache,
        ILoggerFactory loggerFactory,
        CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var logger = loggerFactory.CreateLogger(LogCategory);
        var request = body.Value;
        var accessSecret = BotTokens.NewSecret();
        var refreshToken = BotTokens.NewSecret();
        var result = await store.RegisterBotAsync(
            new BotRegistration(
                request.BotKey,
                request.InstanceId,
                request.Version,
                request.Capabilities,
                request.MaxConcurrency ?? settings.DefaultMaxConcurrency,
                BotTokens.Hash(accessSecret),
                BotTokens.Hash(refreshToken),
                timeProvider.GetUtcNow() + settings.TokenLifetime,
                request.ResourcesJson,
                request.MetaJson),
            cancellationToken);
        // The old token is replaced; it must not live on in this server's cache.
        tokenCache.Forget(result.BotId);
        LogRegistered(logger, result.BotId, request.BotKey, request.InstanceId, result.Created);

        var response = new RegisterBotResponse(
            result.BotId,
            new BotAuth(BotTokens.Issue(result.BotId, accessSecret), refreshToken, (int)settings.TokenLifetime.TotalSeconds),
            result.Assignment.ToWire(),
            new BotConfig(
                (int)settings.HeartbeatInterval.TotalSeconds,
                settings.ClaimBatchSize,
                (int)settings.JobLeaseTtl.TotalSeconds,
                settings.MaxClaimWaiters > 0 ? RequestLimits.ClaimWaitMs : 0,
                settings.MaxPayloadBytes),
            // The heartbeat path is given filled in: a bot that substitutes {bot_id} and one that doesn't both work.
            new BotEndpoints($"/v1/bots/{result.BotId}/heartbeat", "/v1/jobs/claim", "/v1/jobs/{job_id}/{action}"));
        return JobApiResults.Json(response, result.Created ? StatusCodes.Status201Created : StatusCodes.Status200OK);
    }

    private static async Task<Results<JsonHttpResult<HeartbeatResponse>, ProblemHttpResult>> HeartbeatAsync(
        [FromRoute(Name = "bot_id")] string botId,
        ValidBody<ParsedHeartbeat> body,
        HttpContext context,
        IBotRegistry store,
        ILoggerFactory loggerFactory,
        CancellationToken cancellationToken)
    {
        var logger = loggerFactory.CreateLogger(LogCategory);
        if (!AuthenticatedBot.Of(context).Owns(botId))
        {
            LogRejected(logger, "heartbeat", StatusCodes.Status403Forbidden);
            return Problems.Forbidden(BotRefusals.NotTheTokensBot(botId));
        }

        var request = body.Value;
        var result = (await store.HeartbeatAsync([request.ToStored(botId)], cancellationToken))[0];
        if (result is null)
        {
            return Problems.NotFound(BotRefusals.NotRegistered(botId));
        }

        return JobApiResults.Json(new HeartbeatResponse(result.LeaseExtendedTo, result.DeliveredAssignment(botId, logger), result.ToWireLeases(), result.Cancel));
    }

    /// <summary>
    /// Each item is checked as the single heartbeat checks its request (its token, then whether the token is the
    /// item's bot); the items that pass go to the store in one transaction.
    /// </summary>
    private static async Task<Results<JsonHttpResult<HeartbeatBatchResponse>, ProblemHttpResult>> HeartbeatBatchAsync(
        ValidBody<List<ParsedHeartbeatBatchItem>> body,
        IBotRegistry store,
        BotAuthenticator authenticator,
        ILoggerFactory loggerFactory,
        CancellationToken cancellationToken)
    {
        var logger = loggerFactory.CreateLogger(LogCategory);
        var items = body.Value;
        var results = new HeartbeatBatchItemResult?[items.Count];
        var valid = new List<int>(items.Count);
        for (var i = 0; i < items.Count; i++)
        {
            if (items[i].Invalid is { } invalid)
            {
                results[i] = new(items[i].BotId, HeartbeatItemStatuses.Invalid, invalid);
            }
            else
            {
                valid.Add(i);
            }
        }

        var authentications = await authenticator.AuthenticateTokensAsync(valid.ConvertAll(i => items[i].AccessToken!), cancellationToken);
        var accepted = new List<(int Index, BotHeartbeat Heartbeat)>(valid.Count);
        for (var k = 0; k < valid.Count; k++)
        {
            var (i, item, authentication) = (valid[k], items[valid[k]], authentications[k]);
            if (authentication.BotId is null)
            {
                results[i] = new(item.BotId, HeartbeatItemStatuses.Unauthorized, authentication.Failure);
            }
            else if (!new AuthenticatedBot(authentication.BotId).Owns(item.BotId!))
            {
                results[i] = new(item.BotId, HeartbeatItemStatuses.Forbidden, BotRefusals.NotTheTokensBot(item.BotId!));
            }
            else
            {
                accepted.Add((i, item.Heartbeat!.ToStored(item.BotId!)));
            }
        }

        if (accepted.Count > 0)
        {
            var stored = await store.HeartbeatAsync(accepted.ConvertAll(a => a.Heartbeat), cancellationToken);
            for (var k = 0; k < accepted.Count; k++)
            {
                var (index, heartbeat) = accepted[k];
                results[index] = stored[k] is { } result
                    ? new(heartbeat.BotId, HeartbeatItemStatuses.Ok, null, result.LeaseExtendedTo, result.DeliveredAssignment(heartbeat.BotId, logger), result.ToWireLeases(), result.Cancel)
                    : new(heartbeat.BotId, HeartbeatItemStatuses.NotFound, BotRefusals.NotRegistered(heartbeat.BotId));
            }
        }

        return JobApiResults.Json(new HeartbeatBatchResponse(results!));
    }

    private static async Task<JsonHttpResult<BotListResponse>> ListBotsAsync(
        IBotRegistry store,
        IOptions<JobServerOptions> options,
        TimeProvider timeProvider,
        CancellationToken cancellationToken)
    {
        var activeSince = timeProvider.GetUtcNow() - options.Value.ActiveBotWindow;
        var bots = await store.ListBotsAsync(cancellationToken);
        return JobApiResults.Json(new BotListResponse(bots.Select(b => new BotView(
            b.BotId, b.BotKey, b.Version, b.Capabilities, b.Assignment.ToWire(), b.RegisteredAt, b.LastSeenAt, b.LastSeenAt >= activeSince, b.LeasedJobs,
            b.Health is { } health ? new BotHealth(health.OutboxSize, health.LastError) : null)).ToList()));
    }

    private static async Task<Results<JsonHttpResult<BotAssignment>, ProblemHttpResult>> UpdateAssignmentAsync(
        [FromRoute(Name = "bot_id")] string botId,
        ValidBody<AssignmentUpdate> body,
        IBotRegistry store,
        ILoggerFactory loggerFactory,
        CancellationToken cancellationToken)
    {
        var logger = loggerFactory.CreateLogger(LogCategory);
        var assignment = await store.UpdateAssignmentAsync(botId, body.Value, cancellationToken);
        if (assignment is null)
        {
            return Problems.NotFound(BotRefusals.NotRegistered(botId));
        }

        LogAssignmentChanged(logger, botId, assignment.Operations.Count, assignment.MaxConcurrency, assignment.Paused);
        return JobApiResults.Json(assignment.ToWire());
    }

    /// <summary>The assignment change a heartbeat's answer delivers, as sent (and logged), or null when there is none.</summary>
    private static BotAssignment? DeliveredAssignment(this HeartbeatResult result, string botId, ILogger logger)
    {
        if (result.ChangedAssignment is not { } assignment)
        {
            return null;
        }

        LogAssignmentDelivered(logger, botId, assignment.Paused, assignment.MaxConcurrency);
        return assignment.ToWire();
    }

    private static List<JobLease> ToWireLeases(this HeartbeatResult result) =>
        result.Leases.Select(id => new JobLease(id, result.LeaseExtendedTo)).ToList();

    private static BotAssignment ToWire(this BotAssignmentState assignment) =>
        new(assignment.Operations, assignment.MaxConcurrency, assignment.Paused);
}
