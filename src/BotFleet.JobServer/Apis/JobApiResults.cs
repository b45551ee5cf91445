using BotFleet.JobApi.Contracts;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BotFleet.JobServer.Apis;

/// <summary>
/// JSON answers written with the wire contract's settings (snake_case), independent of the
/// host's global JSON options: the silo hosts this API beside endpoints of its own.
/// </summary>
internal static class JobApiResults
{
    public static JsonHttpResult<T> Json<T>(T value, int statusCode = StatusCodes.Status200OK) =>
        TypedResults.Json(value, JobApiJson.Options, contentType: "application/json", statusCode: statusCode);
}
