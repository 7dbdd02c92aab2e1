using System.Text.RegularExpressions;

namespace Cts.Domain.Connections;

/// <summary>Connection ids are slugs: <c>^[a-z0-9][a-z0-9-]{0,62}$</c> (SPEC §4). They key the engine too.</summary>
public static partial class ConnectionId
{
    public const string Pattern = "^[a-z0-9][a-z0-9-]{0,62}$";

    public static bool IsValid(string? id) => id is not null && Regex().IsMatch(id);

    // Pattern with "$" replaced by "\z": in .NET "$" also matches before a final "\n", which would let "abc\n" through.
    [GeneratedRegex(@"^[a-z0-9][a-z0-9-]{0,62}\z", RegexOptions.CultureInvariant)]
    private static partial Regex Regex();
}
