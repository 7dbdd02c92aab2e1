using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Cts.Functions.Tests.Infrastructure;

namespace Cts.Functions.Tests.Config;

/// <summary>
/// A running engine whose connection changes in a way that needs a restart says so (restartRequired, restartReason)
/// until it is restarted, or restarts by itself when the settings ask for that.
/// </summary>
[Collection(SecondAzuriteCollection.Name)]
public sealed class RestartRequiredTests(AzuriteFixture azurite) : EngineHostTest(azurite)
{
    [Fact]
    public async Task Credential_change_on_a_running_engine_requires_a_restart_and_restart_clears_it()
    {
        await Client.StartPaperEngineAsync("rr1");

        var put = await PutAsync("rr1", "Paper rr1", ["BTCUSDT"], new { apiKey = "AKIA0000000000000000RR01", apiSecret = "secret-rr1" });

        var status = await Client.StatusAsync("rr1");
        Assert.Equal("Running", status.State());
        Assert.True(status["restartRequired"]!.GetValue<bool>());
        Assert.Contains("credentials changed", status["restartReason"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(1, status["connectionVersion"]!.GetValue<long>());

        var restart = await Client.PostAsync("/api/engines/rr1/restart", null);
        Assert.Equal(HttpStatusCode.OK, restart.StatusCode);
        var after = await Client.StatusAsync("rr1");
        Assert.Equal("Running", after.State());
        Assert.False(after["restartRequired"]!.GetValue<bool>());
        Assert.Null(after["restartReason"]);
        Assert.Equal(put["version"]!.GetValue<long>(), after["connectionVersion"]!.GetValue<long>());
    }

    [Fact]
    public async Task Symbol_change_requires_a_restart_and_accumulates_with_earlier_reasons()
    {
        await Client.StartPaperEngineAsync("rr2");

        await PutAsync("rr2", "Paper rr2", ["BTCUSDT", "ETHUSDT"]);
        var status = await Client.StatusAsync("rr2");
        Assert.True(status["restartRequired"]!.GetValue<bool>());
        Assert.Equal("symbols changed", status["restartReason"]!.GetValue<string>());

        var put = await PutAsync("rr2", "Paper rr2", ["BTCUSDT", "ETHUSDT"], new { apiKey = "AKIA0000000000000000RR02", apiSecret = "secret-rr2" });
        var both = await Client.StatusAsync("rr2");
        Assert.Contains("symbols changed", both["restartReason"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("credentials changed", both["restartReason"]!.GetValue<string>(), StringComparison.Ordinal);

        (await Client.PostAsync("/api/engines/rr2/restart", null)).EnsureSuccessStatusCode();
        var after = await Client.StatusAsync("rr2");
        Assert.False(after["restartRequired"]!.GetValue<bool>());
        Assert.Equal(put["version"]!.GetValue<long>(), after["connectionVersion"]!.GetValue<long>());
    }

    [Fact]
    public async Task Renaming_a_running_connection_does_not_require_a_restart()
    {
        await Client.StartPaperEngineAsync("rr3");

        var put = await PutAsync("rr3", "A new name", ["BTCUSDT"]);

        Assert.Equal(2, put["version"]!.GetValue<long>());
        var status = await Client.StatusAsync("rr3");
        Assert.Equal("Running", status.State());
        Assert.False(status["restartRequired"]!.GetValue<bool>());
        Assert.Null(status["restartReason"]);
    }

    [Fact]
    public async Task With_autoRestartOnConfigChange_a_credential_change_restarts_the_engine_by_itself()
    {
        await Client.PatchSettingsAsync(new { autoRestartOnConfigChange = true });
        await Client.StartPaperEngineAsync("rr4");

        var put = await PutAsync("rr4", "Paper rr4", ["BTCUSDT"], new { apiKey = "AKIA0000000000000000RR04", apiSecret = "secret-rr4" });

        var status = await Client.StatusAsync("rr4");
        Assert.Equal("Running", status.State());
        Assert.False(status["restartRequired"]!.GetValue<bool>());
        Assert.Equal(put["version"]!.GetValue<long>(), status["connectionVersion"]!.GetValue<long>());
        var audit = (await (await Client.GetAsync("/api/audit?connectionId=rr4&top=100")).JsonAsync())!["entries"]!.AsArray();
        var restart = Assert.Single(audit, e => e!["action"]!.GetValue<string>() == "restart")!;
        Assert.Equal("system", restart["actor"]!.GetValue<string>());
        Assert.Equal("changed", restart["outcome"]!.GetValue<string>());
        Assert.Equal("Running", restart["toState"]!.GetValue<string>());
        Assert.Contains("credentials changed", restart["reason"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_stopped_engine_does_not_report_restartRequired_when_its_connection_changes()
    {
        await Client.StartPaperEngineAsync("rr5");
        (await Client.PostAsync("/api/engines/rr5/stop", null)).EnsureSuccessStatusCode();

        var put = await PutAsync("rr5", "Paper rr5", ["ETHUSDT"], new { apiKey = "AKIA0000000000000000RR05", apiSecret = "secret-rr5" });

        var stopped = await Client.StatusAsync("rr5");
        Assert.Equal("Stopped", stopped.State());
        Assert.False(stopped["restartRequired"]!.GetValue<bool>());
        Assert.Null(stopped["restartReason"]);

        // Started again, it runs the current configuration.
        (await Client.PostAsync("/api/engines/rr5/start", null)).EnsureSuccessStatusCode();
        var started = await Client.StatusAsync("rr5");
        Assert.Equal("Running", started.State());
        Assert.False(started["restartRequired"]!.GetValue<bool>());
        Assert.Equal(put["version"]!.GetValue<long>(), started["connectionVersion"]!.GetValue<long>());
    }

    /// <summary>Replaces a paper connection (credentials kept when <paramref name="credentials"/> is null); returns the 200 body.</summary>
    private async Task<JsonNode> PutAsync(string id, string name, string[] symbols, object? credentials = null)
    {
        var response = await Client.PutAsJsonAsync($"/api/connections/{id}", new { name, exchange = "paper", symbols, testnet = false, autoStart = false, credentials });
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return (await response.JsonAsync())!;
    }
}
