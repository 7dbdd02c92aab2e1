using System.Text.Json;

namespace Cts.Functions.Exchanges.Binance;

/// <summary>What <c>GET /api/v3/account</c> says about a connection's account (rest-api.md "Account information").</summary>
public sealed record BinanceAccountInfo(bool CanTrade, bool SpotAllowed, IReadOnlyDictionary<string, decimal> Free)
{
    public decimal FreeOf(string asset) => Free.GetValueOrDefault(asset);

    public static BinanceAccountInfo Parse(JsonElement account)
    {
        var canTrade = account.TryGetProperty("canTrade", out var t) && t.GetBoolean();
        var spot = (account.TryGetProperty("accountType", out var type) && type.GetString() == "SPOT")
            || (account.TryGetProperty("permissions", out var permissions)
                && permissions.EnumerateArray().Any(p => p.GetString() == "SPOT"));
        var free = new Dictionary<string, decimal>(StringComparer.Ordinal);
        if (account.TryGetProperty("balances", out var balances))
        {
            foreach (var balance in balances.EnumerateArray())
            {
                free[balance.GetProperty("asset").GetString()!] = BinanceSymbolRules.Dec(balance, "free");
            }
        }
        return new BinanceAccountInfo(canTrade, spot, free);
    }
}

/// <summary>Reads a connection's account: permissions and free balances.</summary>
public sealed class BinanceAccount(BinanceHttp http, BinanceCredentials credentials)
{
    public async Task<BinanceAccountInfo> GetAsync(CancellationToken cancellationToken)
    {
        try
        {
            var account = await http.SignedAsync(BinanceEndpoint.Account, [new("omitZeroBalances", "true")], credentials, cancellationToken)
                .ConfigureAwait(false);
            return BinanceAccountInfo.Parse(account);
        }
        catch (BinanceApiError e)
        {
            throw e.ToExchange();
        }
    }
}
