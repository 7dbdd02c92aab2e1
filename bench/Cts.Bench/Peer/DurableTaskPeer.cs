using System.Diagnostics;
using DurableTask.AzureStorage;
using DurableTask.Core;

namespace Cts.Bench.Peer;

/// <summary>
/// The Durable Task Framework (DurableTask.AzureStorage 2.11.2) running the engine workload on the same Azurite, with
/// the settings that favour it: one partition (no lease shuffling on one node), extended sessions (orchestrations stay
/// in memory between episodes instead of replaying their history), and a 1 s maximum queue polling interval.
/// </summary>
public sealed class DurableTaskPeer : IAsyncDisposable
{
    private readonly AzureStorageOrchestrationService _service;
    private readonly TaskHubWorker _worker;
    private readonly TaskHubClient _client;

    private DurableTaskPeer(AzureStorageOrchestrationService service)
    {
        _service = service;
        _worker = new TaskHubWorker(service);
        _worker.AddTaskOrchestrations(typeof(EngineOrchestration));
        _worker.AddTaskActivities(typeof(CycleActivity));
        _client = new TaskHubClient(service);
    }

    public sealed record Result(int Engines, double Scheduled, double CyclesPerSecond, Percentiles Lateness, TimeSpan StartAll);

    public static async Task<DurableTaskPeer> StartAsync(string connectionString, string taskHub)
    {
        var settings = new AzureStorageOrchestrationServiceSettings
        {
            StorageAccountClientProvider = new StorageAccountClientProvider(connectionString),
            TaskHubName = taskHub,
            PartitionCount = 1,
            ExtendedSessionsEnabled = true,
            ExtendedSessionIdleTimeout = TimeSpan.FromSeconds(30),
            MaxQueuePollingInterval = TimeSpan.FromSeconds(1),
        };
        var service = new AzureStorageOrchestrationService(settings);
        await service.CreateIfNotExistsAsync();
        var peer = new DurableTaskPeer(service);
        await peer._worker.StartAsync();
        return peer;
    }

    /// <summary>
    /// Starts <paramref name="engines"/> eternal orchestrations with a <paramref name="period"/> cycle, lets each run
    /// its first episodes, then measures cycles per second and timer lateness over <paramref name="window"/>.
    /// </summary>
    public async Task<Result> RunAsync(int engines, TimeSpan period, TimeSpan window, int parallelism)
    {
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, engines), new ParallelOptions { MaxDegreeOfParallelism = parallelism },
            async (i, _) => await _client.CreateOrchestrationInstanceAsync(typeof(EngineOrchestration), $"engine-{i:D5}",
                new EngineOrchestration.Input($"engine-{i:D5}", (int)period.TotalMilliseconds)));
        var startAll = clock.Elapsed;
        // Two periods to settle: every orchestration has had the chance to run its first episode.
        await Task.Delay(period * 2);
        var (rate, lateness) = await PeerProbe.MeasureAsync(window);
        return new Result(engines, engines / period.TotalSeconds, rate, lateness, startAll);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _worker.StopAsync(isForced: true);
        }
        finally
        {
            _service.Dispose();
        }
    }
}
