using BotFleet.JobApi.Client;

namespace BotFleet.Cli.Connections;

/// <summary>What the CLI asks of the job server: the producer and operator calls of the shared job API client.</summary>
internal interface IJobServerClient : IJobProducerClient, IJobOperatorClient;
