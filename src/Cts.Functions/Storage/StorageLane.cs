namespace Cts.Functions.Storage;

/// <summary>
/// Which of the node's two storage clients a table's requests travel on (<see cref="CtsTables"/>). The trade path's
/// tables (the trading journal and the paper ledger) have a lane of their own with a bound on requests in flight, so a
/// trade wave — thousands of engines ordering in the same cycle — waits in that lane, and lifecycle transitions,
/// configuration, audit, reminders and grain state never queue behind it.
/// </summary>
public enum StorageLane
{
    /// <summary>Everything but the trade path: grain state, reminders, audit, configuration, backtests.</summary>
    Control,

    /// <summary>The trade path: intents, their settlement and positions (<c>trading</c>), and the paper venue's books (<c>paperledger</c>).</summary>
    Trading,
}

/// <summary>The lane of each logical table.</summary>
public static class StorageLanes
{
    public static StorageLane Of(string logicalName) => logicalName switch
    {
        TradingEntities.TableName or TablePaperLedger.TableName => StorageLane.Trading,
        _ => StorageLane.Control,
    };
}
