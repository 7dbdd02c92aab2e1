namespace Cts.Bench;

/// <summary>
/// The symbols the bench's paper engines trade: each engine two of the first <c>count</c> of <see cref="All"/>, spread
/// evenly, so each symbol has about 2N ÷ count engines. A desk does not run ten thousand engines on one pair with one
/// preset; when the bench did (every engine on BTCUSDT and ETHUSDT), the paper market's price is a function of the
/// clock, so every engine saw the same crossover in the same cycle and all of them traded at once — a wave of 10,000
/// orders every few minutes that decided whatever window it fell in. <c>--symbols 2</c> is that workload again.
/// </summary>
public static class BenchSymbols
{
    public const int Default = 50;

    public static readonly string[] All =
    [
        "BTCUSDT", "ETHUSDT", "BNBUSDT", "SOLUSDT", "XRPUSDT", "ADAUSDT", "DOGEUSDT", "TRXUSDT", "DOTUSDT", "LTCUSDT",
        "AVAXUSDT", "LINKUSDT", "ATOMUSDT", "UNIUSDT", "XLMUSDT", "ETCUSDT", "FILUSDT", "APTUSDT", "ARBUSDT", "OPUSDT",
        "NEARUSDT", "ICPUSDT", "VETUSDT", "ALGOUSDT", "HBARUSDT", "AAVEUSDT", "SANDUSDT", "MANAUSDT", "AXSUSDT", "EGLDUSDT",
        "THETAUSDT", "XTZUSDT", "EOSUSDT", "GRTUSDT", "RUNEUSDT", "KAVAUSDT", "ZECUSDT", "DASHUSDT", "NEOUSDT", "CHZUSDT",
        "ENJUSDT", "CRVUSDT", "SNXUSDT", "COMPUSDT", "MKRUSDT", "YFIUSDT", "SUSHIUSDT", "INJUSDT", "SEIUSDT", "SUIUSDT",
    ];

    /// <summary>The workload's sentence for the report.</summary>
    public static string Describe(int engines, int count) =>
        $"Each engine trades two of {count} paper symbols (about {2 * engines / count:N0} engines per symbol) with the default preset.";

    /// <summary>
    /// The two symbols of engine number <paramref name="index"/> among the first <paramref name="count"/> (2 to
    /// <c>All.Length</c>, which <see cref="BenchOptions.Parse"/> checks).
    /// </summary>
    public static string[] Of(int index, int count)
    {
        // Engine i trades symbol i mod count and the one (1 + i ÷ count mod (count − 1)) after it: every pair in turn.
        var first = index % count;
        var second = (first + 1 + index / count % (count - 1)) % count;
        return [All[first], All[second]];
    }
}
