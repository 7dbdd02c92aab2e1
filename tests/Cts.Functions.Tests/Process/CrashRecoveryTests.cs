using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Cts.Functions.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Cts.Functions.Tests.Processes;

/// <summary>
/// The built host as a real OS process, crashed (SIGKILL) or stopped (SIGTERM) and launched again on the same
/// storage: running engines must come back by themselves, with no request to the engines, within seconds.
/// </summary>
/// <remarks>
/// Recovery is proven before any HTTP call reaches the engines API (a GET would activate the engine grain and
/// could mask a missing boot recovery): only <c>/health/ready</c> is called, the host log is read, and the
/// engines' persisted rows are read straight from the <c>{prefix}grainstate</c> table.
/// </remarks>
[Collection(AzuriteCollection.Name)]
public sealed class CrashRecoveryTests(AzuriteFixture azurite, ITestOutputHelper log)
{
    private static readonly string[] EngineIds = ["crash-a", "crash-b", "crash-c"];

    /// <summary>An engine paused before the crash: it must come back Paused (never trading), with its cycles running again.</summary>
    private const string PausedId = "crash-p";
    private static readonly TimeSpan RecoveryLimit = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan SigtermLimit = TimeSpan.FromSeconds(10);

    /// <summary>Engines flush their run counters every second, so progress is visible in storage without asking the host.</summary>
    private static readonly Dictionary<string, string?> FlushEverySecond = new()
    {
        ["cts__engine__healthFlushSeconds"] = "1",
        ["cts__engine__healthRoutineFlushSeconds"] = "1",
    };

    [Fact]
    public async Task Killed_host_brings_running_and_paused_engines_back_without_any_request()
    {
        var prefix = azurite.NewPrefix();
        var rows = new EngineStateTable(azurite.ConnectionString, prefix);
        await using var first = new HostProcess(azurite.ConnectionString, prefix, settings: FlushEverySecond);
        await first.StartAsync();
        await StartEnginesAsync(first);
        await StartEngineAsync(first, PausedId);
        using (var paused = await first.Client.PostAsync($"/api/engines/{PausedId}/pause", null))
        {
            await ExpectAsync(paused, HttpStatusCode.OK, $"POST /api/engines/{PausedId}/pause", first);
        }
        var running = Deadline.In(TimeSpan.FromSeconds(15));
        await WaitUntilRunsAdvanceOverHttpAsync(first, running);
        await running.UntilAsync("every engine has flushed some runs to storage", () => rows.ReadAsync([.. EngineIds, PausedId]),
            current => current.All(row => row.IndicationsRuns > 0 && row.StrategiesRuns > 0 && row.RealtimeRuns > 0), () => first.OutputTail());

        first.Kill();
        Assert.NotEqual(0, first.ExitCode);
        var atCrash = await rows.ReadAsync(EngineIds);
        Assert.All(atCrash, row => Assert.Equal("Running", row.State));
        var pausedAtCrash = (await rows.ReadAsync([PausedId])).Single();
        Assert.Equal("Paused", pausedAtCrash.State);
        log.WriteLine("At the crash: " + string.Join("; ", [.. atCrash, pausedAtCrash]));

        var relaunchedAt = DateTimeOffset.UtcNow;
        var recovery = Deadline.In(RecoveryLimit);
        await using var second = first.Relaunch();
        await second.StartAsync();

        await ProveRecoveredWithoutRequestAsync(second, rows, relaunchedAt, atCrash, recovery, activeEngines: EngineIds.Length + 1);
        await recovery.UntilAsync($"{PausedId} logs its recovery from Paused",
            () => second.OutputContains($"Engine {PausedId}: recovering from Paused"), () => second.OutputTail());
        await recovery.UntilAsync($"{PausedId} is still Paused in storage, its cycles running again past the crash's counts",
            async () => (await rows.ReadAsync([PausedId])).Single(),
            row => row.State == "Paused" && row.IndicationsRuns > pausedAtCrash.IndicationsRuns
                && row.StrategiesRuns > pausedAtCrash.StrategiesRuns && row.RealtimeRuns > pausedAtCrash.RealtimeRuns,
            () => second.OutputTail());
        await WaitUntilRunsAdvanceOverHttpAsync(second, recovery);
        log.WriteLine($"Recovered and verified {recovery.Elapsed.TotalSeconds:0.0} s after the relaunch.");
    }

    [Fact]
    public async Task Sigterm_finishes_cycles_exits_in_time_and_engines_resume_on_next_launch()
    {
        var prefix = azurite.NewPrefix();
        var rows = new EngineStateTable(azurite.ConnectionString, prefix);
        // No periodic health flush during this launch: counters found in storage after the exit were written by the shutdown.
        await using var first = new HostProcess(azurite.ConnectionString, prefix,
            settings: new Dictionary<string, string?> { ["cts__engine__healthFlushSeconds"] = "600", ["cts__engine__healthRoutineFlushSeconds"] = "600" });
        await first.StartAsync();
        await StartEnginesAsync(first);
        var lastSeen = await WaitUntilRunsAdvanceOverHttpAsync(first, Deadline.In(TimeSpan.FromSeconds(15)));

        var took = await first.TerminateAsync(TimeSpan.FromSeconds(30));
        log.WriteLine($"Exited {took.TotalSeconds:0.00} s after SIGTERM with code {first.ExitCode}.");
        Assert.True(took < SigtermLimit, $"The host took {took.TotalSeconds:0.0} s to exit after SIGTERM (limit {SigtermLimit.TotalSeconds} s).{Environment.NewLine}{first.OutputTail()}");
        Assert.True(first.ExitCode == 0, $"The host exited with code {first.ExitCode} after SIGTERM, expected 0.{Environment.NewLine}{first.OutputTail()}");

        // A stop of the host is not a stop of the engines: they stay Running in storage, with the cycles they ran
        // flushed on the way down and none cut off as a failure.
        var atExit = await rows.ReadAsync(EngineIds);
        log.WriteLine("After the exit: " + string.Join("; ", atExit));
        foreach (var row in atExit)
        {
            var seen = lastSeen[row.Id];
            Assert.True(row.State == "Running", $"{row} should still be Running after a host shutdown.{Environment.NewLine}{first.OutputTail()}");
            Assert.True(row.IndicationsRuns >= seen.Indications && row.StrategiesRuns >= seen.Strategies && row.RealtimeRuns >= seen.Realtime,
                $"Shutdown did not flush the cycles that ran: stored {row}, but the API had already reported {seen}.{Environment.NewLine}{first.OutputTail()}");
            Assert.True(row.Failures == 0, $"Cycles failed or were cut off during shutdown: {row}.{Environment.NewLine}{first.OutputTail()}");
        }

        var relaunchedAt = DateTimeOffset.UtcNow;
        var recovery = Deadline.In(RecoveryLimit);
        await using var second = first.Relaunch(FlushEverySecond);
        await second.StartAsync();

        await ProveRecoveredWithoutRequestAsync(second, rows, relaunchedAt, atExit, recovery);
        await WaitUntilRunsAdvanceOverHttpAsync(second, recovery);
        log.WriteLine($"Resumed and verified {recovery.Elapsed.TotalSeconds:0.0} s after the relaunch.");

        var secondTook = await second.TerminateAsync(TimeSpan.FromSeconds(30));
        Assert.True(second.ExitCode == 0 && secondTook < SigtermLimit,
            $"The relaunched host exited with {second.ExitCode} after {secondTook.TotalSeconds:0.0} s.{Environment.NewLine}{second.OutputTail()}");
    }

    /// <summary>
    /// With no request to the engines: the boot scan found all of them, each recovered from Running, and storage shows
    /// each Running again (a transition written after the relaunch) with run counters advancing past where they were.
    /// </summary>
    private async Task ProveRecoveredWithoutRequestAsync(
        HostProcess host, EngineStateTable rows, DateTimeOffset relaunchedAt, IReadOnlyList<EngineRow> before, Deadline recovery,
        int? activeEngines = null)
    {
        var active = activeEngines ?? EngineIds.Length;
        await recovery.UntilAsync($"the host logs that boot recovery found {active} engines",
            () => host.OutputContains($"Boot recovery: {active} active engines to wake"), () => host.OutputTail());
        await recovery.UntilAsync("every engine logs its recovery from Running",
            () => EngineIds.All(id => host.OutputContains($"Engine {id}: recovering from Running")), () => host.OutputTail());

        var resumed = await recovery.UntilAsync(
            "every engine is persisted as Running again, with a transition after the relaunch",
            () => rows.ReadAsync(EngineIds),
            current => current.All(row => row.State == "Running" && row.Since > relaunchedAt),
            () => host.OutputTail());
        var runsBefore = before.ToDictionary(r => r.Id);
        foreach (var row in resumed)
        {
            var prior = runsBefore[row.Id];
            Assert.True(row.IndicationsRuns >= prior.IndicationsRuns && row.StrategiesRuns >= prior.StrategiesRuns && row.RealtimeRuns >= prior.RealtimeRuns,
                $"Recovery reset the run counters: resumed as {row}, persisted before as {prior}.{Environment.NewLine}{host.OutputTail()}");
        }
        await recovery.UntilAsync(
            "every engine's persisted run counters advance past the recovered ones",
            () => rows.ReadAsync(EngineIds),
            current => current.All(row => row.State == "Running"
                && row.IndicationsRuns > runsBefore[row.Id].IndicationsRuns
                && row.StrategiesRuns > runsBefore[row.Id].StrategiesRuns
                && row.RealtimeRuns > runsBefore[row.Id].RealtimeRuns
                && row.Runs > resumed.Single(r => r.Id == row.Id).Runs),
            () => host.OutputTail());
        log.WriteLine($"Proven from storage {recovery.Elapsed.TotalSeconds:0.0} s after the relaunch: " + string.Join("; ", await rows.ReadAsync(EngineIds)));
    }

    /// <summary>Creates, enables and starts the paper engines; each start answers 200 with the engine Running.</summary>
    private static async Task StartEnginesAsync(HostProcess host)
    {
        foreach (var id in EngineIds)
        {
            await StartEngineAsync(host, id);
        }
    }

    private static async Task StartEngineAsync(HostProcess host, string id)
    {
        using (var created = await host.Client.PostAsJsonAsync("/api/connections",
            new { id, name = id.ToUpperInvariant(), exchange = "paper", symbols = new[] { "BTCUSDT" } }))
        {
            await ExpectAsync(created, HttpStatusCode.Created, $"POST /api/connections ({id})", host);
        }
        using (var enabled = await host.Client.PostAsync($"/api/connections/{id}/enable", null))
        {
            await ExpectAsync(enabled, HttpStatusCode.OK, $"POST /api/connections/{id}/enable", host);
        }
        using var started = await host.Client.PostAsync($"/api/engines/{id}/start", null);
        var body = await ExpectAsync(started, HttpStatusCode.OK, $"POST /api/engines/{id}/start", host);
        using var json = JsonDocument.Parse(body);
        Assert.True(json.RootElement.GetProperty("changed").GetBoolean(), body);
        Assert.Equal("Running", json.RootElement.GetProperty("status").GetProperty("state").GetString());
    }

    /// <summary>Waits until every engine reports Running over HTTP and every processor's runs went up between two reads.</summary>
    private static async Task<Dictionary<string, EngineView>> WaitUntilRunsAdvanceOverHttpAsync(HostProcess host, Deadline deadline)
    {
        var first = await deadline.UntilAsync("every engine reports Running over HTTP",
            () => GetEnginesAsync(host), views => views.Values.All(v => v.State == "Running"), () => host.OutputTail());
        return await deadline.UntilAsync("every processor of every engine reports more runs than before, over HTTP",
            () => GetEnginesAsync(host),
            views => views.Values.All(v => v.State == "Running"
                && v.Indications > first[v.Id].Indications
                && v.Strategies > first[v.Id].Strategies
                && v.Realtime > first[v.Id].Realtime),
            () => host.OutputTail());
    }

    private static async Task<Dictionary<string, EngineView>> GetEnginesAsync(HostProcess host)
    {
        var views = new Dictionary<string, EngineView>();
        foreach (var id in EngineIds)
        {
            using var response = await host.Client.GetAsync($"/api/engines/{id}");
            var body = await ExpectAsync(response, HttpStatusCode.OK, $"GET /api/engines/{id}", host);
            using var json = JsonDocument.Parse(body);
            var processors = json.RootElement.GetProperty("processors");
            long Runs(string kind) => processors.GetProperty(kind).GetProperty("runs").GetInt64();
            views[id] = new EngineView(id, json.RootElement.GetProperty("state").GetString() ?? "",
                Runs("indications"), Runs("strategies"), Runs("realtime"));
        }
        return views;
    }

    private static async Task<string> ExpectAsync(HttpResponseMessage response, HttpStatusCode expected, string request, HostProcess host)
    {
        var body = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != expected)
        {
            throw new HttpRequestException(
                $"{request} answered {(int)response.StatusCode} instead of {(int)expected}: {body}{Environment.NewLine}{host.OutputTail()}");
        }
        return body;
    }

    /// <summary>An engine as GET /api/engines/{id} reports it.</summary>
    private sealed record EngineView(string Id, string State, long Indications, long Strategies, long Realtime);
}
