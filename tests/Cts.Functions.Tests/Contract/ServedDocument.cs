using Cts.Functions.Tests.Infrastructure;

namespace Cts.Functions.Tests.Contract;

/// <summary>The OpenAPI document the host serves, fetched once per test run (every test host maps the same routes).</summary>
public static class ServedDocument
{
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static ContractDocument? _document;

    public static async Task<ContractDocument> GetAsync(CtsAppFactory host)
    {
        if (_document is { } cached)
        {
            return cached;
        }
        await Gate.WaitAsync();
        try
        {
            using var client = host.CreateClient(Cts.Functions.Security.Roles.Viewer);
            return _document ??= await ContractDocument.FetchAsync(client);
        }
        finally
        {
            Gate.Release();
        }
    }
}

/// <summary>Responses of a test host that the OpenAPI document does not describe; the message lists each one.</summary>
public sealed class ContractViolationException(IReadOnlyList<string> violations) : Exception(
    $"{violations.Count} response(s) broke the served OpenAPI document ({ContractDocument.Path}):{Environment.NewLine}"
    + string.Join(Environment.NewLine, violations.Select(v => "  - " + v)))
{
    public IReadOnlyList<string> Violations { get; } = violations;
}
