using Cts.Bench.Measurements;
using Cts.Bench.Processes;

namespace Cts.Bench.Scenarios;

/// <summary>
/// A fresh Azurite and a fresh host process on free ports, with N paper connections created and enabled: what every
/// scenario starts from. Disposing it stops both by PID.
/// </summary>
public sealed class CtsSession : IDisposable
{
    private CtsSession(AzuriteProcess azurite, HostProcess host, HttpClient http, string[] ids)
    {
        Azurite = azurite;
        Host = host;
        Http = http;
        Api = new CtsApi(http);
        Ids = ids;
    }

    public AzuriteProcess Azurite { get; }

    public HostProcess Host { get; }

    public HttpClient Http { get; }

    public CtsApi Api { get; }

    public string[] Ids { get; }

    /// <summary>How long creating (import) and enabling the connections took.</summary>
    public TimeSpan Created { get; private set; }

    public TimeSpan Enabled { get; private set; }

    public static async Task<CtsSession> StartAsync(string root, string dll, int engines, int symbols, int parallelism, Action<string> step)
    {
        var azurite = await AzuriteProcess.StartAsync(root);
        var host = new HostProcess(dll, azurite.ConnectionString, HostProcess.SampleApiKeys(root));
        var http = CtsApi.CreateClient(host.BaseAddress, parallelism);
        var session = new CtsSession(azurite, host, http, Enumerable.Range(0, engines).Select(CtsApi.EngineId).ToArray());
        try
        {
            step($"Azurite on table :{azurite.TablePort}, blob :{azurite.BlobPort} (pids {string.Join(", ", azurite.Pids)}); launching the host on :{host.HttpPort}");
            await host.LaunchAsync(http, TimeSpan.FromSeconds(90));
            step($"creating {engines:N0} paper connections on {symbols} symbols, two each (one by POST, the rest by import of {CtsApi.ImportBatch} a time), "
                + $"enabling them {parallelism} at a time");
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var index = session.Ids.Select((id, i) => (id, i)).ToDictionary(e => e.id, e => e.i, StringComparer.Ordinal);
            string[] SymbolsOf(string id) => BenchSymbols.Of(index[id], symbols);
            await session.Api.CreateConnectionAsync(session.Ids[0], SymbolsOf(session.Ids[0]));
            await session.Api.ImportCopiesAsync(session.Ids[0], session.Ids[1..], SymbolsOf, parallelism: 4);
            session.Created = clock.Elapsed;
            var enabled = await Timed.ForEachAsync(session.Ids, parallelism, session.Api.EnableAsync);
            if (enabled.Failures.Count > 0)
            {
                throw new InvalidOperationException($"{enabled.Failures.Count} enables failed, first: {enabled.Failures[0].Message}");
            }
            session.Enabled = enabled.Elapsed;
            return session;
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    /// <summary>Starts every engine, <paramref name="parallelism"/> at a time; returns the wall time and failures.</summary>
    public Task<(TimeSpan Elapsed, IReadOnlyList<Exception> Failures)> StartAllAsync(int parallelism) =>
        Timed.ForEachAsync(Ids, parallelism, Api.StartAsync);

    public void Dispose()
    {
        Http.Dispose();
        Host.Dispose();
        Azurite.Dispose();
    }
}
