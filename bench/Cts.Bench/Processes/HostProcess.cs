using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;

namespace Cts.Bench.Processes;

/// <summary>
/// The real CTS host, built in Release and run as <c>dotnet Cts.Functions.dll</c> in its own process on free ports of
/// 127.0.0.1, configured only through environment variables (its working directory is an empty temp folder, so no
/// local.settings.json is read). <see cref="Kill"/> crashes it by PID; <see cref="Launch"/> again brings up a new
/// process on the same ports and storage.
/// </summary>
public sealed class HostProcess : IDisposable
{
    private readonly string _dll;
    private readonly Dictionary<string, string> _environment;
    private readonly string _workingDirectory = Path.Combine(Path.GetTempPath(), "cts-bench-host-" + Guid.NewGuid().ToString("N"));
    private ChildProcess? _process;

    public HostProcess(string dll, string storageConnectionString, IReadOnlyDictionary<string, string> apiKeys)
    {
        _dll = dll;
        HttpPort = ChildProcess.FreePort();
        var port = (int p) => p.ToString(CultureInfo.InvariantCulture);
        _environment = new Dictionary<string, string>(apiKeys)
        {
            ["Urls"] = BaseAddress.ToString().TrimEnd('/'),
            ["Storage__ConnectionString"] = storageConnectionString,
            ["Storage__Prefix"] = "cts",
            // As run.sh starts the host: the runtime's gen0 budget (64 MB) unless the environment has one; the runtime
            // reads it only from the environment.
            ["DOTNET_GCgen0size"] = Environment.GetEnvironmentVariable("DOTNET_GCgen0size") ?? "0x4000000",
            ["Orleans__SiloPort"] = port(ChildProcess.FreePort()),
            ["Orleans__GatewayPort"] = port(ChildProcess.FreePort()),
            // A log line per engine action would cost the host (and this program) more than the action itself.
            ["Logging__LogLevel__Default"] = "Warning",
            ["Logging__Console__FormatterName"] = "simple",
            ["Logging__Console__FormatterOptions__SingleLine"] = "true",
        };
        // The host runs as Production, which refuses to start without the key ring's encryption certificate: one
        // for this run, kept for every relaunch on the same storage.
        Directory.CreateDirectory(_workingDirectory);
        var password = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        var certificate = Path.Combine(_workingDirectory, "keyring.pfx");
        using (var rsa = RSA.Create(2048))
        using (var self = new CertificateRequest("CN=CTS bench key ring", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            .CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(7)))
        {
            File.WriteAllBytes(certificate, self.Export(X509ContentType.Pfx, password));
        }
        _environment["DataProtection__CertificatePath"] = certificate;
        _environment["DataProtection__CertificatePassword"] = password;
    }

    public int HttpPort { get; }

    public Uri BaseAddress => new($"http://127.0.0.1:{HttpPort}/");

    public int Pid => _process?.Pid ?? throw new InvalidOperationException("the host is not running");

    public string OutputTail => _process?.OutputTail ?? "";

    /// <summary>
    /// Lines of the host's log that mean a grain call was lost: Orleans dropping an expired message or a call whose
    /// response did not arrive in time. Counted over every process this host launched.
    /// </summary>
    public int DroppedGrainCalls => _dropped;

    private int _dropped;

    /// <summary>Whether the host is still running, or how it ended (for a run that stopped early).</summary>
    public string Condition => _process?.Condition ?? "not started";

    /// <summary><c>dotnet build src/Cts.Functions -c Release</c>; returns the built dll.</summary>
    public static async Task<string> BuildAsync(string repositoryRoot)
    {
        var info = new ProcessStartInfo("dotnet", ["build", "src/Cts.Functions", "-c", "Release", "-nologo", "-v", "q"])
        {
            WorkingDirectory = repositoryRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var build = Process.Start(info) ?? throw new InvalidOperationException("could not run dotnet build");
        var output = build.StandardOutput.ReadToEndAsync();
        var errors = build.StandardError.ReadToEndAsync();
        await build.WaitForExitAsync();
        if (build.ExitCode != 0)
        {
            throw new InvalidOperationException($"dotnet build failed:{Environment.NewLine}{await output}{await errors}");
        }
        return Path.Combine(repositoryRoot, "src", "Cts.Functions", "bin", "Release", "net10.0", "Cts.Functions.dll");
    }

    /// <summary>The dev API keys of <c>local.settings.sample.json</c> (names, roles and hashes), as the host's environment.</summary>
    public static IReadOnlyDictionary<string, string> SampleApiKeys(string repositoryRoot)
    {
        using var sample = JsonDocument.Parse(File.ReadAllText(Path.Combine(repositoryRoot, "local.settings.sample.json")));
        return sample.RootElement.GetProperty("Values").EnumerateObject()
            .Where(p => p.Name.StartsWith("Auth__ApiKeys__", StringComparison.Ordinal))
            .ToDictionary(p => p.Name, p => p.Value.GetString() ?? "");
    }

    /// <summary>Starts a host process and waits until <c>/health/ready</c> answers 200.</summary>
    public async Task LaunchAsync(HttpClient client, TimeSpan deadline)
    {
        if (_process is { HasExited: false })
        {
            throw new InvalidOperationException($"host pid {_process.Pid} is still running");
        }
        _process?.Dispose();
        Directory.CreateDirectory(_workingDirectory);
        _process = ChildProcess.Start("dotnet", [_dll], _workingDirectory, _environment);
        _process.Line += line =>
        {
            if (line.Contains("expired", StringComparison.OrdinalIgnoreCase) || line.Contains("did not arrive on time", StringComparison.Ordinal))
            {
                Interlocked.Increment(ref _dropped);
            }
        };
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"the host exited while starting:{Environment.NewLine}{_process.OutputTail}");
            }
            try
            {
                using var response = await client.GetAsync("/health/ready");
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            if (clock.Elapsed > deadline)
            {
                throw new TimeoutException($"the host was not ready within {deadline.TotalSeconds:0} s:{Environment.NewLine}{_process.OutputTail}");
            }
            await Task.Delay(50);
        }
    }

    /// <summary>Crashes the host: SIGKILL by its PID, as <c>kill -9</c>.</summary>
    public void Kill() => _process?.Kill();

    public void Dispose()
    {
        _process?.Dispose();
        try
        {
            Directory.Delete(_workingDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
