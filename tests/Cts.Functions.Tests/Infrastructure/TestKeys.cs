using Cts.Functions.Security;

namespace Cts.Functions.Tests.Infrastructure;

/// <summary>One API key per role for tests, configured into every test host by hash only, like production.</summary>
public static class TestKeys
{
    public const string Viewer = "test-viewer-key";
    public const string Operator = "test-operator-key";
    public const string Admin = "test-admin-key";

    public static string For(string role) => role switch
    {
        Roles.Viewer => Viewer,
        Roles.Operator => Operator,
        _ => Admin,
    };

    /// <summary>Configuration entries (<c>Auth:ApiKeys:{n}:…</c>, with <paramref name="separator"/> between sections).</summary>
    public static IEnumerable<KeyValuePair<string, string?>> Settings(string separator = ":")
    {
        var index = 0;
        foreach (var role in Roles.All)
        {
            var prefix = $"Auth{separator}ApiKeys{separator}{index++}{separator}";
            yield return new(prefix + "Name", $"test-{role}");
            yield return new(prefix + "Role", role);
            yield return new(prefix + "KeyHash", ApiKeyRing.HashOf(For(role)));
        }
    }
}
