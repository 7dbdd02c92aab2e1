using System.Diagnostics;
using System.Text;
using System.Xml.Linq;
using Cts.Functions.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Cts.Functions.Tests.Contract;

/// <summary>
/// A third-party generator can build a working client from the served document (issue #11): Kiota, pinned in the
/// tool manifest, generates a C# client from <c>/openapi/v1.json</c> of a real host process; the client compiles with
/// the Kiota runtime versions of <c>Directory.Packages.props</c>, and runs the README's "Try it" scenario
/// (<c>ClientScenario/Program.cs</c>) against that host.
/// </summary>
[Collection(SecondAzuriteCollection.Name)]
public sealed class GeneratedClientTests(AzuriteFixture azurite, ITestOutputHelper output)
{
    private static readonly TimeSpan StepLimit = TimeSpan.FromMinutes(4);

    [Fact]
    public async Task A_Kiota_client_generated_from_the_served_document_runs_the_readme_scenario()
    {
        await using var host = new HostProcess(azurite.ConnectionString, azurite.NewPrefix());
        await host.StartAsync();
        var work = Directory.CreateTempSubdirectory("cts-client-");
        try
        {
            var documentPath = Path.Combine(work.FullName, "openapi.json");
            await File.WriteAllTextAsync(documentPath, await host.Client.GetStringAsync(ContractDocument.Path));
            var project = Path.Combine(work.FullName, "ClientScenario");
            var root = RepositoryRoot();

            var generate = await RunAsync(root, "dotnet", "tool", "run", "kiota", "generate", "--language", "CSharp",
                "--openapi", documentPath, "--output", Path.Combine(project, "Generated"), "--class-name", "CtsClient",
                "--namespace-name", "Cts.Client", "--exclude-backward-compatible", "--log-level", "Warning");
            Assert.True(generate.ExitCode == 0, $"kiota generate failed ({generate.ExitCode}):{Environment.NewLine}{generate.Output}");
            Assert.True(File.Exists(Path.Combine(project, "Generated", "CtsClient.cs")), $"kiota wrote no CtsClient.cs:{Environment.NewLine}{generate.Output}");

            File.Copy(Path.Combine(AppContext.BaseDirectory, "Contract", "ClientScenario", "Program.cs"), Path.Combine(project, "Program.cs"));
            await File.WriteAllTextAsync(Path.Combine(project, "ClientScenario.csproj"), ClientProject(root));
            var build = await RunAsync(project, "dotnet", "build", "-c", "Release", "-o", Path.Combine(project, "out"), "-nologo", "-v", "quiet");
            Assert.True(build.ExitCode == 0, $"the generated client did not compile ({build.ExitCode}):{Environment.NewLine}{build.Output}");

            var run = await RunAsync(project, "dotnet", Path.Combine(project, "out", "ClientScenario.dll"),
                host.BaseAddress.ToString().TrimEnd('/'), TestKeys.Admin, "paper-btc");
            Assert.True(run.ExitCode == 0 && run.Output.Contains("scenario complete", StringComparison.Ordinal),
                $"the scenario failed ({run.ExitCode}):{Environment.NewLine}{run.Output}{Environment.NewLine}{host.OutputTail(40)}");
            foreach (var step in new[] { "create connection", "enable", "start", "status", "positions", "pause", "resume", "stop with closePositions", "status-all", "audit" })
            {
                Assert.Contains($"ok {step}", run.Output);
            }
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    /// <summary>The client's project: the Kiota runtime at the versions this repository pins.</summary>
    private static string ClientProject(string root)
    {
        var versions = XDocument.Load(Path.Combine(root, "Directory.Packages.props")).Descendants("PackageVersion")
            .Where(p => ((string?)p.Attribute("Include"))?.StartsWith("Microsoft.Kiota.", StringComparison.Ordinal) == true)
            .Select(p => $"""    <PackageReference Include="{p.Attribute("Include")!.Value}" Version="{p.Attribute("Version")!.Value}" />""")
            .ToList();
        Assert.True(versions.Count >= 4, "Directory.Packages.props pins no Microsoft.Kiota.* runtime packages");
        return $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally>
              </PropertyGroup>
              <ItemGroup>
            {string.Join(Environment.NewLine, versions)}
              </ItemGroup>
            </Project>
            """;
    }

    private async Task<(int ExitCode, string Output)> RunAsync(string directory, string file, params string[] arguments)
    {
        var start = new ProcessStartInfo(file)
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        // The build of the client is its own: nothing of the test run's MSBuild may leak into it.
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(key);
        }
        // No update check or telemetry: the generator runs offline and says nothing but warnings.
        start.Environment["KIOTA_UPDATE__DISABLED"] = "true";
        start.Environment["KIOTA_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["KIOTA_TUTORIAL_ENABLED"] = "false";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        var text = new StringBuilder();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (text) { text.AppendLine(e.Data); } } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (text) { text.AppendLine("[stderr] " + e.Data); } } };
        var started = Stopwatch.GetTimestamp();
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var limit = new CancellationTokenSource(StepLimit);
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            lock (text)
            {
                text.AppendLine($"[test] killed after {StepLimit.TotalMinutes} min");
            }
        }
        output.WriteLine($"{file} {string.Join(' ', arguments)}: exit {process.ExitCode} after {Stopwatch.GetElapsedTime(started).TotalSeconds:0.0} s");
        lock (text)
        {
            return (process.ExitCode, text.ToString());
        }
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Cts.Functions.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("No Cts.Functions.sln above the test output.");
    }
}
