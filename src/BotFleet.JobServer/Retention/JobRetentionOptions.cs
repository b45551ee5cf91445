using System.ComponentModel.DataAnnotations;

namespace BotFleet.JobServer.Retention;

/// <summary>
/// How long finished jobs are kept (section "JobServer:Retention", <see cref="JobServerOptions.Retention"/>): completed, dead and cancelled jobs whose last change is
/// older are deleted with their attempts, in small batches (<see cref="BatchSize"/> per transaction), so claims and
/// reports never wait long behind a prune. <c>00:00:00</c> keeps them forever.
/// </summary>
public sealed class JobRetentionOptions
{
    /// <summary>How long a completed job is kept after it completed. Default 7 days; 0 keeps them forever.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "3650.00:00:00", ErrorMessage = "JobServer:Retention:Completed must be between {1} and {2} (00:00:00 keeps completed jobs forever).")]
    public TimeSpan Completed { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How long a dead job is kept after it died. Default 30 days; 0 keeps them forever.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "3650.00:00:00", ErrorMessage = "JobServer:Retention:Dead must be between {1} and {2} (00:00:00 keeps dead jobs forever).")]
    public TimeSpan Dead { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How long a cancelled job is kept after it ended. Default 7 days; 0 keeps them forever.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "3650.00:00:00", ErrorMessage = "JobServer:Retention:Cancelled must be between {1} and {2} (00:00:00 keeps cancelled jobs forever).")]
    public TimeSpan Cancelled { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How often the server looks for jobs to prune. Default 1 minute; 1 s – 1 day.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00", ErrorMessage = "JobServer:Retention:Interval must be between {1} and {2}.")]
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Jobs deleted per transaction. Default 1000; 1–10000.</summary>
    [Range(1, 10_000, ErrorMessage = "JobServer:Retention:BatchSize must be between {1} and {2}.")]
    public int BatchSize { get; set; } = 1_000;
}
