using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Cts.Functions.Security;

/// <summary>
/// Authenticates <c>X-Api-Key</c> by hashing it and comparing the hash with every configured one in constant
/// time (no early exit, no length leak). Answers 401 and 403 as problem documents.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ApiKeyRing keys) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string Header = "X-Api-Key";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var presented = Request.Headers[Header].ToString();
        if (presented.Length == 0)
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }
        var entry = keys.Find(presented);
        if (entry is null)
        {
            return Task.FromResult(AuthenticateResult.Fail("invalid API key"));
        }
        var identity = new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, entry.Name), new Claim(ClaimTypes.Role, entry.Role)], SchemeName, ClaimTypes.Name, ClaimTypes.Role);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties) =>
        WriteProblemAsync(StatusCodes.Status401Unauthorized, "Authentication required",
            $"Send a valid API key in the {Header} header.", "https://cts.dev/problems/unauthorized");

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        WriteProblemAsync(StatusCodes.Status403Forbidden, "Role too low",
            "This API key's role does not allow this request.", "https://cts.dev/problems/forbidden");

    private Task WriteProblemAsync(int status, string title, string detail, string type)
    {
        Response.StatusCode = status;
        if (status == StatusCodes.Status401Unauthorized)
        {
            Response.Headers.WWWAuthenticate = SchemeName;
        }
        return Results.Problem(title: title, detail: detail, statusCode: status, type: type).ExecuteAsync(Context);
    }
}

/// <summary>The configured keys, parsed once; finds the entry for a presented key in constant time.</summary>
public sealed class ApiKeyRing
{
    private readonly (byte[] Hash, ApiKeyEntry Entry)[] _entries;

    public ApiKeyRing(IOptions<ApiKeyOptions> options, ILogger<ApiKeyRing> logger)
    {
        var valid = new List<(byte[], ApiKeyEntry)>();
        foreach (var entry in options.Value.ApiKeys)
        {
            if (!Roles.All.Contains(entry.Role) || string.IsNullOrWhiteSpace(entry.Name) || !TryParseHash(entry.KeyHash, out var hash))
            {
                logger.LogWarning("API key entry '{Name}' ignored: needs a name, a role (viewer, operator, admin) and a 64-digit hex SHA-256", entry.Name);
                continue;
            }
            valid.Add((hash, entry));
        }
        if (valid.Count == 0)
        {
            logger.LogWarning("No API keys are configured: every request except health checks will be refused (401)");
        }
        _entries = valid.ToArray();
    }

    public ApiKeyEntry? Find(string presentedKey)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(presentedKey));
        ApiKeyEntry? found = null;
        foreach (var (candidate, entry) in _entries)
        {
            // Every entry is compared, whatever matched before, so timing does not tell which key is close.
            if (CryptographicOperations.FixedTimeEquals(hash, candidate))
            {
                found = entry;
            }
        }
        return found;
    }

    /// <summary>Whether a key with this name and role is still configured (a session stands for one).</summary>
    public bool Has(string name, string role) =>
        _entries.Any(e => string.Equals(e.Entry.Name, name, StringComparison.Ordinal) && string.Equals(e.Entry.Role, role, StringComparison.Ordinal));

    /// <summary>The hash to configure for a key: lowercase hex SHA-256 of its UTF-8 bytes.</summary>
    public static string HashOf(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    private static bool TryParseHash(string hex, out byte[] hash)
    {
        hash = [];
        if (hex.Length != 64)
        {
            return false;
        }
        try
        {
            hash = Convert.FromHexString(hex);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
