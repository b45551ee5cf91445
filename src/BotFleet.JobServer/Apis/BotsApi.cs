using BotFleet.JobApi.Wire;
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

/// <summary>The bot endpoints of job API v1: register and heartbeat.</summary>
public static partial class BotsApi
{
    private const string LogCategory = "BotFleet.JobServer.Apis.BotsApi";

    public static RouteGroupBuilder MapBotsApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/v1/bots").WithTags("Bots").WithGroupName(JobServerOpenApi.DocumentName);

        group.MapPost("/register", RegisterAsync)
            .WithName("JobApi.RegisterBot")
            .WithSummary("Registers a bot (201 the first time for a bot_key, 200 after: same bot_id, new token).")
            .DocumentsJsonBody<RegisterBotRequest>()
            .Produces<RegisterBotResponse>(StatusCodes.Status201Created)
            .Produces<RegisterBotResponse>(StatusCodes.Status200OK)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge);

        group.MapPut("/{bot_id}/heartbeat", HeartbeatAsync)
            .WithName("JobApi.Heartbeat")
            .WithSummary("Marks the bot alive and extends the leases of the jobs it still runs.")
            .DocumentsJsonBody<HeartbeatRequest>()
            .Produces<HeartbeatResponse>(StatusCodes.Status200OK)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);

        return group;
    }

    private static async Task<Results<JsonHttpResult<RegisterBotResponse>, ProblemHttpResult>> RegisterAsync(
        HttpContext context,
        IJobStore store,
        IOptions<JobServerOptions> options,
        TimeProvider timeProvider,
        ILoggerFactory loggerFactory,
        CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var logger = loggerFactory.CreateLogger(LogCategory);
        var (document, problem) = await JsonBody.ReadObjectAsync(context, settings.MaxRequestBytes, cancellationToken);
        if (problem is not null)
        {
            LogRejected(logger, "register", problem.StatusCode);
            return problem;
        }

        using (document)
        {
            var errors = new RequestErrors();
            var request = RegisterBotRequestParser.Parse(document!.RootElement, errors, settings.MaxPayloadBytes);
            if (request is null)
            {
                LogRejected(logger, "register", StatusCodes.Status400BadRequest);
                return Problems.Invalid(errors);
            }

            var accessToken = BotTokens.New();
            var refreshToken = BotTokens.New();
            var result = await store.RegisterBotAsync(
                new BotRegistration(
                    request.BotKey,
                    request.InstanceId,
                    request.Version,
                    request.Capabilities,
                    request.MaxConcurrency ?? settings.DefaultMaxConcurrency,
                    BotTokens.Hash(accessToken),
                    BotTokens.Hash(refreshToken),
                    timeProvider.GetUtcNow().AddSeconds(settings.TokenLifetimeSeconds),
                    request.ResourcesJson,
                    request.MetaJson),
                cancellationToken);
            LogRegistered(logger, result.BotId, request.BotKey, request.InstanceId, result.Created);

            var assignment = result.Assignment;
            var response = new RegisterBotResponse(
                result.BotId,
                new BotAuth(accessToken, refreshToken, settings.TokenLifetimeSeconds),
                new BotAssignment(assignment.Operations, assignment.MaxConcurrency, assignment.Paused),
                new BotConfig(settings.HeartbeatIntervalSeconds, settings.ClaimBatchSize, settings.JobLeaseTtlSeconds),
                // The heartbeat path is given filled in: a bot that substitutes {bot_id} and one that doesn't both work.
                new BotEndpoints($"/v1/bots/{result.BotId}/heartbeat", "/v1/jobs/claim", "/v1/jobs/{job_id}/{action}"));
            return JobApiResults.Json(response, result.Created ? StatusCodes.Status201Created : StatusCodes.Status200OK);
        }
    }

    private static async Task<Results<JsonHttpResult<HeartbeatResponse>, ProblemHttpResult>> HeartbeatAsync(
        [FromRoute(Name = "bot_id")] string botId,
        HttpContext context,
        IJobStore store,
        IOptions<JobServerOptions> options,
        ILoggerFactory loggerFactory,
        CancellationToken cancellationToken)
    {
        var logger = loggerFactory.CreateLogger(LogCategory);
        var (document, problem) = await JsonBody.ReadObjectAsync(context, options.Value.MaxRequestBytes, cancellationToken);
        if (problem is not null)
        {
            LogRejected(logger, "heartbeat", problem.StatusCode);
            return problem;
        }

        using (document)
        {
            var errors = new RequestErrors();
            var request = HeartbeatRequestParser.Parse(document!.RootElement, errors);
            if (request is null)
            {
                LogRejected(logger, "heartbeat", StatusCodes.Status400BadRequest);
                return Problems.Invalid(errors);
            }

            var result = await store.HeartbeatAsync(botId, request.InstanceId, request.RunningJobIds, cancellationToken);
            if (result is null)
            {
                return Problems.NotFound($"Bot '{botId}' is not registered.");
            }

            return JobApiResults.Json(new HeartbeatResponse(
                result.LeaseExtendedTo,
                Assignment: null,
                Leases: result.Leases.Select(id => new JobLease(id, result.LeaseExtendedTo)).ToList()));
        }
    }
}
