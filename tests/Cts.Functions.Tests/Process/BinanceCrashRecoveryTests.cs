using System.Net.Http.Json;
using Cts.Functions.Tests.Exchanges.FakeBinance;
using Cts.Functions.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Cts.Functions.Tests.Processes;

/// <summary>
/// Exactly once on Binance across a real crash: the host (a real process) is killed with SIGKILL while the fake exchange
/// — in the test process, so it outlives the host — has executed an entry and holds back its answer. After the relaunch
/// the engine reconciles the pending intent by its client order id: one order at the exchange, one position.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class BinanceCrashRecoveryTests(AzuriteFixture azurite, ITestOutputHelper log)
{
    private const string Id = "bn-crash";

    [Fact]
    public async Task Killed_while_an_order_answer_is_held_the_relaunched_host_records_the_one_order_as_one_position()
    {
        await using var fake = await FakeBinanceServer.StartAsync();
        fake.AddAccount(BinanceEngineApi.ApiKey, BinanceEngineApi.ApiSecret);
        fake.FailNextOrder(OrderFault.HoldResponseAfterFill);
        var settings = new Dictionary<string, string?> { ["Exchanges__Binance__BaseUrl"] = fake.BaseUrl };
        await using var first = new HostProcess(azurite.ConnectionString, azurite.NewPrefix(), settings: settings);
        await first.StartAsync();
        await first.Client.CreatePresetAsync();
        await first.Client.StartBinanceEngineAsync(Id);

        var held = await fake.OrderHeld.Task.WaitAsync(TimeSpan.FromSeconds(60));
        first.Kill();
        Assert.NotEqual(0, first.ExitCode);
        log.WriteLine($"Killed with order {held.ClientOrderId} executed at the exchange and its answer held.");

        await using var second = first.Relaunch();
        await second.StartAsync();
        var deadline = Deadline.In(TimeSpan.FromSeconds(60));
        var open = await deadline.UntilAsync("the relaunched engine records the executed order as a position",
            () => second.Client.PositionsAsync(Id, "open"), p => p.Count == 1, () => fake.Describe() + Environment.NewLine + second.OutputTail());
        Assert.Equal(held.ClientOrderId, open[0]!["clientOrderId"]!.GetValue<string>());

        // The engine trades on (more strategy cycles with the position open) and never sends the entry again.
        var before = (await second.Client.StatusAsync(Id)).Runs("strategies");
        await deadline.UntilAsync("the engine runs more strategy cycles after recovering",
            () => second.Client.StatusAsync(Id), s => s.Runs("strategies") >= before + 5, () => second.OutputTail());
        Assert.Single(fake.Orders);
        Assert.Single(fake.RequestsTo("POST", "/api/v3/order"));
        Assert.Single(await second.Client.PositionsAsync(Id));
        Assert.Contains(fake.RequestsTo("GET", "/api/v3/order"), r => r.Query.Contains("origClientOrderId=" + held.ClientOrderId));
    }
}
