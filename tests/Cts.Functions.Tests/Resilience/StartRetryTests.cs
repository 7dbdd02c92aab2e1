using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Cts.Functions.Exchanges;
using Cts.Functions.Security;
using Cts.Functions.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Cts.Functions.Tests.Resilience;

/// <summary>Failed starts retry by themselves with exponential backoff and jitter, then escalate with an alert.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class StartRetryTests(AzuriteFixture azurite)
{
    private CtsAppFactory Host(FaultyExchange exchange, WebhookReceiver? webhook = null) => new(azurite,
        webhook is null ? null : new Dictionary<string, string?> { ["Alerts:WebhookUrl"] = webhook.Url },
        services =>
        {
            services.RemoveAll<IExchangeFactory>();
            services.AddSingleton(FaultyExchange.Factory(exchange));
        });

    private static async Task<JsonArray> AuditAsync(HttpClient client, string id) =>
        (await (await client.GetAsync($"/api/audit?connectionId={id}&top=100")).JsonAsync())!["entries"]!.AsArray();

    [Fact]
    public async Task A_start_that_fails_three_times_then_succeeds_ends_Running_after_backoff_of_1_2_and_4_seconds()
    {
        var exchange = new FaultyExchange(FaultyExchange.Paper()) { FailChecks = 3 };
        await using var host = Host(exchange);
        using var client = host.CreateClient(Roles.Admin);
        await client.PatchSettingsAsync(new { startRetry = new { maxAttempts = 5, baseDelaySeconds = 1, maxDelaySeconds = 60 } });
        await client.CreatePaperConnectionAsync("flaky");
        (await client.PostAsync("/api/connections/flaky/enable", null)).EnsureSuccessStatusCode();

        var first = (await (await client.PostAsync("/api/engines/flaky/start", null)).JsonAsync())!["status"]!;
        Assert.Equal("Error", first.State());
        Assert.Equal(1, first["retry"]!["attempt"]!.GetValue<int>());
        Assert.Equal(5, first["retry"]!["maxAttempts"]!.GetValue<int>());

        // The schedule the engine records: when each retry is due.
        var scheduled = new Dictionary<int, DateTimeOffset> { [1] = first["retry"]!["nextAttemptAt"]!.GetValue<DateTimeOffset>() };
        var running = await Eventually.UntilAsync(async () =>
        {
            var status = await client.StatusAsync("flaky");
            if (status["retry"] is { } retry && retry["nextAttemptAt"] is { } due)
            {
                scheduled[retry["attempt"]!.GetValue<int>()] = due.GetValue<DateTimeOffset>();
            }
            return status;
        }, s => s.State() == "Running", TimeSpan.FromSeconds(20), "the engine recovers on its third retry", () => host.Logs.Tail());
        Assert.Null(running["retry"]);
        Assert.Null(running["lastError"]);
        Assert.False(running["escalated"]!.GetValue<bool>());
        Assert.Equal(4, exchange.Checks);

        // The attempts, oldest first: the operator's failed start, two failed retries, the successful one.
        var attempts = (await AuditAsync(client, "flaky"))
            .Where(e => e!["action"]!.GetValue<string>() is "start" or "retry")
            .Select(e => (Action: e!["action"]!.GetValue<string>(), Outcome: e["outcome"]!.GetValue<string>(), At: e["at"]!.GetValue<DateTimeOffset>()))
            .OrderBy(e => e.At).ToList();
        Assert.Equal([("start", "failed"), ("retry", "failed"), ("retry", "failed"), ("retry", "changed")],
            attempts.Select(a => (a.Action, a.Outcome)).ToArray());
        Assert.Equal([1, 2, 3], scheduled.Keys.Order());
        var policy = new Cts.Domain.Config.StartRetryPolicy { MaxAttempts = 5, BaseDelaySeconds = 1, MaxDelaySeconds = 60 };
        for (var n = 1; n <= 3; n++)
        {
            // Each retry was scheduled at least its backoff (1, 2, 4 s with the engine's deterministic jitter) after the
            // failure that caused it, and ran once due, not before (a clock tick of slack between timer and wall clock).
            var backoff = Cts.Domain.Engines.RetryBackoff.Delay(policy, n, "flaky");
            Assert.True(scheduled[n] - attempts[n - 1].At >= backoff, $"retry {n} scheduled {scheduled[n] - attempts[n - 1].At} after its failure, backoff {backoff}");
            Assert.True(attempts[n].At >= scheduled[n] - TimeSpan.FromMilliseconds(50), $"retry {n} ran at {attempts[n].At:O}, due {scheduled[n]:O}");
        }
    }

    [Fact]
    public async Task A_start_that_always_fails_escalates_after_max_attempts_with_an_alert_and_an_audit_entry()
    {
        await using var webhook = new WebhookReceiver();
        var exchange = new FaultyExchange(FaultyExchange.Paper()) { FailChecks = -1 };
        await using var host = Host(exchange, webhook);
        using var client = host.CreateClient(Roles.Admin);
        await client.PatchSettingsAsync(new { startRetry = new { maxAttempts = 2, baseDelaySeconds = 1, maxDelaySeconds = 60 } });
        await client.CreatePaperConnectionAsync("doomed");
        (await client.PostAsync("/api/connections/doomed/enable", null)).EnsureSuccessStatusCode();
        (await client.PostAsync("/api/engines/doomed/start", null)).EnsureSuccessStatusCode();

        var escalated = await Eventually.UntilAsync(() => client.StatusAsync("doomed"), s => s["escalated"]!.GetValue<bool>(),
            TimeSpan.FromSeconds(15), "the engine escalates after two retries", () => host.Logs.Tail());

        Assert.Equal("Error", escalated.State());
        Assert.Equal(2, escalated["retry"]!["attempt"]!.GetValue<int>());
        Assert.Null(escalated["retry"]!["nextAttemptAt"]);
        Assert.Equal(3, exchange.Checks);
        var audit = await Eventually.UntilAsync(() => AuditAsync(client, "doomed"), a => a.Any(e => e!["action"]!.GetValue<string>() == "escalate"),
            TimeSpan.FromSeconds(5), "the escalation is audited");
        var escalation = Assert.Single(audit, e => e!["action"]!.GetValue<string>() == "escalate")!;
        Assert.Equal("system", escalation["actor"]!.GetValue<string>());
        Assert.Contains("injected", escalation["reason"]!.GetValue<string>(), StringComparison.Ordinal);
        var alert = await Eventually.UntilAsync(() => Task.FromResult(webhook.Received.FirstOrDefault()), a => a is not null,
            TimeSpan.FromSeconds(10), "the alert reaches the webhook");
        Assert.Equal("doomed", alert!["connectionId"]!.GetValue<string>());
        Assert.Equal("initialization-failed", alert["kind"]!.GetValue<string>());
        Assert.True(host.Logs.Contains("ALERT engine doomed"));

        // An operator's start takes over: attempts start again from one.
        var again = (await (await client.PostAsync("/api/engines/doomed/start", null)).JsonAsync())!["status"]!;
        Assert.False(again["escalated"]!.GetValue<bool>());
        Assert.Equal(1, again["retry"]!["attempt"]!.GetValue<int>());
    }
}
