using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Cts.Domain.Trading;
using Cts.Functions.Storage;
using Cts.Functions.Tests.Infrastructure;

namespace Cts.Functions.Tests.Storage;

/// <summary>
/// An order intent is journalled with an insert before its order is sent, so a second intent under the same client
/// order id is refused. An insert that landed but whose answer was lost is sent again by the storage client's retry and
/// meets the same "entity already exists": when the stored row is that very intent, the write succeeded and the order
/// may go out; when it is another, it is still refused. Storage is Azurite; the lost answer is injected at the client.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class TableTradeJournalRetryTests(AzuriteFixture azurite)
{
    private static readonly DateTimeOffset At = new DateTimeOffset(2026, 12, 2, 16, 20, 0, TimeSpan.Zero).AddTicks(1_234_567);

    [Fact]
    public async Task An_intent_the_client_sent_again_after_a_lost_answer_is_written_once()
    {
        var prefix = azurite.NewPrefix();
        var loseAnswer = new LoseFirstInsertAnswer();
        var journal = new TableTradeJournal(PolicyTables.With(azurite.ConnectionString, prefix, loseAnswer), "conn-j");
        var intent = Entry("coid-1", 100m);

        await journal.SaveIntentAsync(intent, CancellationToken.None);

        Assert.Equal(1, loseAnswer.Lost);
        Assert.True(loseAnswer.Inserts >= 2, $"the client sent the insert {loseAnswer.Inserts} time(s); the retry is what this test is about");
        var stored = await new TableTradeJournal(azurite.NewTables(prefix), "conn-j").LoadAsync(CancellationToken.None);
        Assert.Equal(intent, Assert.Single(stored.PendingIntents));
    }

    [Fact]
    public async Task Another_intent_under_a_journalled_client_order_id_is_still_refused()
    {
        var prefix = azurite.NewPrefix();
        var journal = new TableTradeJournal(azurite.NewTables(prefix), "conn-j");
        await journal.SaveIntentAsync(Entry("coid-1", 100m), CancellationToken.None);

        var refused = await Assert.ThrowsAsync<RequestFailedException>(() => journal.SaveIntentAsync(Entry("coid-1", 250m), CancellationToken.None));

        Assert.Equal(409, refused.Status);
        var stored = await journal.LoadAsync(CancellationToken.None);
        Assert.Equal(100m, Assert.Single(stored.PendingIntents).QuoteAmount);
    }

    private static OrderIntent Entry(string clientOrderId, decimal quoteAmount) =>
        new(clientOrderId, "BTCUSDT", OrderSide.Buy, OrderPurpose.Open, quoteAmount, null, clientOrderId, null, At.AddMinutes(-1), At);
}
