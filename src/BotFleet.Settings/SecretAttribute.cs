using Microsoft.Extensions.Compliance.Classification;

namespace BotFleet.Settings;

/// <summary>
/// Marks a setting that holds a secret (<see cref="BotFleetTaxonomy.Secret"/>). The one marker on every secret of every
/// BotFleet library and host: start-up errors never echo its value, and a codebase test requires it on every setting
/// named like a secret.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field | AttributeTargets.Parameter)]
public sealed class SecretAttribute() : DataClassificationAttribute(BotFleetTaxonomy.Secret);
