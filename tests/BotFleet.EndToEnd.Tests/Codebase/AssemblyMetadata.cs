using System.Reflection.Metadata;

namespace BotFleet.EndToEnd.Tests.Codebase;

/// <summary>Reading a built assembly as metadata (never loading it), for the codebase tests.</summary>
internal static class AssemblyMetadata
{
    /// <summary>The name of an attribute's type, when it is defined in another assembly (as ours and the framework's are); else null.</summary>
    public static string? AttributeName(MetadataReader metadata, CustomAttribute attribute) =>
        attribute.Constructor.Kind == HandleKind.MemberReference
        && metadata.GetMemberReference((MemberReferenceHandle)attribute.Constructor).Parent is { Kind: HandleKind.TypeReference } parent
            ? metadata.GetString(metadata.GetTypeReference((TypeReferenceHandle)parent).Name)
            : null;
}
