using System.Text.RegularExpressions;
using Cts.Domain.Trading;

namespace Cts.Domain.Tests.Trading;

public sealed class ClientOrderIdTests
{
    /// <summary>Binance's newClientOrderId rule (with \z so a trailing newline cannot pass).</summary>
    private static readonly Regex Binance = new(@"^[a-zA-Z0-9\-_]{1,36}\z", RegexOptions.CultureInvariant);

    private static readonly DateTimeOffset At = new(2025, 3, 14, 12, 34, 0, TimeSpan.Zero);

    [Fact]
    public void Same_inputs_give_the_same_id()
    {
        Assert.Equal(
            ClientOrderId.For("conn-1", "BTCUSDT", At, OrderSide.Buy),
            ClientOrderId.For("conn-1", "BTCUSDT", At, OrderSide.Buy));
    }

    [Fact]
    public void The_id_is_stable_across_processes_and_releases()
    {
        // Pinned: orders placed before a restart or an upgrade must be recognised after it, so the derivation must not
        // change silently. If this fails, every id of every open order changed with it — do not just update the
        // constant.
        Assert.Equal("cts-ert57nh6bkzo4ufvpednrzubbk", ClientOrderId.For("conn-1", "BTCUSDT", At, OrderSide.Buy));
    }

    [Fact]
    public void The_id_has_the_documented_shape_and_passes_binances_rule()
    {
        var id = ClientOrderId.For("conn-1", "BTCUSDT", At, OrderSide.Sell);

        Assert.Equal(30, id.Length);
        Assert.StartsWith("cts-", id);
        Assert.Matches("^cts-[a-z2-7]{26}$", id);
        Assert.Matches(Binance, id);
        Assert.True(ClientOrderId.IsWellFormed(id));
        Assert.Matches(Binance, ClientOrderId.ForExit(id));
    }

    [Fact]
    public void The_same_instant_in_another_offset_gives_the_same_id()
    {
        Assert.Equal(
            ClientOrderId.For("conn-1", "BTCUSDT", At, OrderSide.Buy),
            ClientOrderId.For("conn-1", "BTCUSDT", At.ToOffset(TimeSpan.FromHours(-7)), OrderSide.Buy));
    }

    [Fact]
    public void Changing_any_input_changes_the_id()
    {
        var id = ClientOrderId.For("conn-1", "BTCUSDT", At, OrderSide.Buy);

        Assert.NotEqual(id, ClientOrderId.For("conn-2", "BTCUSDT", At, OrderSide.Buy));
        Assert.NotEqual(id, ClientOrderId.For("conn-1", "ETHUSDT", At, OrderSide.Buy));
        Assert.NotEqual(id, ClientOrderId.For("conn-1", "BTCUSDT", At.AddMinutes(1), OrderSide.Buy));
        Assert.NotEqual(id, ClientOrderId.For("conn-1", "BTCUSDT", At.AddTicks(1), OrderSide.Buy));
        Assert.NotEqual(id, ClientOrderId.For("conn-1", "BTCUSDT", At, OrderSide.Sell));
        Assert.NotEqual(id, ClientOrderId.ForExit(id));
    }

    [Fact]
    public void Field_boundaries_cannot_be_shifted_to_forge_a_collision()
    {
        // Without length prefixes "ab"+"c" and "a"+"bc" would hash the same text.
        Assert.NotEqual(
            ClientOrderId.For("conn-ab", "CUSDT", At, OrderSide.Buy),
            ClientOrderId.For("conn-a", "BCUSDT", At, OrderSide.Buy));
    }

    [Fact]
    public void Many_different_inputs_give_many_different_well_formed_ids()
    {
        // 20 connections × 10 symbols × 2 days of minutes × 2 sides = 1,152,000 ids, all distinct.
        var ids = new HashSet<string>(StringComparer.Ordinal);
        var count = 0;
        string[] symbols = ["BTCUSDT", "ETHUSDT", "SOLUSDT", "BNBUSDT", "XRPUSDT", "ADAUSDT", "DOGEUSDT", "AVAXUSDT", "DOTUSDT", "LINKUSDT"];
        for (var c = 0; c < 20; c++)
        {
            foreach (var symbol in symbols)
            {
                for (var minute = 0; minute < 2 * 1440; minute++)
                {
                    foreach (var side in new[] { OrderSide.Buy, OrderSide.Sell })
                    {
                        var id = ClientOrderId.For($"conn-{c}", symbol, At.AddMinutes(minute), side);
                        ids.Add(id);
                        count++;
                    }
                }
            }
        }

        Assert.Equal(1_152_000, count);
        Assert.Equal(count, ids.Count);
        Assert.All(ids.Take(1000), id => Assert.True(ClientOrderId.IsWellFormed(id)));
    }

    [Fact]
    public void Ids_use_the_whole_alphabet_evenly_enough()
    {
        // A broken encoder (e.g. one that only ever emits the low bits) would show up as missing characters.
        var chars = new HashSet<char>();
        for (var minute = 0; minute < 500; minute++)
        {
            foreach (var ch in ClientOrderId.For("conn-1", "BTCUSDT", At.AddMinutes(minute), OrderSide.Buy)[5..])
            {
                chars.Add(ch);
            }
        }

        Assert.Equal(32, chars.Count);
    }

    [Fact]
    public void Malformed_ids_are_recognised()
    {
        Assert.False(ClientOrderId.IsWellFormed(null));
        Assert.False(ClientOrderId.IsWellFormed("cts-abc"));
        Assert.False(ClientOrderId.IsWellFormed("xyz-aaaaaaaaaaaaaaaaaaaaaaaaaa"));
        Assert.False(ClientOrderId.IsWellFormed("cts-AAAAAAAAAAAAAAAAAAAAAAAAAA"));
        Assert.True(ClientOrderId.IsWellFormed("cts-aaaaaaaaaaaaaaaaaaaaaaaaaa"));
    }

    [Fact]
    public void Empty_inputs_are_refused()
    {
        Assert.Throws<ArgumentException>(() => ClientOrderId.For("", "BTCUSDT", At, OrderSide.Buy));
        Assert.Throws<ArgumentException>(() => ClientOrderId.For("conn-1", "", At, OrderSide.Buy));
        Assert.Throws<ArgumentOutOfRangeException>(() => ClientOrderId.For("conn-1", "BTCUSDT", At, (OrderSide)7));
        Assert.Throws<ArgumentException>(() => ClientOrderId.ForExit(""));
    }

    [Fact]
    public void An_operator_entry_id_is_the_same_for_the_same_request_and_differs_for_another()
    {
        var id = ClientOrderId.ForOperatorEntry("conn-1", "BTCUSDT", "req-1");

        Assert.Equal(id, ClientOrderId.ForOperatorEntry("conn-1", "BTCUSDT", "req-1"));
        Assert.True(ClientOrderId.IsWellFormed(id));
        Assert.Matches(Binance, id);
        Assert.NotEqual(id, ClientOrderId.ForOperatorEntry("conn-1", "BTCUSDT", "req-2"));
        Assert.NotEqual(id, ClientOrderId.ForOperatorEntry("conn-1", "ETHUSDT", "req-1"));
        Assert.NotEqual(id, ClientOrderId.ForOperatorEntry("conn-2", "BTCUSDT", "req-1"));
        // Length-prefixed parts: moving characters between symbol and key cannot give the same id.
        Assert.NotEqual(ClientOrderId.ForOperatorEntry("c", "AB", "C"), ClientOrderId.ForOperatorEntry("c", "A", "BC"));
    }

    [Fact]
    public void An_operator_entry_id_never_meets_a_signal_entry_id_of_the_same_connection_and_symbol()
    {
        var at = At.UtcTicks.ToString(System.Globalization.CultureInfo.InvariantCulture);

        Assert.NotEqual(ClientOrderId.For("conn-1", "BTCUSDT", At, OrderSide.Buy), ClientOrderId.ForOperatorEntry("conn-1", "BTCUSDT", at));
    }

    [Fact]
    public void The_operator_entry_id_is_stable_across_releases()
    {
        // Pinned like the signal ids: a retried request after an upgrade must still be the same order.
        Assert.Equal("cts-d2unqamfiejzoxesmk3dip3qaz", ClientOrderId.ForOperatorEntry("conn-1", "BTCUSDT", "req-1"));
    }
}
