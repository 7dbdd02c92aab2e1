using System.Text.Json;

namespace Cts.Functions.Exchanges.Binance;

/// <summary>
/// Binance's clock as seen from this node: the offset of <c>GET /api/v3/time</c> from ours, measured at the midpoint of
/// the round trip. Measured when a connection starts (and by <c>/test</c>), again once it is older than the sync
/// interval, and whenever a signed request is refused with -1021 — so timestamps stay inside <c>recvWindow</c> and
/// never more than 1 s ahead of the server (rest-api.md "Timing security").
/// </summary>
public sealed class BinanceServerClock(BinanceHttp http, TimeProvider time, TimeSpan syncInterval)
{
    private readonly SemaphoreSlim _sync = new(1, 1);
    private long _offsetMs;
    private long _syncedAtTicks = long.MinValue;

    /// <summary>Server time minus ours, in milliseconds, as last measured (0 before the first measurement).</summary>
    public long OffsetMs => Interlocked.Read(ref _offsetMs);

    /// <summary>The server's time now, in Unix milliseconds.</summary>
    public long NowMs() => time.GetUtcNow().ToUnixTimeMilliseconds() + OffsetMs;

    /// <summary>Our clock's time for a server time.</summary>
    public DateTimeOffset ToLocal(long serverMs) => DateTimeOffset.FromUnixTimeMilliseconds(serverMs - OffsetMs);

    /// <summary>Measures again when the last measurement is older than the sync interval (or there was none).</summary>
    public Task EnsureFreshAsync(CancellationToken cancellationToken)
    {
        var synced = Interlocked.Read(ref _syncedAtTicks);
        return synced == long.MinValue || time.GetUtcNow().UtcTicks - synced > syncInterval.Ticks
            ? SyncAsync(cancellationToken)
            : Task.CompletedTask;
    }

    /// <summary>Measures the offset now; returns it in milliseconds.</summary>
    public async Task<long> SyncAsync(CancellationToken cancellationToken)
    {
        await _sync.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var before = time.GetUtcNow();
            var answer = await http.PublicAsync(BinanceEndpoint.Time, [], cancellationToken).ConfigureAwait(false);
            var after = time.GetUtcNow();
            var serverMs = answer.GetProperty("serverTime").GetInt64();
            var midpoint = before + (after - before) / 2;
            var offset = serverMs - midpoint.ToUnixTimeMilliseconds();
            Interlocked.Exchange(ref _offsetMs, offset);
            Interlocked.Exchange(ref _syncedAtTicks, after.UtcTicks);
            return offset;
        }
        catch (KeyNotFoundException e)
        {
            throw new JsonException("binance GET /api/v3/time answered without serverTime", e);
        }
        finally
        {
            _sync.Release();
        }
    }
}
