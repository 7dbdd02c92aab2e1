using System.Diagnostics.Metrics;
using Azure.Data.Tables;
using Cts.Domain.Engines;
using Cts.Functions.Storage;
using Microsoft.Extensions.Options;

namespace Cts.Functions.Observability;

/// <summary>Settings of the host's metrics (section <c>Observability</c>).</summary>
public sealed class ObservabilityOptions
{
    public const string Section = "Observability";

    /// <summary>How old the engine state counts behind <c>cts_engines</c> may get before a scrape refreshes them (at most one query per this interval).</summary>
    public double EngineStatesRefreshSeconds { get; set; } = 10;
}

/// <summary>
/// The <c>cts_engines</c> gauge: how many engines are in each state, counted from the <c>State</c> projection column of
/// the engine rows in the grain state table, so a scrape never wakes a grain. The query runs at most once per
/// <see cref="ObservabilityOptions.EngineStatesRefreshSeconds"/>, in the background; a scrape waits briefly for a
/// refresh it started and otherwise reports the last counts. Every known state is reported, absent ones as 0.
/// </summary>
public sealed class EngineStateGauge : IHostedService, IDisposable
{

    private static readonly TimeSpan ScrapeWait = TimeSpan.FromSeconds(1);

    private readonly EngineRecords _records;
    private readonly ILogger<EngineStateGauge> _logger;
    private readonly TimeSpan _refreshEvery;
    private readonly TimeProvider _time;
    private readonly Meter _meter;
    private readonly Lock _gate = new();
    private IReadOnlyDictionary<string, long> _counts = new Dictionary<string, long>();
    private DateTimeOffset _refreshedAt = DateTimeOffset.MinValue;
    private Task? _refreshing;

    public EngineStateGauge(IMeterFactory meters, EngineRecords records, IOptions<ObservabilityOptions> options, TimeProvider time,
        ILogger<EngineStateGauge> logger)
    {
        _records = records;
        _logger = logger;
        _time = time;
        _refreshEvery = TimeSpan.FromSeconds(Math.Max(0.1, options.Value.EngineStatesRefreshSeconds));
        // A meter of this host (disposed with it), named like the static one so the same exporter picks it up.
        _meter = meters.Create(CtsMetrics.MeterName);
        _meter.CreateObservableGauge(CtsMetrics.EnginesName, Observe, description: "Engines by state.");
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose() => _meter.Dispose();

    /// <summary>The counts the next scrape reports, refreshing them first when stale (for tests and diagnostics).</summary>
    public async Task<IReadOnlyDictionary<string, long>> CountsAsync()
    {
        var refresh = RefreshIfStale();
        if (refresh is not null)
        {
            await refresh.ConfigureAwait(false);
        }
        return _counts;
    }

    private IEnumerable<Measurement<long>> Observe()
    {
        var refresh = RefreshIfStale();
        if (refresh is not null)
        {
            // Observable callbacks are synchronous: give a fresh query a moment, never block a scrape for long.
            try
            {
                refresh.Wait(ScrapeWait);
            }
            catch (AggregateException)
            {
                // Logged by the refresh; the last counts are reported.
            }
        }
        var counts = _counts;
        foreach (var state in Enum.GetNames<EngineState>())
        {
            yield return new Measurement<long>(counts.GetValueOrDefault(state), new KeyValuePair<string, object?>("state", state));
        }
        foreach (var (state, count) in counts.Where(c => !Enum.IsDefined(typeof(EngineState), c.Key)))
        {
            yield return new Measurement<long>(count, new KeyValuePair<string, object?>("state", state));
        }
    }

    private Task? RefreshIfStale()
    {
        lock (_gate)
        {
            if (_refreshing is { IsCompleted: false })
            {
                return _refreshing;
            }
            if (_time.GetUtcNow() - _refreshedAt < _refreshEvery)
            {
                return null;
            }
            // Stamped at the start, so a failing storage is asked at most once per interval too.
            _refreshedAt = _time.GetUtcNow();
            _refreshing = Task.Run(RefreshAsync);
            return _refreshing;
        }
    }

    private async Task RefreshAsync()
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            var records = await _records.AllAsync(timeout.Token).ConfigureAwait(false);
            _counts = records.Values.GroupBy(r => r.State, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => (long)g.Count(), StringComparer.Ordinal);
        }
        catch (Exception e) when (e is Azure.RequestFailedException or OperationCanceledException or AggregateException or InvalidOperationException)
        {
            _logger.LogWarning(e, "Engine state counts for metrics could not be read; reporting the last counts");
        }
    }
}
