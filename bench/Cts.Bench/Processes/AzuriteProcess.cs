using System.Globalization;

namespace Cts.Bench.Processes;

/// <summary>
/// Azurite's table and blob services (and the queue service, for the Durable Task peer) from the repository's pinned npm
/// install, on free ports of 127.0.0.1, with a fresh data folder that is deleted afterwards, so every run starts from
/// empty storage.
/// </summary>
public sealed class AzuriteProcess : IDisposable
{
    /// <summary>Azurite's well-known development account key (public, not a secret).</summary>
    private const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private readonly string _location;
    private readonly List<ChildProcess> _services = [];

    private AzuriteProcess(string location, int tablePort, int blobPort, int? queuePort)
    {
        _location = location;
        TablePort = tablePort;
        BlobPort = blobPort;
        QueuePort = queuePort;
    }

    public int TablePort { get; }

    public int BlobPort { get; }

    public int? QueuePort { get; }

    public IEnumerable<int> Pids => _services.Select(s => s.Pid);

    public string ConnectionString =>
        $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={AccountKey};"
        + $"TableEndpoint=http://127.0.0.1:{TablePort}/devstoreaccount1;BlobEndpoint=http://127.0.0.1:{BlobPort}/devstoreaccount1;"
        + (QueuePort is { } queue ? $"QueueEndpoint=http://127.0.0.1:{queue}/devstoreaccount1;" : "");

    public static async Task<AzuriteProcess> StartAsync(string repositoryRoot, bool withQueue = false)
    {
        var azurite = Path.Combine(repositoryRoot, "node_modules", "azurite", "dist", "src");
        if (!Directory.Exists(azurite))
        {
            throw new InvalidOperationException($"Azurite is not installed in {repositoryRoot}/node_modules; run `npm ci` there first.");
        }
        var location = Path.Combine(Path.GetTempPath(), "cts-bench-azurite-" + Guid.NewGuid().ToString("N"));
        var instance = new AzuriteProcess(location, ChildProcess.FreePort(), ChildProcess.FreePort(), withQueue ? ChildProcess.FreePort() : null);
        try
        {
            var services = new List<(string, int)> { ("table", instance.TablePort), ("blob", instance.BlobPort) };
            if (instance.QueuePort is { } queuePort)
            {
                services.Add(("queue", queuePort));
            }
            foreach (var (service, port) in services)
            {
                var data = Path.Combine(location, service);
                Directory.CreateDirectory(data);
                var child = ChildProcess.Start("node",
                [
                    Path.Combine(azurite, service, "main.js"), $"--{service}Host", "127.0.0.1", $"--{service}Port",
                    port.ToString(CultureInfo.InvariantCulture), "--location", data, "--silent", "--skipApiVersionCheck", "--loose",
                    "--disableTelemetry",
                ], repositoryRoot);
                instance._services.Add(child);
                await ChildProcess.WaitForPortAsync(port, child, TimeSpan.FromSeconds(30), $"Azurite {service}");
            }
            return instance;
        }
        catch
        {
            instance.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        foreach (var service in _services)
        {
            service.Dispose();
        }
        try
        {
            Directory.Delete(_location, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
