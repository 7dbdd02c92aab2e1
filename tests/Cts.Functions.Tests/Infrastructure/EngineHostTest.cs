namespace Cts.Functions.Tests.Infrastructure;

/// <summary>
/// Base of the tests that drive the whole host (HTTP + Orleans + Azurite): each test gets its own host and its own
/// storage prefix, so tests never see each other's engines.
/// </summary>
[Collection(AzuriteCollection.Name)]
public abstract class EngineHostTest(AzuriteFixture azurite) : IAsyncLifetime
{
    protected AzuriteFixture Azurite { get; } = azurite;
    protected CtsAppFactory Host { get; private set; } = null!;
    protected HttpClient Client { get; private set; } = null!;

    /// <summary>Configuration a test class wants on top of the defaults.</summary>
    protected virtual IReadOnlyDictionary<string, string?>? Overrides => null;

    public Task InitializeAsync()
    {
        Host = new CtsAppFactory(Azurite, Overrides);
        Client = Host.CreateClient(Cts.Functions.Security.Roles.Admin);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        await Host.DisposeAsync();
    }

    /// <summary>Three processor intervals of the slowest processor: long enough for every timer to have fired.</summary>
    protected static TimeSpan ThreeIntervals =>
        TimeSpan.FromMilliseconds(3 * Math.Max(CtsAppFactory.IndicationsMs, CtsAppFactory.StrategiesMs));
}
