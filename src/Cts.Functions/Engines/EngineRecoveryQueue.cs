using System.Threading.Channels;
using Microsoft.Extensions.Options;

namespace Cts.Functions.Engines;

/// <summary>
/// Admission control for recoveries on this node. An engine that was active before a crash comes back in two steps:
/// its activation only reads its state and queues it here, and one of <see cref="EngineOptions.RecoveryConcurrency"/>
/// workers then asks it to <see cref="IEngineGrain.CompleteRecovery"/> (load its connection, check the exchange, persist
/// Running, start its timers). However many engines wake at once (the boot scan, 10,000 reminders, a status listing),
/// storage sees a bounded number of recoveries in flight, so their reads and writes finish instead of queueing past the
/// storage client's timeout and failing together.
/// </summary>
/// <remarks>
/// A recovery that fails (storage still busy or down) is queued again after <see cref="RetryDelay"/>, up to
/// <see cref="MaxAttempts"/> times; after that the engine's watchdog reminder queues it again. An operator's command does
/// not wait in this queue: the engine completes its own recovery first (<see cref="EngineGrain"/>).
/// </remarks>
public sealed partial class EngineRecoveryQueue(
    IGrainFactory grains, IOptions<EngineOptions> options, TimeProvider time, ILogger<EngineRecoveryQueue> logger) : BackgroundService
{
    public const int MaxAttempts = 3;
    public static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(5);

    private readonly Channel<Admission> _queue = Channel.CreateUnbounded<Admission>(new UnboundedChannelOptions { SingleReader = false });
    private int _inFlight;

    /// <summary>Engines waiting for a worker.</summary>
    public int Waiting => _queue.Reader.Count;

    /// <summary>Recoveries being completed now.</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>Whether recoveries are waiting or under way: engines of this node open no new position meanwhile.</summary>
    public bool Busy => Waiting > 0 || InFlight > 0;

    /// <summary>Queues the engine's recovery; queuing one twice is harmless (the second finds nothing left to do).</summary>
    public void Enqueue(string connectionId) => _queue.Writer.TryWrite(new Admission(connectionId, 1));

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Enumerable.Range(0, Math.Max(1, options.Value.RecoveryConcurrency)).Select(_ => WorkAsync(stoppingToken)));

    private async Task WorkAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var admission in _queue.Reader.ReadAllAsync(stoppingToken))
            {
                Interlocked.Increment(ref _inFlight);
                try
                {
                    await grains.GetGrain<IEngineGrain>(admission.ConnectionId).CompleteRecovery();
                }
                catch (Exception e) when (!stoppingToken.IsCancellationRequested)
                {
                    LogRecoveryFailed(e, admission.ConnectionId, admission.Attempt);
                    if (admission.Attempt < MaxAttempts)
                    {
                        _ = RequeueLaterAsync(admission with { Attempt = admission.Attempt + 1 }, stoppingToken);
                    }
                }
                finally
                {
                    Interlocked.Decrement(ref _inFlight);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task RequeueLaterAsync(Admission admission, CancellationToken stoppingToken)
    {
        try
        {
            await Task.Delay(RetryDelay, time, stoppingToken);
            _queue.Writer.TryWrite(admission);
        }
        catch (OperationCanceledException)
        {
        }
    }

    private readonly record struct Admission(string ConnectionId, int Attempt);

    [LoggerMessage(LogLevel.Warning, "Engine {ConnectionId}: recovery attempt {Attempt} failed; it is queued again, or its watchdog retries it")]
    private partial void LogRecoveryFailed(Exception exception, string connectionId, int attempt);
}
