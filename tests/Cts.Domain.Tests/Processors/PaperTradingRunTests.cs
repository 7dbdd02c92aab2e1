using Cts.Domain.Config;
using Cts.Domain.Strategies;

namespace Cts.Domain.Tests.Processors;

/// <summary>An engine's processors trading the paper market over simulated hours (fake clock).</summary>
public sealed class PaperTradingRunTests
{
    [Theory]
    [InlineData("ema-crossover")]
    [InlineData("rsi-reversion")]
    public async Task Over_simulated_hours_the_engine_opens_and_closes_positions_and_status_pnl_adds_up(string strategy)
    {
        var preset = Preset.Default with { Strategy = strategy };
        var rig = new TradingRig(StrategyFactory.Create(preset.ToStrategyParameters()), preset.ToRiskParameters(), symbols: ["BTCUSDT", "ETHUSDT"]);

        for (var step = 0; step < 12 * 60 * 2; step++) // 12 hours, a cycle every 30 s
        {
            await rig.CycleAsync();
            rig.Time.Advance(TimeSpan.FromSeconds(30));
        }

        var closed = rig.Journal.Positions.Where(p => !p.IsOpen).ToList();
        var open = rig.Context.Trader.Book.OpenPositions;
        Assert.NotEmpty(closed);
        Assert.True(closed.Count + open.Count >= 2, $"{closed.Count} closed, {open.Count} open");
        // Realized PnL in the status is the sum over closed positions...
        Assert.Equal(closed.Sum(p => p.RealizedPnl!.Value), rig.Context.Trader.Book.RealizedPnl);
        // ...unrealized is what closing the open ones at the current marks would realize...
        var marks = rig.Context.Marks;
        Assert.Equal(open.Sum(p => p.UnrealizedPnl(marks[p.Symbol].Bid, rig.Fills)), rig.Context.Trader.UnrealizedPnl(marks));
        // ...and the venue's cash agrees: starting cash + realized − cost of what is still open.
        var cash = await rig.Ledger.BalanceAsync("USDT", CancellationToken.None);
        Assert.Equal(10_000m + rig.Context.Trader.Book.RealizedPnl - open.Sum(p => p.EntryCost), cash);
        Assert.All(rig.Journal.Intents, i => Assert.NotEqual(Cts.Domain.Trading.IntentStatus.Pending, i.Status));
        Assert.Equal(rig.Journal.Intents.Count(i => i.Status == Cts.Domain.Trading.IntentStatus.Filled), rig.Ledger.OrderCount);
    }

    [Fact]
    public async Task With_the_default_preset_a_paper_engine_enters_within_minutes_of_starting()
    {
        // From 24 start times spread over a day, the median wait for the first entry on the README's two-symbol
        // connection, cycling every 5 s (the default strategies interval).
        var waits = new List<TimeSpan>();
        for (var start = 0; start < 24; start++)
        {
            var rig = new TradingRig(StrategyFactory.Create(Preset.Default.ToStrategyParameters()), Preset.Default.ToRiskParameters(),
                symbols: ["BTCUSDT", "ETHUSDT"]);
            rig.Time.Advance(TimeSpan.FromMinutes(start * 61));
            var elapsed = TimeSpan.Zero;
            while (rig.Journal.Intents.Count == 0 && elapsed < TimeSpan.FromHours(3))
            {
                await rig.CycleAsync();
                rig.Time.Advance(TimeSpan.FromSeconds(5));
                elapsed += TimeSpan.FromSeconds(5);
            }
            waits.Add(elapsed);
        }
        var median = waits.Order().ElementAt(waits.Count / 2);
        Assert.True(median <= TimeSpan.FromMinutes(10), $"median wait {median}; all: {string.Join(", ", waits.Select(w => w.TotalMinutes))}");
    }
}
