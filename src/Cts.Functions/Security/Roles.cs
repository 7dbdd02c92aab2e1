namespace Cts.Functions.Security;

/// <summary>
/// The three roles and the policies built on them: each role can do everything the roles below it can.
/// <c>viewer</c> reads; <c>operator</c> also runs engine actions and closes positions; <c>admin</c> also writes configuration.
/// </summary>
public static class Roles
{
    public const string Viewer = "viewer";
    public const string Operator = "operator";
    public const string Admin = "admin";

    public static readonly IReadOnlyList<string> All = [Viewer, Operator, Admin];

    /// <summary>The policy names are the role names: "at least this role".</summary>
    public static string[] AtLeast(string role) => role switch
    {
        Viewer => [Viewer, Operator, Admin],
        Operator => [Operator, Admin],
        Admin => [Admin],
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, "unknown role"),
    };
}
