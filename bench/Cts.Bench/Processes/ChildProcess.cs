using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Cts.Bench.Processes;

/// <summary>
/// A process this benchmark started: output kept (last lines) for error messages, stopped only by its own PID.
/// </summary>
public sealed class ChildProcess : IDisposable
{
    private const int KeptLines = 200;
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private ChildProcess(Process process) => _process = process;

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>"running", or how it ended: the exit code (128 + n for a signal n) and when.</summary>
    public string Condition => _process.HasExited
        ? $"exited with code {_process.ExitCode} at {_process.ExitTime.ToUniversalTime():HH:mm:ss} UTC"
        : "running";

    public string OutputTail => string.Join(Environment.NewLine, _output);

    /// <summary>Every line the process writes (standard output and error), for counters that need more than the tail.</summary>
    public event Action<string>? Line;

    public static ChildProcess Start(string fileName, IEnumerable<string> arguments, string workingDirectory,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo(fileName)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }
        var process = new Process { StartInfo = info };
        var child = new ChildProcess(process);
        // Both pipes are drained so a chatty child never blocks on a full pipe.
        process.OutputDataReceived += (_, e) => child.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => child.Keep(e.Data);
        if (!process.Start())
        {
            throw new InvalidOperationException($"could not start {fileName}");
        }
        child.KeepAllIn(Environment.GetEnvironmentVariable(LogDirectoryVariable), Path.GetFileNameWithoutExtension(fileName));
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    /// <summary>SIGKILL by PID, then wait until it is gone.</summary>
    public void Kill()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill();
            }
            _process.WaitForExit(TimeSpan.FromSeconds(10));
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
        lock (_output)
        {
            _log?.Dispose();
            _log = null;
        }
    }

    /// <summary>A port that was free on 127.0.0.1 a moment ago.</summary>
    public static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
        finally
        {
            listener.Stop();
        }
    }

    public static async Task WaitForPortAsync(int port, ChildProcess owner, TimeSpan deadline, string what)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            using var client = new TcpClient();
            try
            {
                await client.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException) when (clock.Elapsed < deadline && !owner.HasExited)
            {
                await Task.Delay(100);
            }
            catch (SocketException)
            {
                throw new InvalidOperationException($"{what} is not listening on 127.0.0.1:{port}:{Environment.NewLine}{owner.OutputTail}");
            }
        }
    }

    /// <summary>When set, every line of every child is also written to <c>{directory}/{name}-{pid}.log</c>, for looking into a run afterwards.</summary>
    public const string LogDirectoryVariable = "CTS_BENCH_LOG_DIR";

    private StreamWriter? _log;

    private void KeepAllIn(string? directory, string name)
    {
        if (string.IsNullOrEmpty(directory))
        {
            return;
        }
        Directory.CreateDirectory(directory);
        _log = new StreamWriter(Path.Combine(directory, $"{name}-{Pid}.log"), append: true) { AutoFlush = true };
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_output)
        {
            _log?.WriteLine(line);
        }
        _output.Enqueue(line);
        Line?.Invoke(line);
        while (_output.Count > KeptLines && _output.TryDequeue(out _))
        {
        }
    }
}
