using Cts.Domain.Config;
using Cts.Domain.Connections;
using Cts.Domain.Exchanges;
using Cts.Domain.Market;
using Cts.Domain.Trading;
using Cts.Functions.Exchanges;
using Cts.Functions.Exchanges.Binance;
using Cts.Functions.Storage;
using Cts.Functions.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Cts.Functions.Tests.Exchanges;

/// <summary>
/// The paper venue's books are storage, and the storage client already retries each request: its order calls are not
/// retried again by the exchange pipeline, which would send four times as many requests into a storage outage.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class PaperVenueRetryTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task A_paper_order_whose_storage_write_outlasts_the_attempt_timeout_is_sent_once_not_retried()
    {
        var stall = new StorageStall();
        var tables = PolicyTables.With(azurite.ConnectionString, azurite.NewPrefix(), stall);
        var now = DateTimeOffset.UtcNow;
        var connection = new Connection("conn-retry", "Retry", PaperExchange.VenueName, ["BTCUSDT"], null, false, false, 1, now, now);
        var factory = new ExchangeFactory(new PaperMarket(seed: 42), TimeProvider.System, new PaperFillModel(), new PaperLedgers(tables),
            new ExchangeResiliencePipelines(TimeProvider.System, NullLogger<ExchangeResiliencePipelines>.Instance),
            new BinanceVenues(null!, Options.Create(new BinanceOptions()), null!, TimeProvider.System),
            new ConfigurationBuilder().Build());
        var paper = factory.Create(connection, EngineSettings.Defaults with { ExchangeTimeoutSeconds = 1 });
        var order = OrderRequest.Buy("cts-stalled-order", "BTCUSDT", 100m);
        await paper.PlaceOrderAsync(OrderRequest.Buy("cts-first-order", "BTCUSDT", 100m), CancellationToken.None); // the table exists

        stall.Begin(TimeSpan.FromSeconds(60));
        await Assert.ThrowsAnyAsync<Exception>(() => paper.PlaceOrderAsync(order, CancellationToken.None));
        stall.End();

        // One attempt, abandoned at its timeout; the pipeline's retries would have sent it 1 + 3 times.
        Assert.Equal(1, stall.Held);

        // Storage answers again: the same order goes through on the next call (the engine's reconcile makes it).
        Assert.Equal(OrderStatus.Filled, (await paper.PlaceOrderAsync(order, CancellationToken.None)).Status);
    }
}
