using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Azure.Data.Tables;
using Cts.Functions.Storage;

namespace Cts.Functions.Tests.Infrastructure;

/// <summary>
/// A real Azurite (table and blob services, one <c>node</c> process each) on free ports of 127.0.0.1, so storage
/// code is tested against the same protocol as Azure instead of mocks. Tests isolate themselves with
/// <see cref="NewPrefix"/> rather than with separate emulators, so one instance serves the whole test run.
/// </summary>
/// <remarks>
/// Use it through <c>[Collection(AzuriteCollection.Name)]</c> (one instance shared by all classes in the
/// collection, which also keeps <see cref="StopAsync"/> outages from hitting unrelated tests), or as an
/// <c>IClassFixture&lt;AzuriteFixture&gt;</c> for a private instance.
/// </remarks>
public sealed class AzuriteFixture : IAsyncLifetime, IAsyncDisposable
{
    /// <summary>Azurite's well-known development account key (public, not a secret).</summary>
    private const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private static readonly TimeSpan StartDeadline = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan GracefulStopDeadline = TimeSpan.FromSeconds(15);

    private readonly string _azuriteRoot;
    private readonly string _location = Path.Combine(Path.GetTempPath(), "cts-azurite-" + Guid.NewGuid().ToString("N"));
    private readonly ConcurrentQueue<string> _output = new();
    private readonly object _gate = new();
    private Process? _table;
    private Process? _blob;
    private bool _disposed;

    public AzuriteFixture()
    {
        _azuriteRoot = Path.Combine(FindRepositoryRoot(), "node_modules", "azurite");
        if (!File.Exists(MainScript("table")))
        {
            throw new InvalidOperationException(
                $"Azurite is not installed at {_azuriteRoot}. Run `npm ci` in the repository root to install it.");
        }

        TablePort = Infrastructure.FreePort.Next();
        BlobPort = Infrastructure.FreePort.Next();
        AppDomain.CurrentDomain.ProcessExit += OnProcessExit;
    }

    public int TablePort { get; }

    public int BlobPort { get; }

    /// <summary>Connection string for both services, with explicit endpoints (Azurite is not on its default ports).</summary>
    public string ConnectionString =>
        $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={AccountKey};"
        + $"TableEndpoint=http://127.0.0.1:{TablePort}/devstoreaccount1;BlobEndpoint=http://127.0.0.1:{BlobPort}/devstoreaccount1;";

    /// <summary>What Azurite printed, for diagnosing a failed start.</summary>
    public string Output => string.Join(Environment.NewLine, _output);

    /// <summary>A fresh table/container name prefix (lowercase letter then letters and digits) so each test has its own tables.</summary>
    public string NewPrefix() => "t" + Guid.NewGuid().ToString("N")[..12];

    /// <summary><see cref="CtsTables"/> on this Azurite with a fresh prefix (or the given one, to see another test's data).</summary>
    public CtsTables NewTables(string? prefix = null) => new(new TableServiceClient(ConnectionString), prefix ?? NewPrefix());

    Task IAsyncLifetime.InitializeAsync() => StartAsync();

    Task IAsyncLifetime.DisposeAsync() => DisposeAsync().AsTask();

    /// <summary>Starts both services (again, after <see cref="StopAsync"/>) on the same ports and data folder.</summary>
    public async Task StartAsync()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        Directory.CreateDirectory(_location);
        lock (_gate)
        {
            _table ??= Launch("table", "--tableHost", "--tablePort", TablePort);
            _blob ??= Launch("blob", "--blobHost", "--blobPort", BlobPort);
        }
        await WaitUntilListeningAsync().ConfigureAwait(false);
    }

    /// <summary>
    /// Stops both services, simulating a storage outage: Azurite is asked to shut down (SIGINT) so it saves its
    /// data, as a real outage loses nothing, and is killed if it does not exit in time.
    /// </summary>
    public async Task StopAsync()
    {
        Process?[] processes;
        lock (_gate)
        {
            processes = [_table, _blob];
            _table = null;
            _blob = null;
        }
        await Task.WhenAll(processes.OfType<Process>().Select(StopGracefullyAsync)).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        AppDomain.CurrentDomain.ProcessExit -= OnProcessExit;
        KillAll();
        await Task.Yield();
        try
        {
            Directory.Delete(_location, recursive: true);
        }
        catch (IOException)
        {
            // A file still held by a dying process; the temp folder is cleaned by the OS eventually.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private Process Launch(string service, string hostOption, string portOption, int port)
    {
        var dataFolder = Path.Combine(_location, service);
        Directory.CreateDirectory(dataFolder);
        var startInfo = new ProcessStartInfo("node")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            ArgumentList =
            {
                MainScript(service), hostOption, "127.0.0.1", portOption, port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "--location", dataFolder, "--silent", "--skipApiVersionCheck", "--loose", "--disableTelemetry",
            },
        };
        var process = new Process { StartInfo = startInfo, EnableRaisingEvents = true };
        // Read both pipes asynchronously so a chatty child can never block on a full pipe.
        process.OutputDataReceived += (_, e) => Record(service, e.Data);
        process.ErrorDataReceived += (_, e) => Record(service, e.Data);
        if (!process.Start())
        {
            throw new InvalidOperationException($"Could not start `node` for Azurite {service}.");
        }
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private async Task WaitUntilListeningAsync()
    {
        using var deadline = new CancellationTokenSource(StartDeadline);
        foreach (var (service, port) in new[] { ("table", TablePort), ("blob", BlobPort) })
        {
            while (!await AcceptsConnectionsAsync(port, deadline.Token).ConfigureAwait(false))
            {
                Process? process;
                lock (_gate)
                {
                    process = service == "table" ? _table : _blob;
                }
                if (process is null || process.HasExited)
                {
                    throw new InvalidOperationException($"Azurite {service} exited while starting. Output:{Environment.NewLine}{Output}");
                }
                if (deadline.IsCancellationRequested)
                {
                    throw new TimeoutException(
                        $"Azurite {service} did not accept connections on 127.0.0.1:{port} within {StartDeadline.TotalSeconds} s. Output:{Environment.NewLine}{Output}");
                }
                await Task.Delay(TimeSpan.FromMilliseconds(100)).ConfigureAwait(false);
            }
        }
    }

    private static async Task<bool> AcceptsConnectionsAsync(int port, CancellationToken deadline)
    {
        using var client = new TcpClient();
        try
        {
            using var attempt = CancellationTokenSource.CreateLinkedTokenSource(deadline);
            attempt.CancelAfter(TimeSpan.FromSeconds(1));
            await client.ConnectAsync(IPAddress.Loopback, port, attempt.Token).ConfigureAwait(false);
            return true;
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            return false;
        }
    }

    private async Task StopGracefullyAsync(Process process)
    {
        using (process)
        {
            if (process.HasExited)
            {
                return;
            }
            if (!OperatingSystem.IsWindows())
            {
                _ = Kill(process.Id, SigInt);
            }
            using var deadline = new CancellationTokenSource(GracefulStopDeadline);
            try
            {
                await process.WaitForExitAsync(deadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync().ConfigureAwait(false);
            }
        }
    }

    private void KillAll()
    {
        lock (_gate)
        {
            foreach (var process in new[] { _table, _blob }.OfType<Process>())
            {
                try
                {
                    if (!process.HasExited)
                    {
                        process.Kill(entireProcessTree: true);
                        process.WaitForExit(TimeSpan.FromSeconds(5));
                    }
                }
                catch (InvalidOperationException)
                {
                    // Already gone.
                }
                process.Dispose();
            }
            _table = null;
            _blob = null;
        }
    }

    private void OnProcessExit(object? sender, EventArgs e) => KillAll();

    private void Record(string service, string? line)
    {
        if (line is null)
        {
            return;
        }
        _output.Enqueue($"[{service}] {line}");
        while (_output.Count > 200 && _output.TryDequeue(out _))
        {
        }
    }

    private string MainScript(string service) => Path.Combine(_azuriteRoot, "dist", "src", service, "main.js");

    internal static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Cts.Functions.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException($"No Cts.Functions.sln found above {AppContext.BaseDirectory}; cannot locate node_modules/azurite.");
    }

    private const int SigInt = 2;

    /// <summary>POSIX kill(2): Azurite's table service saves its data on SIGINT but not on the SIGKILL of <see cref="Process.Kill()"/>.</summary>
    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
