using Cts.Domain.Exchanges;
using Cts.Functions.Engines;
using Cts.Functions.Storage;
using Microsoft.Extensions.Options;

namespace Cts.Functions.Exchanges;

/// <summary>
/// <c>POST /api/connections/{id}/test</c> (SPEC §6): builds the connection's exchange the way its engine does (through
/// <see cref="IExchangeFactory"/>: its venue, credentials and resilience pipeline) and asks the venue for an
/// <see cref="ExchangeProbe"/>. Every way the venue can fail is an answer, not an error: a refused key is
/// <c>ok: false</c> with the venue's reason (the venue's own probe says so), and a venue that cannot be reached, that
/// the build has no adapter for, or that does not answer within the request timeout is <c>ok: false</c> with why.
/// </summary>
public sealed partial class ConnectionTester(
    ConnectionStore connections, SettingsStore settings, IExchangeFactory exchanges, TimeProvider time, IOptions<EngineOptions> options,
    ILogger<ConnectionTester> logger)
{
    /// <summary>The probe of connection <paramref name="connectionId"/>; null when there is no such connection.</summary>
    public async Task<ExchangeProbe?> TestAsync(string connectionId, CancellationToken cancellationToken)
    {
        var connection = await connections.GetAsync(connectionId, cancellationToken);
        if (connection is null)
        {
            return null;
        }
        var current = await settings.CurrentAsync(cancellationToken);
        var started = time.GetTimestamp();
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bound.CancelAfter(TimeSpan.FromSeconds(options.Value.RequestTimeoutSeconds));
        try
        {
            var exchange = exchanges.Create(connection.Value, current);
            return await exchange.ProbeAsync(connection.Value.Symbols, time, bound.Token);
        }
        catch (ExchangeException e)
        {
            LogProbeFailed(connectionId, e.Kind, e.Message);
            var reason = e.Kind == ExchangeFaultKind.Transient ? $"the exchange could not be reached: {e.Message}" : e.Message;
            return Failed(started, reason);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            LogProbeFailed(connectionId, ExchangeFaultKind.Transient, "timed out");
            return Failed(started, $"the exchange did not answer within {options.Value.RequestTimeoutSeconds} s");
        }
    }

    private ExchangeProbe Failed(long started, string reason) =>
        new(false, time.GetElapsedTime(started).TotalMilliseconds, null, null, [], reason);

    [LoggerMessage(LogLevel.Information, "Connection test {ConnectionId}: {Kind}: {Reason}")]
    private partial void LogProbeFailed(string connectionId, ExchangeFaultKind kind, string reason);
}
