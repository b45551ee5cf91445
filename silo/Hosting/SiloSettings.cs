using BotFleet.JobApi.Client;
using BotFleet.JobServer;
using BotFleet.Scheduling.Fleet;
using BotFleet.Scheduling.Registry;
using BotFleet.Scheduling.Scheduling;
using Orleans.Configuration;

namespace BotFleet.Silo.Hosting;

/// <summary>Every configuration section the silo reads and the options class it binds to, for start-up failure messages.</summary>
public static class SiloSettings
{
    public static HostSettings Create() => new HostSettings()
        .Add(SiloOptions.SectionName, typeof(SiloOptions))
        .Add(SchedulerOptions.SectionName, typeof(SchedulerOptions))
        .Add(FleetFailoverOptions.SectionName, typeof(FleetFailoverOptions))
        .Add(FleetOptions.SectionName, typeof(Dictionary<string, BotOptions>))
        .Add(JobApiResilienceOptions.SectionName, typeof(JobApiResilienceOptions))
        .Add(JobRegistryOptions.SectionName, typeof(JobRegistryOptions))
        .Add(BotFleetSiloExtensions.MembershipSectionName, typeof(ClusterMembershipOptions))
        .Add(BotFleetSiloExtensions.GrainDirectorySectionName, typeof(GrainDirectoryOptions))
        .Add(HostSettings.ForJobServer());
}
