using Azure.Storage.Blobs;
using Cts.Domain.Config;
using Cts.Functions.Backups;
using Cts.Functions.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace Cts.Functions.Tests.Backups;

[Collection(AzuriteCollection.Name)]
public sealed class BackupStoreTests(AzuriteFixture azurite)
{
    private static ConfigSnapshot Snapshot(string reason, int retentionDays) =>
        new(ConfigSnapshot.CurrentFormat, DateTimeOffset.UnixEpoch, reason, [], [Preset.Default], new EngineSettings { RetentionDays = retentionDays });

    [Fact]
    public async Task Names_are_timestamped_newest_first_and_only_the_last_N_are_kept()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 3, 4, 5, 6, 7, 890, TimeSpan.Zero));
        var container = new BlobServiceClient(azurite.ConnectionString).GetBlobContainerClient(azurite.NewPrefix() + "backups");
        var store = new BackupStore(container, keep: 3, clock);

        var names = new List<string>();
        for (var i = 1; i <= 5; i++)
        {
            names.Add(await store.SaveAsync(Snapshot("PUT Presets!", i)));
            clock.Advance(TimeSpan.FromSeconds(1));
        }
        var same = await store.SaveAsync(Snapshot("put-presets", 6)); // same millisecond as the next: gets a counter
        var twin = await store.SaveAsync(Snapshot("put-presets", 7));

        Assert.Equal("20260304T050607890Z-put-presets.json", names[0]);
        Assert.NotEqual(same, twin);
        var listed = (await store.ListAsync()).Select(b => b.Name).ToList();
        Assert.Equal(3, listed.Count);
        Assert.Equal(listed.OrderByDescending(n => n, StringComparer.Ordinal), listed);
        Assert.All(listed, n => Assert.True(BackupStore.IsValidName(n), n));
        Assert.DoesNotContain(names[0], listed);
        Assert.Equal(7, (await store.ReadAsync(twin))!.Settings!.RetentionDays);
        Assert.Null(await store.ReadAsync(names[0]));
        Assert.Equal(5, (await store.ReadAsync(names[4]))!.Settings!.RetentionDays);
        Assert.Throws<ArgumentException>(() => { store.ReadAsync("../x.json").GetAwaiter().GetResult(); });
    }
}
