using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Cts.Domain.Audit;
using Cts.Functions.Storage;
using Cts.Functions.Tests.Infrastructure;

namespace Cts.Functions.Tests.Storage;

/// <summary>
/// An audit append whose insert landed but whose answer was lost is sent again by the storage client's own retry and
/// meets "entity already exists": that is the entry already written, so the append succeeds and the entry is there
/// once. (A 10,000-engine recovery failed every activation this happened to.) Storage is Azurite; the lost answer is
/// injected at the table client's boundary.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class AuditLogRetryTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task An_append_the_client_sent_again_after_a_lost_answer_succeeds_and_is_stored_once()
    {
        var prefix = azurite.NewPrefix();
        var loseAnswer = new LoseFirstInsertAnswer();
        var audit = new AuditLog(PolicyTables.With(azurite.ConnectionString, prefix, loseAnswer));
        var entry = new AuditEntry(DateTimeOffset.UtcNow, "system", "recover", "conn-a", "Running", "Running", "recovered after restart",
            AuditOutcomes.Changed, null, null);

        await audit.AppendAsync(entry);

        Assert.Equal(1, loseAnswer.Lost);
        Assert.True(loseAnswer.Inserts >= 2, $"the client sent the insert {loseAnswer.Inserts} time(s); the retry is what this test is about");
        var stored = await new AuditLog(azurite.NewTables(prefix)).QueryAsync("conn-a", null, null, 10);
        Assert.Equal("recover", Assert.Single(stored).Action);
    }
}
