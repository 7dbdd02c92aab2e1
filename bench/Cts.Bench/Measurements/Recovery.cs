using System.Diagnostics;
using Cts.Bench.Processes;

namespace Cts.Bench.Measurements;

/// <summary>
/// <c>kill -9</c> of the host with N engines running, an immediate relaunch on the same ports and storage, and the
/// time from the kill until every engine reports Running with its cycle count advancing (a higher run count in a later
/// status-all than in the first one that showed it Running after the relaunch).
/// </summary>
/// <remarks>Status-all asks every engine, so polling it also activates engines the boot scan has not reached yet.</remarks>
public static class Recovery
{
    public sealed record Result(TimeSpan? Ready, TimeSpan? AllRunning, TimeSpan? AllAdvancing, int Advancing, int Engines);

    public static async Task<Result> MeasureAsync(HostProcess host, HttpClient http, CtsApi api, int engines, TimeSpan deadline)
    {
        var clock = Stopwatch.StartNew();
        host.Kill();
        await host.LaunchAsync(http, deadline);
        var ready = clock.Elapsed;
        TimeSpan? allRunning = null;
        var firstRunning = new Dictionary<string, long>();
        var advancing = new HashSet<string>();
        while (clock.Elapsed < deadline)
        {
            List<EngineSummary> all;
            try
            {
                all = await api.ListAllAsync();
            }
            catch (HttpRequestException)
            {
                await Task.Delay(100);
                continue;
            }
            var running = all.Where(e => e.State == "Running").ToList();
            if (running.Count == engines)
            {
                allRunning ??= clock.Elapsed;
            }
            foreach (var engine in running)
            {
                if (!firstRunning.TryAdd(engine.Id, engine.Runs) && engine.Runs > firstRunning[engine.Id])
                {
                    advancing.Add(engine.Id);
                }
            }
            if (advancing.Count == engines)
            {
                return new Result(ready, allRunning, clock.Elapsed, advancing.Count, engines);
            }
            await Task.Delay(200);
        }
        return new Result(ready, allRunning, null, advancing.Count, engines);
    }
}
