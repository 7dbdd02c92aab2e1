namespace Cts.Domain.Exchanges;

/// <summary>
/// What <c>POST /api/connections/{id}/test</c> reports about a venue (SPEC §6): whether it answers and accepts the
/// credentials, how long a round trip takes, how far its clock is from ours, whether the account may trade, and the
/// trading rules of the connection's symbols. A refused key is <c>Ok = false</c> with <see cref="Reason"/>, not an error.
/// </summary>
public sealed record ExchangeProbe(
    bool Ok,
    double LatencyMs,
    double? ClockSkewMs,
    bool? CanTrade,
    IReadOnlyList<SymbolRules> Symbols,
    string? Reason);

/// <summary>A symbol's trading rules: price tick, quantity step, least quantity and least notional (quote value) of an order.</summary>
public sealed record SymbolRules(string Symbol, decimal TickSize, decimal StepSize, decimal MinQty, decimal MinNotional);
