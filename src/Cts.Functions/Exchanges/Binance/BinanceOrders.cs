using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using Cts.Domain.Exchanges;
using Cts.Domain.Exchanges.Binance;
using Cts.Domain.Trading;

namespace Cts.Functions.Exchanges.Binance;

/// <summary>
/// MARKET orders of one connection (rest-api.md "New order (TRADE)", "Query order (USER_DATA)", "Cancel order",
/// "Account trade list"). Entries spend <c>quoteOrderQty</c>, exits sell <c>quantity</c> rounded down to the step;
/// every order carries the engine's deterministic client order id as <c>newClientOrderId</c> and asks for
/// <c>newOrderRespType=FULL</c>, whose fills give the average price and the commission.
/// </summary>
/// <remarks>
/// Binance refuses a <c>newClientOrderId</c> only while an order with it is open; a MARKET order fills at once, so the
/// same id sent again after a lost answer PLACES A SECOND ORDER. So placement is never retried blindly: once an id has
/// been sent (whatever became of that attempt: a timeout, a 5xx whose execution status is UNKNOWN, a dropped
/// connection), every later placement of it first asks <c>GET /api/v3/order?origClientOrderId=</c> and returns the
/// order found; only -2013 (no such order) lets it go out again. An order the symbol's filters or the balance would
/// refuse is not sent at all (<see cref="OrderResult.Sent"/> false, with the reason).
/// </remarks>
public sealed class BinanceOrders(BinanceHttp http, BinanceCredentials credentials, BinanceSymbolRules rules,
    BinanceMarketData market, BinanceAccount account, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, byte> _sent = new(StringComparer.Ordinal);

    public async Task<OrderResult> PlaceAsync(OrderRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var filters = await rules.GetAsync(request.Symbol, cancellationToken).ConfigureAwait(false);
        if (_sent.ContainsKey(request.ClientOrderId)
            && await GetAsync(request.Symbol, request.ClientOrderId, cancellationToken).ConfigureAwait(false) is { } placed)
        {
            return Settled(placed);
        }

        var quote = await market.GetQuoteAsync(request.Symbol, cancellationToken).ConfigureAwait(false);
        var parameters = new List<KeyValuePair<string, string>>
        {
            new("symbol", request.Symbol),
            new("side", request.Side == OrderSide.Buy ? "BUY" : "SELL"),
            new("type", "MARKET"),
        };
        if (request.Side == OrderSide.Buy)
        {
            var amount = filters.RoundQuote(request.QuoteAmount!.Value);
            if (filters.RefuseBuy(amount, quote.Ask) is { } reason)
            {
                return NotSent(request, reason);
            }
            var info = await account.GetAsync(cancellationToken).ConfigureAwait(false);
            if (info.FreeOf(filters.QuoteAsset) is var free && free < amount)
            {
                return NotSent(request, Text($"insufficient {filters.QuoteAsset} balance: {free} free, the entry needs {amount}"));
            }
            parameters.Add(new("quoteOrderQty", Text($"{amount}")));
        }
        else
        {
            var quantity = filters.RoundQuantity(request.Quantity!.Value);
            if (filters.RefuseSell(quantity, quote.Bid) is { } reason)
            {
                return NotSent(request, reason);
            }
            parameters.Add(new("quantity", Text($"{quantity}")));
        }
        parameters.Add(new("newClientOrderId", request.ClientOrderId));
        parameters.Add(new("newOrderRespType", "FULL"));

        _sent[request.ClientOrderId] = 1;
        JsonElement answer;
        try
        {
            answer = await http.SignedAsync(BinanceEndpoint.NewOrder, parameters, credentials, cancellationToken).ConfigureAwait(false);
        }
        catch (BinanceApiError e) when (BinanceErrors.IsOrderRefusal(e.HttpStatus, e.Code))
        {
            // Judged and refused by the venue (filters, balance, parameters): nothing was placed.
            return new OrderResult(request.ClientOrderId, request.Symbol, request.Side, OrderStatus.Rejected, 0m, 0m, 0m,
                time.GetUtcNow(), $"binance refused the order: {e.Code} {e.VenueMessage}");
        }
        catch (BinanceApiError e)
        {
            throw e.ToExchange();
        }
        return Settled(Result(request.ClientOrderId, request.Symbol, request.Side, answer, Trades(answer), filters));
    }

    /// <summary>
    /// A MARKET order fills at once, but one the venue still reports as NEW must not be recorded as settled: the call fails
    /// (transient), the intent stays pending, and the next look-up by client order id settles it.
    /// </summary>
    private static OrderResult Settled(OrderResult result) => result.Status == OrderStatus.New
        ? throw new ExchangeException(ExchangeFaultKind.Transient,
            $"binance order {result.ClientOrderId} on {result.Symbol} is not executed yet; it will be looked up again")
        : result;

    /// <summary>The order placed with <paramref name="clientOrderId"/>; null when Binance has none (-2013).</summary>
    public async Task<OrderResult?> GetAsync(string symbol, string clientOrderId, CancellationToken cancellationToken)
    {
        var filters = await rules.GetAsync(symbol, cancellationToken).ConfigureAwait(false);
        JsonElement order;
        try
        {
            order = await http.SignedAsync(BinanceEndpoint.QueryOrder,
                [new("symbol", symbol), new("origClientOrderId", clientOrderId)], credentials, cancellationToken).ConfigureAwait(false);
        }
        catch (BinanceApiError e) when (e.Code == BinanceErrors.NoSuchOrder)
        {
            return null;
        }
        catch (BinanceApiError e)
        {
            throw e.ToExchange();
        }
        var side = order.GetProperty("side").GetString() == "BUY" ? OrderSide.Buy : OrderSide.Sell;
        var executed = BinanceSymbolRules.Dec(order, "executedQty");
        IReadOnlyList<BinanceTrade> trades = [];
        if (executed > 0)
        {
            // A query answer has no fills: the commissions come from the order's trades.
            trades = await TradesOfAsync(symbol, order.GetProperty("orderId").GetInt64(), cancellationToken).ConfigureAwait(false);
        }
        return Result(clientOrderId, symbol, side, order, trades, filters);
    }

    /// <summary>Cancels an open order; false when there is none to cancel (unknown, or already filled).</summary>
    public async Task<bool> CancelAsync(string symbol, string clientOrderId, CancellationToken cancellationToken)
    {
        try
        {
            await http.SignedAsync(BinanceEndpoint.CancelOrder, [new("symbol", symbol), new("origClientOrderId", clientOrderId)],
                credentials, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (BinanceApiError e) when (e.Code is BinanceErrors.NoSuchOrder or BinanceErrors.CancelRejected)
        {
            return false;
        }
        catch (BinanceApiError e)
        {
            throw e.ToExchange();
        }
    }

    private async Task<IReadOnlyList<BinanceTrade>> TradesOfAsync(string symbol, long orderId, CancellationToken cancellationToken)
    {
        try
        {
            var trades = await http.SignedAsync(BinanceEndpoint.MyTrades,
                [new("symbol", symbol), new("orderId", orderId.ToString(CultureInfo.InvariantCulture))], credentials, cancellationToken)
                .ConfigureAwait(false);
            return trades.EnumerateArray().Select(t => new BinanceTrade(BinanceSymbolRules.Dec(t, "price"), BinanceSymbolRules.Dec(t, "qty"),
                BinanceSymbolRules.Dec(t, "commission"), t.GetProperty("commissionAsset").GetString() ?? "")).ToList();
        }
        catch (BinanceApiError e)
        {
            throw e.ToExchange();
        }
    }

    private static IReadOnlyList<BinanceTrade> Trades(JsonElement answer) => answer.TryGetProperty("fills", out var fills)
        ? fills.EnumerateArray().Select(f => new BinanceTrade(BinanceSymbolRules.Dec(f, "price"), BinanceSymbolRules.Dec(f, "qty"),
            BinanceSymbolRules.Dec(f, "commission"), f.GetProperty("commissionAsset").GetString() ?? "")).ToList()
        : [];

    private OrderResult Result(string clientOrderId, string symbol, OrderSide side, JsonElement order, IReadOnlyList<BinanceTrade> trades,
        SymbolFilters filters)
    {
        var executed = BinanceSymbolRules.Dec(order, "executedQty");
        var status = BinanceFills.StatusOf(order.GetProperty("status").GetString() ?? "", executed);
        var at = order.TryGetProperty("transactTime", out var transact) ? transact.GetInt64()
            : order.TryGetProperty("updateTime", out var updated) ? updated.GetInt64()
            : http.Clock.NowMs();
        var when = http.Clock.ToLocal(at);
        if (status != OrderStatus.Filled)
        {
            return new OrderResult(clientOrderId, symbol, side, status, 0m, 0m, 0m, when,
                status == OrderStatus.New ? null : $"binance order {order.GetProperty("status").GetString()}");
        }
        var fill = BinanceFills.Summarize(side, executed, BinanceSymbolRules.Dec(order, "cummulativeQuoteQty"), trades,
            filters.BaseAsset, filters.QuoteAsset, filters.EffectiveStep);
        return new OrderResult(clientOrderId, symbol, side, OrderStatus.Filled, fill.Price, fill.Quantity, fill.Fee, when, null);
    }

    private OrderResult NotSent(OrderRequest request, string reason) =>
        new(request.ClientOrderId, request.Symbol, request.Side, OrderStatus.Rejected, 0m, 0m, 0m, time.GetUtcNow(), $"not sent: {reason}")
        {
            Sent = false,
        };

    private static string Text(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
