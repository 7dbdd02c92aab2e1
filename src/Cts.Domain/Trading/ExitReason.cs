namespace Cts.Domain.Trading;

/// <summary>Why a position was closed.</summary>
public enum ExitReason
{
    /// <summary>The bid fell to the stop-loss level below entry.</summary>
    StopLoss,
    /// <summary>The bid rose to the take-profit level above entry.</summary>
    TakeProfit,
    /// <summary>The bid fell back from its high by the trailing percentage, after having been above entry.</summary>
    TrailingStop,
    /// <summary>The strategy signalled an exit.</summary>
    Signal,
    /// <summary>A user closed it.</summary>
    Manual,
    /// <summary>The engine was stopped and flattened its positions.</summary>
    Shutdown,
    /// <summary>The connection was deleted with <c>closePositions=true</c>, and its engine closed what it still held.</summary>
    ConnectionDeleted,
}
