using System.Diagnostics;
using Cts.Functions.Tests.Infrastructure;

namespace Cts.Functions.Tests.Live;

/// <summary>
/// Runs one of the <c>tests/browser/*.mjs</c> scripts with node (which drives Chromium) and returns its output. The
/// script has its own deadline; should it still be running after <paramref name="timeout"/>, or should the test end
/// any other way first, node and every Chromium process under it are killed, so nothing is left running.
/// </summary>
internal static class BrowserScript
{
    public sealed record Run(int ExitCode, string Log);

    public static async Task<Run> RunAsync(string script, TimeSpan timeout, params string[] arguments)
    {
        var root = AzuriteFixture.FindRepositoryRoot();
        var start = new ProcessStartInfo("node", [Path.Combine(root, "tests", "browser", script), .. arguments])
        {
            WorkingDirectory = root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var node = Process.Start(start) ?? throw new InvalidOperationException("could not start node");
        try
        {
            var output = node.StandardOutput.ReadToEndAsync();
            var errors = node.StandardError.ReadToEndAsync();
            using var deadline = new CancellationTokenSource(timeout);
            try
            {
                await node.WaitForExitAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                KillTree(node);
                return new Run(-1, $"{script} did not finish within {timeout.TotalSeconds:0} s and was killed\n{await output}{await errors}");
            }
            return new Run(node.ExitCode, await output + await errors);
        }
        finally
        {
            KillTree(node);
        }
    }

    private static void KillTree(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(TimeSpan.FromSeconds(10));
            }
        }
        catch (InvalidOperationException)
        {
            // already gone
        }
    }
}
