namespace Cts.Functions.Engines;

/// <summary>
/// An operator's forced entry (Freqtrade's <c>forceenter</c>): buy <paramref name="QuoteAmount"/> of
/// <paramref name="Symbol"/> now (the preset's <c>positionSizeQuote</c> when null). <paramref name="RequestKey"/> makes
/// the entry's client order id, so the same request retried is the same order.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record ForceEntryCommand(
    [property: Id(0)] string Symbol,
    [property: Id(1)] decimal? QuoteAmount,
    [property: Id(2)] string RequestKey,
    [property: Id(3)] string Actor,
    [property: Id(4)] string? Reason = null,
    [property: Id(5)] string? CorrelationId = null);

/// <summary>How an engine answered a forced entry.</summary>
public enum ForceEntryOutcome
{
    /// <summary>Filled and recorded: a new open position.</summary>
    Opened,
    /// <summary>The same request was made before; nothing new was sent (the position, if still open, is returned).</summary>
    AlreadyMade,
    /// <summary>Not Running or Paused: a lifecycle conflict.</summary>
    NotAllowed,
    /// <summary>maxOpenPositions reached.</summary>
    Full,
    /// <summary>The free balance does not cover the amount.</summary>
    InsufficientBalance,
    /// <summary>The venue refused the order (recorded as a rejected intent).</summary>
    Rejected,
    /// <summary>The symbol is not one the engine's run trades (the connection changed since it started).</summary>
    UnknownSymbol,
    /// <summary>Storage or the venue cannot be reached now: nothing was opened; retry with the same request key.</summary>
    Unavailable,
}

[GenerateSerializer, Immutable]
public sealed record ForceEntryResult(
    [property: Id(0)] ForceEntryOutcome Outcome,
    [property: Id(1)] EngineStatus Status,
    [property: Id(2)] string PositionId,
    [property: Id(3)] PositionView? Position = null,
    [property: Id(4)] string? Detail = null);
