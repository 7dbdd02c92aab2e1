namespace Cts.Functions.Tests.Infrastructure;

/// <summary>
/// A second storage collection with an Azurite of its own, run alongside <see cref="AzuriteCollection"/>: xunit runs the
/// two collections in parallel (each one class after another), which keeps the suite within its time budget on two cores.
/// Outage tests stay in <see cref="AzuriteCollection"/>, so stopping that Azurite never reaches a test of this one.
/// </summary>
[CollectionDefinition(Name)]
public sealed class SecondAzuriteCollection : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "azurite-2";
}
