namespace Cts.Functions.Tests.Exchanges.FakeBinance;

/// <summary>An account of the fake: its key pair, whether it may trade, and its balances.</summary>
public sealed class FakeBinanceAccount(string apiKey, string apiSecret)
{
    private readonly Dictionary<string, decimal> _free = new(StringComparer.Ordinal);

    public string ApiKey { get; } = apiKey;
    public string ApiSecret { get; } = apiSecret;
    public bool CanTrade { get; set; } = true;

    public object Gate { get; } = new();

    public decimal Free(string asset)
    {
        lock (Gate)
        {
            return _free.GetValueOrDefault(asset);
        }
    }

    public void Set(string asset, decimal amount)
    {
        lock (Gate)
        {
            _free[asset] = amount;
        }
    }

    internal void Add(string asset, decimal delta) => _free[asset] = _free.GetValueOrDefault(asset) + delta;

    internal IReadOnlyDictionary<string, decimal> Snapshot()
    {
        lock (Gate)
        {
            return new Dictionary<string, decimal>(_free);
        }
    }
}
