using Cts.Functions.Storage;
using Cts.Functions.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Orleans.Configuration;

namespace Cts.Functions.Tests.Storage;

[Collection(AzuriteCollection.Name)]
public sealed class TableReminderTableTests
{
    private static readonly DateTime StartAt = new(2025, 3, 4, 5, 6, 7, 890, DateTimeKind.Utc);

    private readonly AzuriteFixture _azurite;
    private readonly string _prefix;
    private readonly TableReminderTable _table;

    public TableReminderTableTests(AzuriteFixture azurite)
    {
        _azurite = azurite;
        _prefix = azurite.NewPrefix();
        _table = NewTable("cts-service");
    }

    [Fact]
    public async Task Upserted_reminder_can_be_read_by_name_and_by_grain()
    {
        var grain = Grain("binance-main");
        var etag = await _table.UpsertRow(Entry(grain, "tick", TimeSpan.FromMinutes(1)));
        await _table.UpsertRow(Entry(grain, "audit", TimeSpan.FromHours(1)));
        await _table.UpsertRow(Entry(Grain("other"), "tick", TimeSpan.FromMinutes(1)));

        var row = await _table.ReadRow(grain, "tick");
        var rows = await _table.ReadRows(grain);

        Assert.NotNull(row);
        Assert.Equal(grain, row.GrainId);
        Assert.Equal("tick", row.ReminderName);
        Assert.Equal(StartAt, row.StartAt);
        Assert.Equal(DateTimeKind.Utc, row.StartAt.Kind);
        Assert.Equal(TimeSpan.FromMinutes(1), row.Period);
        Assert.Equal(etag, row.ETag);
        Assert.Equal(["audit", "tick"], rows.Reminders.Select(r => r.ReminderName).Order());
        Assert.All(rows.Reminders, r => Assert.Equal(grain, r.GrainId));
    }

    [Fact]
    public async Task ReadRow_of_a_missing_reminder_returns_null()
    {
        Assert.Null(await _table.ReadRow(Grain("nobody"), "tick"));
    }

    [Fact]
    public async Task Upsert_replaces_the_reminder_and_returns_a_new_etag()
    {
        var grain = Grain("upserted");
        var first = await _table.UpsertRow(Entry(grain, "tick", TimeSpan.FromMinutes(1)));
        var second = await _table.UpsertRow(Entry(grain, "tick", TimeSpan.FromMinutes(5)));

        var row = await _table.ReadRow(grain, "tick");

        Assert.NotEqual(first, second);
        Assert.Equal(second, row?.ETag);
        Assert.Equal(TimeSpan.FromMinutes(5), row?.Period);
    }

    [Fact]
    public async Task RemoveRow_with_stale_etag_returns_false_and_keeps_the_reminder()
    {
        var grain = Grain("contended");
        var stale = await _table.UpsertRow(Entry(grain, "tick", TimeSpan.FromMinutes(1)));
        await _table.UpsertRow(Entry(grain, "tick", TimeSpan.FromMinutes(2)));

        Assert.False(await _table.RemoveRow(grain, "tick", stale!));
        Assert.NotNull(await _table.ReadRow(grain, "tick"));
    }

    [Fact]
    public async Task RemoveRow_with_current_etag_removes_the_reminder()
    {
        var grain = Grain("removed");
        var etag = await _table.UpsertRow(Entry(grain, "tick", TimeSpan.FromMinutes(1)));

        Assert.True(await _table.RemoveRow(grain, "tick", etag!));
        Assert.Null(await _table.ReadRow(grain, "tick"));
        Assert.False(await _table.RemoveRow(grain, "tick", etag!));
    }

    [Fact]
    public async Task Reminder_names_and_grain_keys_with_separators_do_not_collide()
    {
        var grainWithDash = Grain("a-b");
        var grain = Grain("a");
        await _table.UpsertRow(Entry(grainWithDash, "c/d", TimeSpan.FromMinutes(1)));
        await _table.UpsertRow(Entry(grain, "b-c/d", TimeSpan.FromMinutes(2)));

        Assert.Equal(TimeSpan.FromMinutes(1), (await _table.ReadRow(grainWithDash, "c/d"))?.Period);
        Assert.Equal(TimeSpan.FromMinutes(2), (await _table.ReadRow(grain, "b-c/d"))?.Period);
    }

    [Fact]
    public async Task ReadRows_by_range_returns_hashes_after_begin_up_to_and_including_end()
    {
        var sorted = await UpsertGrainsSortedByHashAsync(6);

        var rows = await _table.ReadRows(Hash(sorted[1]), Hash(sorted[3]));

        AssertGrains([sorted[2], sorted[3]], rows);
    }

    [Fact]
    public async Task ReadRows_by_wrapping_range_returns_hashes_after_begin_or_up_to_end()
    {
        var sorted = await UpsertGrainsSortedByHashAsync(6);

        var rows = await _table.ReadRows(Hash(sorted[3]), Hash(sorted[1]));

        AssertGrains([sorted[4], sorted[5], sorted[0], sorted[1]], rows);
    }

    [Fact]
    public async Task ReadRows_with_equal_bounds_returns_every_reminder()
    {
        var sorted = await UpsertGrainsSortedByHashAsync(4);

        AssertGrains(sorted, await _table.ReadRows(Hash(sorted[2]), Hash(sorted[2])));
        AssertGrains(sorted, await _table.ReadRows(0, 0));
    }

    [Fact]
    public async Task ReadRows_over_the_full_range_ends_include_the_extreme_hashes()
    {
        var sorted = await UpsertGrainsSortedByHashAsync(3);

        AssertGrains(sorted, await _table.ReadRows(0, uint.MaxValue));
        AssertGrains(sorted, await _table.ReadRows(uint.MaxValue, uint.MaxValue));
    }

    [Fact]
    public async Task ReadRows_reads_every_page_of_a_result_larger_than_one_page()
    {
        var grain = Grain("busy");
        const int count = 1100; // Table queries return at most 1000 entities per page.
        foreach (var batch in Enumerable.Range(0, count).Chunk(50))
        {
            await Task.WhenAll(batch.Select(i => _table.UpsertRow(Entry(grain, $"r{i}", TimeSpan.FromMinutes(1)))));
        }

        Assert.Equal(count, (await _table.ReadRows(grain)).Reminders.Count);
        Assert.Equal(count, (await _table.ReadRows(0, 0)).Reminders.Count);
    }

    [Fact]
    public async Task Reminders_survive_a_new_reminder_table_instance()
    {
        var grain = Grain("durable");
        var etag = await _table.UpsertRow(Entry(grain, "tick", TimeSpan.FromMinutes(1)));

        var restartedSilo = NewTable("cts-service");

        Assert.Equal(etag, (await restartedSilo.ReadRow(grain, "tick"))?.ETag);
        Assert.Single((await restartedSilo.ReadRows(0, uint.MaxValue)).Reminders);
    }

    [Fact]
    public async Task Reminders_of_another_service_are_not_visible()
    {
        var grain = Grain("shared");
        await _table.UpsertRow(Entry(grain, "tick", TimeSpan.FromMinutes(1)));
        var otherService = NewTable("cts-service_2");

        Assert.Null(await otherService.ReadRow(grain, "tick"));
        Assert.Empty((await otherService.ReadRows(grain)).Reminders);
        Assert.Empty((await otherService.ReadRows(0, 0)).Reminders);
    }

    [Fact]
    public async Task TestOnlyClearTable_removes_every_reminder_of_the_service()
    {
        await UpsertGrainsSortedByHashAsync(3);

        await _table.TestOnlyClearTable();

        Assert.Empty((await _table.ReadRows(0, 0)).Reminders);
    }

    private TableReminderTable NewTable(string serviceId) => new(
        _azurite.NewTables(_prefix),
        Options.Create(new ClusterOptions { ClusterId = "test", ServiceId = serviceId }),
        NullLogger<TableReminderTable>.Instance);

    private async Task<GrainId[]> UpsertGrainsSortedByHashAsync(int count)
    {
        var grains = Enumerable.Range(0, count).Select(i => Grain($"engine-{i}")).OrderBy(Hash).ToArray();
        Assert.Equal(count, grains.Select(Hash).Distinct().Count());
        foreach (var grain in grains)
        {
            await _table.UpsertRow(Entry(grain, "tick", TimeSpan.FromMinutes(1)));
        }
        return grains;
    }

    private static void AssertGrains(IEnumerable<GrainId> expected, ReminderTableData actual) =>
        Assert.Equal(expected.Select(g => g.ToString()).Order(), actual.Reminders.Select(r => r.GrainId.ToString()).Order());

    private static uint Hash(GrainId grain) => grain.GetUniformHashCode();

    private static GrainId Grain(string key) => GrainId.Create("engine", key);

    private static ReminderEntry Entry(GrainId grain, string name, TimeSpan period) =>
        new() { GrainId = grain, ReminderName = name, StartAt = StartAt, Period = period };
}
