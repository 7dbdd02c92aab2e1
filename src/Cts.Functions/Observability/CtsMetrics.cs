using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Cts.Functions.Observability;

/// <summary>
/// The host's own instruments, on the <see cref="MeterName"/> meter that <c>/metrics</c> exports. Recording is cheap and
/// never throws into the caller, so the calls can sit on hot paths (processor cycles, storage writes, exchange calls).
/// </summary>
/// <remarks>
/// Prometheus names (the OpenTelemetry exporter adds the unit and <c>_total</c> suffixes):
/// <c>cts_cycle_duration_milliseconds</c> (histogram; processor, outcome),
/// <c>cts_cycle_lag_milliseconds</c> (histogram; processor),
/// <c>cts_storage_write_duration_milliseconds</c> (histogram; state),
/// <c>cts_storage_writes_total</c> (counter; table),
/// <c>cts_storage_requests_dropped_total</c> (counter; lane),
/// <c>cts_entries_skipped_total</c> (counter; reason),
/// <c>cts_exchange_calls_total</c> (counter; operation, outcome) and
/// <c>cts_live_relay_dropped_total</c> (counter) and
/// <c>cts_engines</c> (gauge; state — registered per host by <see cref="EngineStateGauge"/>).
/// </remarks>
public static class CtsMetrics
{
    public const string MeterName = "Cts";
    public const string CycleDurationName = "cts.cycle.duration";
    public const string CycleLagName = "cts.cycle.lag";
    public const string StorageWritesName = "cts.storage.writes";
    public const string StorageWriteDurationName = "cts.storage.write.duration";
    public const string StorageRequestsDroppedName = "cts.storage.requests.dropped";
    public const string EntriesSkippedName = "cts.entries.skipped";
    public const string ExchangeCallsName = "cts.exchange.calls";
    public const string EnginesName = "cts.engines";
    public const string RelayDroppedName = "cts.live.relay.dropped";

    public const string Success = "success";
    public const string Failure = "failure";

    private static readonly Meter Meter = new(MeterName);

    private static readonly Histogram<double> CycleDuration = Meter.CreateHistogram<double>(
        CycleDurationName, unit: "ms", description: "Duration of one processor cycle of an engine.");

    /// <summary>Finer than the exporter's default buckets below 100 ms, where the cadence target (p99 &lt; 100 ms) lies.</summary>
    private static readonly Histogram<double> CycleLag = Meter.CreateHistogram(
        CycleLagName, unit: "ms", description: "How late a processor cycle started: its start minus the time its timer tick was due.",
        tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000] });

    private static readonly Counter<long> StorageWrites = Meter.CreateCounter<long>(
        StorageWritesName, description: "Write requests sent to table storage (insert, update, upsert, delete, batch), by table.");

    private static readonly Histogram<double> StorageWriteDuration = Meter.CreateHistogram<double>(
        StorageWriteDurationName, unit: "ms", description: "Duration of one grain state write to table storage.");

    private static readonly Counter<long> StorageRequestsDropped = Meter.CreateCounter<long>(
        StorageRequestsDroppedName, description: "Storage requests dropped unsent: their caller gave up while they waited for their lane.");

    private static readonly Counter<long> EntriesSkipped = Meter.CreateCounter<long>(
        EntriesSkippedName, description: "Strategy entries not made because storage could not take their intent in time (nothing was sent).");

    private static readonly Counter<long> ExchangeCalls = Meter.CreateCounter<long>(
        ExchangeCallsName, description: "Calls to exchange adapters, by operation and outcome.");

    private static readonly Counter<long> RelayDropped = Meter.CreateCounter<long>(
        RelayDroppedName, description: "Live events not forwarded to other nodes because the relay's outbox was full.");

    /// <summary>One processor cycle of <paramref name="processor"/> (its wire name), a success or a failure.</summary>
    public static void RecordCycle(string processor, TimeSpan elapsed, bool succeeded) =>
        CycleDuration.Record(elapsed.TotalMilliseconds,
            new KeyValuePair<string, object?>("processor", processor),
            new KeyValuePair<string, object?>("outcome", succeeded ? Success : Failure));

    /// <summary>How late a cycle of <paramref name="processor"/> started (negative lateness, a timer firing early, counts as 0).</summary>
    public static void RecordCycleLag(string processor, TimeSpan lag) =>
        CycleLag.Record(Math.Max(0, lag.TotalMilliseconds), new KeyValuePair<string, object?>("processor", processor));

    /// <summary>One write request to the table <paramref name="table"/> (its logical name, without the prefix).</summary>
    public static void CountStorageWrite(string table) => StorageWrites.Add(1, new KeyValuePair<string, object?>("table", table));

    /// <summary>A request of <paramref name="lane"/> whose caller gave up before it was sent (<see cref="Storage.InFlightLimit"/>).</summary>
    public static void CountStorageRequestDropped(Storage.StorageLane lane) =>
        StorageRequestsDropped.Add(1, new KeyValuePair<string, object?>("lane", lane == Storage.StorageLane.Trading ? "trading" : "control"));

    /// <summary>One strategy entry skipped for <paramref name="reason"/> (nothing was sent).</summary>
    public static void CountEntrySkipped(string reason) =>
        EntriesSkipped.Add(1, new KeyValuePair<string, object?>("reason", reason));

    /// <summary>One grain state write of <paramref name="stateName"/>.</summary>
    public static void RecordStorageWrite(string stateName, TimeSpan elapsed) =>
        StorageWriteDuration.Record(elapsed.TotalMilliseconds, new KeyValuePair<string, object?>("state", stateName));

    /// <summary>
    /// Times a grain state write until disposed, whether it succeeded or threw: <c>using var _ = CtsMetrics.TimeStorageWrite(stateName);</c>
    /// </summary>
    public static StorageWriteTimer TimeStorageWrite(string stateName) => new(stateName, Stopwatch.GetTimestamp());

    /// <summary>A live event the relay could not forward to the other nodes (its outbox was full).</summary>
    public static void RecordRelayDropped() => RelayDropped.Add(1);

    /// <summary>The <c>onOutcome</c> callback of <see cref="Exchanges.ResilientExchange"/>.</summary>
    public static void RecordExchangeCall(string operation, string outcome) =>
        ExchangeCalls.Add(1, new KeyValuePair<string, object?>("operation", operation), new KeyValuePair<string, object?>("outcome", outcome));
}

/// <summary>Records one storage write duration when disposed; see <see cref="CtsMetrics.TimeStorageWrite"/>.</summary>
public readonly struct StorageWriteTimer(string stateName, long started) : IDisposable
{
    public void Dispose() => CtsMetrics.RecordStorageWrite(stateName, Stopwatch.GetElapsedTime(started));
}
