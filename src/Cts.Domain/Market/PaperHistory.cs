namespace Cts.Domain.Market;

/// <summary>
/// The <see cref="PaperMarket"/> for a run that moves forward through time (a backtest): quotes are the market's own,
/// and each minute's candle is computed once and kept in a window per symbol, instead of the market building its whole
/// recent history again every minute. The candles are the market's <see cref="PaperMarket.CandleAt"/>, so every list is
/// equal, element by element, to what <see cref="PaperMarket.RecentCandles"/> returns for the same minute.
/// </summary>
/// <remarks>Not thread-safe: one run owns one instance.</remarks>
public sealed class PaperHistory(PaperMarket market) : IMarketData
{
    private const int Spare = 4096;
    private readonly Dictionary<string, Window> _windows = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (long Minute, double Open, double Close)> _minutes = new(StringComparer.Ordinal);

    public PaperMarket Market { get; } = market;

    /// <summary>
    /// The market's quote (<see cref="PaperMarket.QuoteAt"/>: the same log prices, the same <see cref="MinutePrices"/>
    /// rule), with the current minute's two log prices computed once per minute instead of on every quote.
    /// </summary>
    public Quote QuoteAt(string symbol, DateTimeOffset at)
    {
        var (minute, fraction) = MinutePrices.Split(at);
        if (!_minutes.TryGetValue(symbol, out var current) || current.Minute != minute)
        {
            var (open, close) = Market.LogPricesOfMinute(symbol, minute);
            _minutes[symbol] = current = (minute, open, close);
        }
        return MinutePrices.Around(symbol, MinutePrices.Mid(current.Open, current.Close, fraction), Market.SpreadBps, at);
    }

    public IReadOnlyList<Candle> RecentCandles(string symbol, DateTimeOffset now, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (!_windows.TryGetValue(symbol, out var window))
        {
            _windows[symbol] = window = new Window(Market, symbol);
        }
        return window.Slice(MinutePrices.MinuteOf(now) - count, count);
    }

    /// <summary>
    /// Candles of consecutive minutes from <see cref="_first"/>. When a request runs past the buffer a new buffer is
    /// started (never overwritten in place), so a list handed out earlier stays valid.
    /// </summary>
    private sealed class Window(PaperMarket market, string symbol)
    {
        private Candle[] _buffer = [];
        private long _first;
        private int _length;

        public IReadOnlyList<Candle> Slice(long start, int count)
        {
            if (start < _first || start > _first + _length || start + count > _first + _buffer.Length)
            {
                var keep = start >= _first && start <= _first + _length ? (int)(_first + _length - start) : 0;
                var next = new Candle[count + Spare];
                Array.Copy(_buffer, _length - keep, next, 0, keep);
                (_buffer, _first, _length) = (next, start, keep);
            }
            while (_first + _length < start + count)
            {
                _buffer[_length] = market.CandleAt(symbol, MinutePrices.StartOf(_first + _length));
                _length++;
            }
            return new ArraySegment<Candle>(_buffer, (int)(start - _first), count);
        }
    }
}
