namespace Cts.Functions.Tests.Infrastructure;

/// <summary>
/// The test classes that need storage: xunit starts one <see cref="AzuriteFixture"/> for all of them and runs
/// them one after another, so an outage test stopping Azurite cannot break a storage test running alongside.
/// </summary>
[CollectionDefinition(Name)]
public sealed class AzuriteCollection : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "azurite";
}
