// The README's "Try it" scenario through a C# client that Kiota generated from the served OpenAPI document.
// GeneratedClientTests builds this file with the generated client (namespace Cts.Client) in a temp folder and runs it:
//   dotnet ClientScenario.dll <base url> <admin api key> <connection id>
// Each step prints "ok <step>"; the last line is "scenario complete". Any failure prints "FAILED <step>: …" and exits 1.
using Cts.Client;
using Cts.Client.Api.Engines;
using Cts.Client.Models;
using Microsoft.Kiota.Abstractions;
using Microsoft.Kiota.Abstractions.Authentication;
using Microsoft.Kiota.Http.HttpClientLibrary;

var (baseUrl, apiKey, id) = (args[0], args[1], args[2]);
using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
http.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
var client = new CtsClient(new HttpClientRequestAdapter(new AnonymousAuthenticationProvider(), httpClient: http) { BaseUrl = baseUrl });
var step = "";

try
{
    step = "create connection";
    var created = await client.Api.Connections.PostAsync(new ConnectionRequest
    {
        Id = id, Name = "Paper BTC", Exchange = ConnectionRequest_exchange.Paper, Symbols = ["BTCUSDT", "ETHUSDT"],
    });
    Expect(created?.Id == id && created.Exchange == ConnectionView_exchange.Paper && created.Version == 1, $"created {created?.Id} v{created?.Version}");

    step = "enable";
    var enabled = await client.Api.Connections[id].Enable.PostAsync();
    Expect(enabled?.Status?.State == EngineStatus_state.Enabled, $"state {enabled?.Status?.State}");

    step = "start";
    var started = await client.Api.Engines[id].Start.PostAsync(new EngineActionRequest { Reason = "try it" });
    Expect(started?.Changed == true && started.Status?.State == EngineStatus_state.Running, $"changed {started?.Changed}, state {started?.Status?.State}");

    step = "status";
    var status = await client.Api.Engines[id].GetAsync();
    Expect(status?.State == EngineStatus_state.Running && status.AllowedActions!.Contains(EngineStatus_allowedActions.Pause)
        && status.Processors is not null, $"state {status?.State}");

    step = "positions";
    var positions = await client.Api.Positions.GetAsync(c => c.QueryParameters.ConnectionId = id);
    Expect(positions?.Positions is not null && positions.Count == positions.Positions.Count
        && positions.Positions.All(p => p.ConnectionId == id), $"{positions?.Count} positions");

    step = "pause";
    var paused = await client.Api.Engines[id].Pause.PostAsync(new EngineActionRequest());
    Expect(paused?.Status?.State == EngineStatus_state.Paused, $"state {paused?.Status?.State}");

    step = "resume";
    var resumed = await client.Api.Engines[id].Resume.PostAsync(new EngineActionRequest());
    Expect(resumed?.Status?.State == EngineStatus_state.Running, $"state {resumed?.Status?.State}");

    step = "stop with closePositions";
    var stopped = await client.Api.Engines[id].Stop.PostAsync(new EngineActionRequest { ClosePositions = true, Reason = "end of day" });
    Expect(stopped?.Status?.State == EngineStatus_state.Stopped && stopped.Status.OpenPositions == 0,
        $"state {stopped?.Status?.State}, open {stopped?.Status?.OpenPositions}");

    step = "status-all";
    var running = await client.Api.Engines.GetAsync(c => c.QueryParameters.State = GetStateQueryParameterType.Running);
    Expect(running?.Engines is not null && running.Engines.All(e => e.ConnectionId != id), "a stopped engine listed as Running");
    var all = await client.Api.Engines.GetAsync();
    Expect(all?.Engines?.SingleOrDefault(e => e.ConnectionId == id)?.State == EngineStatus_state.Stopped && all.AsOf is not null,
        $"{all?.Count} engines");

    step = "audit";
    var audit = await client.Api.Engines[id].Audit.GetAsync();
    var actions = audit!.Entries!.Select(e => e.Action).ToList();
    Expect(actions.SequenceEqual(["stop", "resume", "pause", "start", "enable", "connection.create"])
        && audit.Entries![0].Reason == "end of day" && audit.Entries[0].Outcome == AuditEntry_outcome.Changed,
        $"newest first: {string.Join(", ", actions)}");

    step = "a refused action is a typed problem";
    try
    {
        await client.Api.Engines[id].Resume.PostAsync(new EngineActionRequest());
        Expect(false, "resume of a stopped engine was accepted");
    }
    catch (Problem problem)
    {
        Expect(problem.Status == 409 && problem.CurrentState == Problem_currentState.Stopped, $"{problem.Status} {problem.CurrentState}");
    }

    step = "a bad id is a validation problem";
    try
    {
        await client.Api.Engines["Not An Id"].GetAsync();
        Expect(false, "an invalid id was accepted");
    }
    catch (ValidationProblem problem)
    {
        Expect(problem.Errors?.AdditionalData.ContainsKey("id") == true, "no error for id");
    }
    Console.WriteLine("scenario complete");
    return 0;
}
catch (Exception e)
{
    Console.WriteLine($"FAILED {step}: {(e is ApiException api ? $"HTTP {api.ResponseStatusCode} " : "")}{e.GetType().Name}: {e.Message}");
    return 1;
}

void Expect(bool condition, string detail)
{
    if (!condition)
    {
        throw new InvalidOperationException(detail);
    }
    Console.WriteLine($"ok {step}");
}
