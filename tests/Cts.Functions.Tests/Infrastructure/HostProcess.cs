using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Cts.Functions.Tests.Infrastructure;

/// <summary>The three ports a host listens on (all on 127.0.0.1).</summary>
public sealed record HostPorts(int Http, int Silo, int Gateway)
{
    /// <summary>Three distinct free ports, each found by binding 127.0.0.1:0 (all held open together so they differ).</summary>
    public static HostPorts Free()
    {
        var listeners = Enumerable.Range(0, 3).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToArray();
        try
        {
            foreach (var listener in listeners)
            {
                listener.Start();
            }
            var ports = listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port).ToArray();
            return new HostPorts(ports[0], ports[1], ports[2]);
        }
        finally
        {
            foreach (var listener in listeners)
            {
                listener.Stop();
            }
        }
    }
}

/// <summary>
/// The BUILT CTS host (<c>dotnet Cts.Functions.dll</c>) as a separate OS process, so tests can crash it for real
/// (SIGKILL), ask it to stop (SIGTERM) and launch it again on the same storage, the way production restarts it.
/// </summary>
/// <remarks>
/// Usage:
/// <code>
/// await using var host = new HostProcess(azurite.ConnectionString, azurite.NewPrefix());
/// await host.StartAsync();                       // waits for GET /health/ready == 200 (60 s)
/// await host.Client.PostAsJsonAsync("/api/connections", ...);
/// host.Kill();                                   // SIGKILL by PID
/// await using var again = host.Relaunch();       // same prefix, ports and settings; a new process
/// await again.StartAsync();
/// var took = await again.TerminateAsync();       // SIGTERM by PID; how long until it exited
/// Assert.Equal(0, again.ExitCode);
/// </code>
/// The working directory is a fresh temp folder, so no local.settings.json is picked up; the host reads host.json
/// next to its dll and everything test-specific from environment variables. Output (stdout and stderr) is kept for
/// failure messages: <see cref="Output"/>, <see cref="OutputTail"/>.
/// </remarks>
public sealed class HostProcess : IAsyncDisposable
{
    public const string HostAssembly = "Cts.Functions.dll";

    private const int SigTerm = 15;
    private const int MaxOutputLines = 5000;
    private static readonly TimeSpan ReadyDeadline = TimeSpan.FromSeconds(60);

    /// <summary>Engine settings that make a test observe many cycles in a few seconds.</summary>
    public static readonly IReadOnlyDictionary<string, string?> FastEngine = new Dictionary<string, string?>
    {
        ["cts__engine__realtimeMs"] = "200",
        ["cts__engine__indicationsMs"] = "500",
        ["cts__engine__strategiesMs"] = "500",
    };

    private readonly ConcurrentQueue<string> _output = new();
    private readonly object _gate = new();
    private readonly string _workingDirectory = Path.Combine(Path.GetTempPath(), "cts-host-" + Guid.NewGuid().ToString("N"));
    private System.Diagnostics.Process? _process;
    private long _startedAt;
    private bool _disposed;

    /// <param name="storageConnectionString">The storage account (e.g. <see cref="AzuriteFixture.ConnectionString"/>).</param>
    /// <param name="prefix">Table and container prefix: the host's whole durable identity.</param>
    /// <param name="ports">Ports to listen on; free ones when null.</param>
    /// <param name="settings">
    /// Extra or overriding environment variables (configuration keys with <c>__</c>), applied over
    /// <see cref="FastEngine"/>; a null value removes a variable.
    /// </param>
    public HostProcess(string storageConnectionString, string prefix, HostPorts? ports = null,
        IReadOnlyDictionary<string, string?>? settings = null)
    {
        StorageConnectionString = storageConnectionString;
        Prefix = prefix;
        Ports = ports ?? HostPorts.Free();
        Settings = settings ?? new Dictionary<string, string?>();
        BaseAddress = new Uri($"http://127.0.0.1:{Ports.Http.ToString(CultureInfo.InvariantCulture)}");
        Client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(15) };
        Client.DefaultRequestHeaders.Add("X-Api-Key", TestKeys.Admin);
        AppDomain.CurrentDomain.ProcessExit += OnTestProcessExit;
    }

    public string StorageConnectionString { get; }

    public string Prefix { get; }

    public HostPorts Ports { get; }

    public IReadOnlyDictionary<string, string?> Settings { get; }

    public Uri BaseAddress { get; }

    /// <summary>A client for this host's HTTP API (base address set).</summary>
    public HttpClient Client { get; }

    /// <summary>The OS process id, once started.</summary>
    public int? Pid
    {
        get
        {
            lock (_gate)
            {
                return _process?.Id;
            }
        }
    }

    /// <summary>Whether the process was started and has not exited.</summary>
    public bool IsRunning
    {
        get
        {
            lock (_gate)
            {
                return _process is { HasExited: false };
            }
        }
    }

    /// <summary>The exit code once the process has exited, otherwise null.</summary>
    public int? ExitCode
    {
        get
        {
            lock (_gate)
            {
                return _process is { HasExited: true } p ? p.ExitCode : null;
            }
        }
    }

    /// <summary>Everything the host wrote to stdout and stderr so far (each line prefixed with ms since launch).</summary>
    public string Output => string.Join(Environment.NewLine, _output);

    /// <summary>The last <paramref name="lines"/> lines of output, headed for use in assertion messages.</summary>
    public string OutputTail(int lines = 80)
    {
        var all = _output.ToArray();
        var tail = all.Skip(Math.Max(0, all.Length - lines));
        var state = ExitCode is { } code ? $"exited with {code}" : IsRunning ? "running" : "not started";
        return $"--- host pid {Pid?.ToString(CultureInfo.InvariantCulture) ?? "-"} ({state}), prefix {Prefix}, http {Ports.Http}, "
            + $"last {Math.Min(lines, all.Length)} of {all.Length} output lines ---{Environment.NewLine}"
            + string.Join(Environment.NewLine, tail);
    }

    /// <summary>Whether any output line so far contains <paramref name="text"/>.</summary>
    public bool OutputContains(string text) => _output.Any(line => line.Contains(text, StringComparison.Ordinal));

    /// <summary>A new, not yet started, host with the same storage, prefix, ports and settings (plus <paramref name="overrides"/>).</summary>
    public HostProcess Relaunch(IReadOnlyDictionary<string, string?>? overrides = null)
    {
        if (IsRunning)
        {
            throw new InvalidOperationException($"Host pid {Pid} is still running; kill or terminate it before relaunching on the same ports.");
        }
        var settings = new Dictionary<string, string?>(Settings, StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }
        return new HostProcess(StorageConnectionString, Prefix, Ports, settings);
    }

    /// <summary>Launches the host and waits until <c>GET /health/ready</c> answers 200 (at most 60 s).</summary>
    public async Task StartAsync()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        lock (_gate)
        {
            if (_process is not null)
            {
                throw new InvalidOperationException("This host was already started; use Relaunch() for a new process.");
            }
            Directory.CreateDirectory(_workingDirectory);
            _process = Launch();
        }

        var deadline = Deadline.In(ReadyDeadline);
        var last = "no answer yet";
        while (true)
        {
            if (ExitCode is { } code)
            {
                await Started().WaitForExitAsync().ConfigureAwait(false);
                throw new InvalidOperationException($"The host exited with code {code} while starting.{Environment.NewLine}{OutputTail()}");
            }
            try
            {
                using var attempt = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                using var response = await Client.GetAsync("/health/ready", attempt.Token).ConfigureAwait(false);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    Record($"[test] ready after {deadline.Elapsed.TotalMilliseconds:0} ms");
                    return;
                }
                last = $"{(int)response.StatusCode} {response.StatusCode}";
            }
            catch (Exception e) when (e is HttpRequestException or OperationCanceledException)
            {
                last = $"{e.GetType().Name}: {e.Message}";
            }
            if (deadline.HasPassed)
            {
                throw new TimeoutException(
                    $"The host did not answer GET /health/ready with 200 within {ReadyDeadline.TotalSeconds:0} s (last: {last}).{Environment.NewLine}{OutputTail()}");
            }
            await Task.Delay(TimeSpan.FromMilliseconds(100)).ConfigureAwait(false);
        }
    }

    /// <summary>Crashes the host: SIGKILL by PID (nothing is flushed, no shutdown code runs). Waits until it is gone.</summary>
    public void Kill()
    {
        var process = Started();
        if (!process.HasExited)
        {
            process.Kill();
        }
        process.WaitForExit();
    }

    /// <summary>
    /// Asks the host to stop: SIGTERM by PID, as a container orchestrator does. Returns how long it took to exit. If it
    /// has not exited after <paramref name="waitAtMost"/> (default 30 s) it is killed and a <see cref="TimeoutException"/> thrown.
    /// </summary>
    public async Task<TimeSpan> TerminateAsync(TimeSpan? waitAtMost = null)
    {
        var process = Started();
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS())
        {
            throw new PlatformNotSupportedException("SIGTERM needs a POSIX system.");
        }
        var limit = waitAtMost ?? TimeSpan.FromSeconds(30);
        var sent = Stopwatch.GetTimestamp();
        if (SendSignal(process.Id, SigTerm) != 0 && !process.HasExited)
        {
            throw new InvalidOperationException($"kill({process.Id}, SIGTERM) failed with errno {Marshal.GetLastPInvokeError()}.");
        }
        using var timeout = new CancellationTokenSource(limit);
        try
        {
            await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill();
            await process.WaitForExitAsync().ConfigureAwait(false);
            throw new TimeoutException(
                $"The host did not exit within {limit.TotalSeconds:0.#} s of SIGTERM and was killed.{Environment.NewLine}{OutputTail()}");
        }
        var took = Stopwatch.GetElapsedTime(sent);
        // WaitForExitAsync also waits for the output pipes to close, so the output is complete here.
        return took;
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        AppDomain.CurrentDomain.ProcessExit -= OnTestProcessExit;
        KillIfRunning();
        Client.Dispose();
        await Task.Yield();
        try
        {
            Directory.Delete(_workingDirectory, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    /// <summary>
    /// The host's dll: next to the test assembly (the test project references the host, so its dll, deps.json and
    /// runtimeconfig.json are copied there), else the host project's own output for the same configuration.
    /// </summary>
    public static string FindHostAssembly()
    {
        var testOutput = AppContext.BaseDirectory;
        if (IsRunnable(testOutput))
        {
            return Path.Combine(testOutput, HostAssembly);
        }
        var framework = new DirectoryInfo(testOutput.TrimEnd(Path.DirectorySeparatorChar));
        var configuration = framework.Parent?.Name ?? "Debug";
        var root = FindRepositoryRoot(testOutput);
        var hostOutput = Path.Combine(root, "src", "Cts.Functions", "bin", configuration, framework.Name);
        if (IsRunnable(hostOutput))
        {
            return Path.Combine(hostOutput, HostAssembly);
        }
        throw new FileNotFoundException(
            $"No runnable {HostAssembly} (with runtimeconfig.json and deps.json) in {testOutput} or {hostOutput}; build the test project first.");
    }

    private static bool IsRunnable(string directory) =>
        File.Exists(Path.Combine(directory, HostAssembly))
        && File.Exists(Path.Combine(directory, "Cts.Functions.runtimeconfig.json"))
        && File.Exists(Path.Combine(directory, "Cts.Functions.deps.json"));

    private static string FindRepositoryRoot(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Cts.Functions.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException($"No Cts.Functions.sln found above {start}.");
    }

    /// <summary>The dotnet muxer running these tests (testhost runs under it), else DOTNET_HOST_PATH, else PATH's.</summary>
    private static string DotnetExecutable()
    {
        var current = Environment.ProcessPath;
        if (current is not null && Path.GetFileNameWithoutExtension(current).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
        {
            return current;
        }
        var hostPath = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        return !string.IsNullOrEmpty(hostPath) && File.Exists(hostPath) ? hostPath : "dotnet";
    }

    private System.Diagnostics.Process Launch()
    {
        var dll = FindHostAssembly();
        var startInfo = new ProcessStartInfo(DotnetExecutable())
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = false,
            WorkingDirectory = _workingDirectory,
            ArgumentList = { dll },
        };
        var environment = startInfo.Environment;
        // Nothing the test runner inherited may point the host elsewhere.
        foreach (var key in environment.Keys.ToArray())
        {
            if (key.StartsWith("Storage__", StringComparison.OrdinalIgnoreCase)
                || key.StartsWith("Orleans__", StringComparison.OrdinalIgnoreCase)
                || key.StartsWith("cts__", StringComparison.OrdinalIgnoreCase)
                || key.StartsWith("Paper__", StringComparison.OrdinalIgnoreCase)
                || key.StartsWith("Auth__", StringComparison.OrdinalIgnoreCase)
                || key.StartsWith("DataProtection__", StringComparison.OrdinalIgnoreCase)
                || key.Equals("Urls", StringComparison.OrdinalIgnoreCase)
                || key.EndsWith("_URLS", StringComparison.OrdinalIgnoreCase)
                || key.EndsWith("_HTTP_PORTS", StringComparison.OrdinalIgnoreCase)
                || key.EndsWith("_HTTPS_PORTS", StringComparison.OrdinalIgnoreCase))
            {
                environment.Remove(key);
            }
        }
        var port = (int p) => p.ToString(CultureInfo.InvariantCulture);
        environment["Urls"] = BaseAddress.ToString().TrimEnd('/');
        environment["Storage__ConnectionString"] = StorageConnectionString;
        environment["Storage__Prefix"] = Prefix;
        environment["Orleans__SiloPort"] = port(Ports.Silo);
        environment["Orleans__GatewayPort"] = port(Ports.Gateway);
        // One line per log entry with a timestamp, so the output tail reads well in a failure message.
        environment["Logging__Console__FormatterName"] = "simple";
        environment["Logging__Console__FormatterOptions__SingleLine"] = "true";
        environment["Logging__Console__FormatterOptions__TimestampFormat"] = "HH:mm:ss.fff ";
        environment["Logging__Console__FormatterOptions__ColorBehavior"] = "Disabled";
        environment["Logging__LogLevel__Polly"] = "Warning";
        foreach (var (key, value) in TestKeys.Settings("__"))
        {
            environment[key] = value;
        }
        // The host runs as Production, which refuses to start without the key ring's encryption certificate.
        foreach (var (key, value) in TestKeyRingCertificate.Shared.Settings("__"))
        {
            environment[key] = value;
        }
        foreach (var (key, value) in FastEngine.Concat(Settings))
        {
            if (value is null)
            {
                environment.Remove(key);
            }
            else
            {
                environment[key] = value;
            }
        }

        var process = new System.Diagnostics.Process { StartInfo = startInfo, EnableRaisingEvents = true };
        // Both pipes are read asynchronously so a chatty host never blocks on a full pipe.
        process.OutputDataReceived += (_, e) => Record(e.Data);
        process.ErrorDataReceived += (_, e) => Record(e.Data is null ? null : "[stderr] " + e.Data);
        _startedAt = Stopwatch.GetTimestamp();
        if (!process.Start())
        {
            throw new InvalidOperationException($"Could not start {startInfo.FileName} {dll}.");
        }
        Record($"[test] launched pid {process.Id}: {startInfo.FileName} {dll} (prefix {Prefix}, http {Ports.Http}, silo {Ports.Silo}, gateway {Ports.Gateway})");
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private System.Diagnostics.Process Started()
    {
        lock (_gate)
        {
            return _process ?? throw new InvalidOperationException("The host has not been started.");
        }
    }

    private void Record(string? line)
    {
        if (line is null)
        {
            return;
        }
        var ms = Stopwatch.GetElapsedTime(_startedAt).TotalMilliseconds;
        _output.Enqueue($"[+{ms.ToString("0", CultureInfo.InvariantCulture),6} ms] {line}");
        while (_output.Count > MaxOutputLines && _output.TryDequeue(out _))
        {
        }
    }

    private void KillIfRunning()
    {
        lock (_gate)
        {
            if (_process is null)
            {
                return;
            }
            try
            {
                if (!_process.HasExited)
                {
                    _process.Kill();
                    _process.WaitForExit(TimeSpan.FromSeconds(10));
                }
            }
            catch (InvalidOperationException)
            {
                // Already gone.
            }
            _process.Dispose();
            _process = null;
        }
    }

    private void OnTestProcessExit(object? sender, EventArgs e) => KillIfRunning();

    /// <summary>POSIX kill(2), to send SIGTERM (Process.Kill only sends SIGKILL).</summary>
    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SendSignal(int pid, int signal);
}
