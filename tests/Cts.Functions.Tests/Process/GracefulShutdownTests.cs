using System.Net.Http.Json;
using Azure.Data.Tables;
using Cts.Functions.Tests.Infrastructure;

namespace Cts.Functions.Tests.Processes;

/// <summary>SIGTERM while engines are mid-cycle and trading, on a real host process with a slow venue.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class GracefulShutdownTests(AzuriteFixture azurite)
{
    private static readonly string[] Engines = ["sig-a", "sig-b", "sig-c"];

    /// <summary>Every venue call takes 300 ms, so a cycle is always under way when the signal comes.</summary>
    private static readonly Dictionary<string, string?> SlowVenue = new() { ["Paper__LatencyMs"] = "300" };

    [Fact]
    public async Task Sigterm_mid_cycle_exits_in_time_with_every_order_settled_and_engines_resume_next_launch()
    {
        var prefix = azurite.NewPrefix();
        await using var first = new HostProcess(azurite.ConnectionString, prefix, settings: SlowVenue);
        await first.StartAsync();
        await first.Client.StartEagerEnginesAsync(Engines);
        foreach (var id in Engines)
        {
            await Eventually.UntilAsync(() => first.Client.StatusAsync(id), s => s["openPositions"]!.GetValue<int>() >= 1,
                TimeSpan.FromSeconds(20), $"{id} trades", () => first.OutputTail());
        }

        var took = await first.TerminateAsync(TimeSpan.FromSeconds(30));

        Assert.True(took < TimeSpan.FromSeconds(10), $"exit took {took}");
        Assert.Equal(0, first.ExitCode);
        // All-or-nothing: no order was left between "sent" and "recorded", and the venue holds exactly the recorded orders.
        var tables = azurite.NewTables(prefix);
        var trading = await RowsAsync(tables, "trading");
        var intents = trading.Where(r => r.RowKey.StartsWith("intent-", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(intents);
        Assert.DoesNotContain(intents, i => i.GetString("Status") == "Pending");
        var filled = intents.Where(i => i.GetString("Status") == "Filled").Select(i => i.GetString("ClientOrderId")).ToHashSet();
        var venueOrders = (await RowsAsync(tables, "paperledger")).Where(r => r.RowKey.StartsWith("order-", StringComparison.Ordinal))
            .Select(r => r.RowKey["order-".Length..]).ToHashSet();
        Assert.Equal(filled.Order(), venueOrders.Order());
        var positions = trading.Where(r => r.RowKey.StartsWith("position-", StringComparison.Ordinal)).Select(r => r.GetString("ClientOrderId")).ToHashSet();
        Assert.Subset(filled, positions);

        await using var second = first.Relaunch();
        await second.StartAsync();
        foreach (var id in Engines)
        {
            var before = (await second.Client.StatusAsync(id)).Runs("realtime");
            await Eventually.UntilAsync(() => second.Client.StatusAsync(id), s => s.State() == "Running" && s.Runs("realtime") > before,
                TimeSpan.FromSeconds(15), $"{id} resumes", () => second.OutputTail());
        }
    }

    private static async Task<List<TableEntity>> RowsAsync(Cts.Functions.Storage.CtsTables tables, string name)
    {
        var table = await tables.GetAsync(name);
        var rows = new List<TableEntity>();
        await foreach (var row in table.QueryAsync<TableEntity>())
        {
            rows.Add(row);
        }
        return rows;
    }
}
