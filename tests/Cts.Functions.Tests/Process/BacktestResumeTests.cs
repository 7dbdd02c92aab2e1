using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Cts.Functions.Tests.Backtesting;
using Cts.Functions.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Cts.Functions.Tests.Processes;

/// <summary>
/// A backtest in a real host process that is killed (SIGKILL) mid-run and launched again on the same storage: it
/// resumes by itself from its last checkpoint (not from zero) and ends with exactly the trades of an uninterrupted run.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class BacktestResumeTests(AzuriteFixture azurite, ITestOutputHelper log)
{
    [Fact]
    public async Task A_killed_host_resumes_a_running_backtest_from_its_checkpoint_and_it_ends_as_one_uninterrupted_run()
    {
        var window = TimeSpan.FromDays(20); // long enough that the first checkpoint (after a second) is well before the end
        var prefix = azurite.NewPrefix();
        await using var first = new HostProcess(azurite.ConnectionString, prefix);
        await first.StartAsync();
        var id = await BacktestRig.StartAsync(first.Client, BacktestRig.Request(window));

        // Progress in the record is written with each checkpoint, so progress > 0 means a checkpoint is stored.
        var atKill = await Eventually.UntilAsync(async () => JsonNode.Parse(await first.Client.GetStringAsync($"/api/backtests/{id}"))!,
            b => b["progress"]!.GetValue<double>() > 0, TimeSpan.FromSeconds(60), "a first checkpoint", () => first.OutputTail());
        first.Kill();
        var progressAtKill = atKill["progress"]!.GetValue<double>();
        var simulatedAtKill = atKill["simulatedTime"]!.GetValue<DateTimeOffset>();
        log.WriteLine($"killed at progress {progressAtKill:P1} ({simulatedAtKill:O})");
        Assert.True(progressAtKill < 1, "the backtest finished before the kill; the test proves nothing");

        await using var second = first.Relaunch();
        await second.StartAsync();
        var done = await BacktestRig.WaitForAsync(second.Client, id, "completed", TimeSpan.FromMinutes(4), () => second.OutputTail());

        Assert.Equal("completed", done["status"]!.GetValue<string>());
        Assert.True(done["resumes"]!.GetValue<int>() >= 1);
        Assert.True(done["resumedFrom"]!.GetValue<DateTimeOffset>() >= simulatedAtKill, "resumed from an older point than it had reached");
        var (trades, _) = await BacktestRig.RunInDomainAsync(window, ["BTCUSDT", "ETHUSDT"]);
        Assert.Equal(trades.Count, done["results"]!["trades"]!.GetValue<int>());
        Assert.Equal(trades.Sum(t => t.ToPosition().RealizedPnl!.Value), done["results"]!["totalProfit"]!.GetValue<decimal>());
        var list = done["results"]!["tradeList"]!.AsArray();
        Assert.Equal(trades.OrderBy(t => t.ClosedAt).ThenBy(t => t.Id, StringComparer.Ordinal).Select(t => t.Id),
            list.Select(t => t!["positionId"]!.GetValue<string>()));
    }
}
