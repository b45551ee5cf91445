namespace BotFleet.JobServer.Storage;

/// <summary>The wire names of <see cref="JobPriority"/>.</summary>
public static class JobPriorityNames
{
    public const string High = "high";
    public const string Normal = "normal";
    public const string Low = "low";

    public static string ToWire(this JobPriority priority) => priority switch
    {
        JobPriority.High => High,
        JobPriority.Low => Low,
        _ => Normal,
    };

    public static bool TryParse(string? name, out JobPriority priority)
    {
        switch (name)
        {
            case High:
                priority = JobPriority.High;
                return true;
            case Normal:
                priority = JobPriority.Normal;
                return true;
            case Low:
                priority = JobPriority.Low;
                return true;
            default:
                priority = JobPriority.Normal;
                return false;
        }
    }
}
