using Cts.Domain.Connections;
using Cts.Domain.Exchanges;
using Cts.Functions.Api.OpenApi;
using Cts.Functions.Config;
using Cts.Functions.Engines;
using Cts.Functions.Exchanges;
using Cts.Functions.Security;
using Cts.Functions.Storage;

namespace Cts.Functions.Api;

/// <summary>The connections resource (SPEC §4): CRUD with ETags, and enable/disable through the connection's engine.</summary>
public static class ConnectionsApi
{
    public static RouteGroupBuilder MapConnectionsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/connections").WithTags("Connections");
        api.MapGet("/", List).RequireViewer()
            .WithName("listConnections").WithSummary("List connections in id order, a page at a time")
            .Produces<ConnectionList>().ProducesValidationProblem();
        api.MapPost("/", Create).RequireAdmin()
            .WithName("createConnection").WithSummary("Create a connection (its engine starts Idle)")
            .Accepts<ConnectionRequest>("application/json")
            .Produces<ConnectionView>(StatusCodes.Status201Created)
            .ProducesProblems(StatusCodes.Status409Conflict).ProducesValidationProblem()
            .WithHeaders(HeaderContract.ETag);
        api.MapGet("/{id}", Get).RequireViewer()
            .WithName("getConnection").WithSummary("One connection; credentials only masked")
            .Produces<ConnectionView>().ProducesProblems(StatusCodes.Status404NotFound).ProducesValidationProblem()
            .WithHeaders(HeaderContract.ETag | HeaderContract.IfNoneMatch);
        api.MapPut("/{id}", Replace).RequireAdmin()
            .WithName("replaceConnection").WithSummary("Replace a connection (a running engine is flagged restartRequired)")
            .Accepts<ConnectionRequest>("application/json")
            .Produces<ConnectionView>()
            .ProducesProblems(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict).ProducesValidationProblem()
            .WithHeaders(HeaderContract.ETag | HeaderContract.IfMatch);
        api.MapPatch("/{id}", Patch).RequireAdmin()
            .WithName("patchConnection").WithSummary("Change some fields of a connection (JSON Merge Patch, RFC 7396)")
            .Accepts<ConnectionRequest>(RequestBody.MergePatch)
            .Produces<ConnectionView>()
            .ProducesProblems(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict).ProducesValidationProblem()
            .WithHeaders(HeaderContract.ETag | HeaderContract.IfMatch);
        api.MapDelete("/{id}", Delete).RequireAdmin()
            .WithName("deleteConnection")
            .WithSummary("Delete a connection and its engine record (409 while the engine is active or holds open positions, unless closePositions=true)")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblems(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict).ProducesValidationProblem()
            .WithHeaders(HeaderContract.IfMatch);
        api.MapPost("/{id}/test", Test).RequireOperator()
            .WithName("testConnection")
            .WithSummary("Probe the connection's exchange: reachability, credentials, latency, clock skew and symbol rules (a refused key is 200 with ok: false)")
            .Produces<ExchangeProbe>(StatusCodes.Status200OK)
            .ProducesProblems(StatusCodes.Status404NotFound).ProducesValidationProblem();
        api.MapPost("/{id}/enable", (HttpContext http, EngineService engines, string id) => RunEngineAction(http, engines, id, "enable"))
            .RequireOperator()
            .WithName("enableConnection").WithSummary("Enable the connection: its engine goes Idle → Enabled and may start")
            .Produces<EngineActionResponse>().Produces<EngineActionResponse>(StatusCodes.Status202Accepted)
            .ProducesProblems(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict).ProducesValidationProblem();
        api.MapPost("/{id}/disable", (HttpContext http, EngineService engines, string id) => RunEngineAction(http, engines, id, "disable"))
            .RequireOperator()
            .WithName("disableConnection").WithSummary("Disable the connection: its engine goes back to Idle")
            .Produces<EngineActionResponse>().Produces<EngineActionResponse>(StatusCodes.Status202Accepted)
            .ProducesProblems(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict).ProducesValidationProblem();
        return api;
    }

    public static async Task<IResult> List(ConnectionStore store, int? top, string? continuationToken)
    {
        if (top is < 1 or > EnginesApi.MaxTop)
        {
            return Problems.Invalid(new Dictionary<string, string[]> { ["top"] = [$"must be between 1 and {EnginesApi.MaxTop}"] });
        }
        var (items, next) = await store.ListAsync(top ?? EnginesApi.DefaultTop, continuationToken);
        return TypedResults.Ok(new ConnectionList(items.Select(i => ConnectionView.From(i.Value)).ToList(), items.Count, next));
    }

    public static async Task<IResult> Get(HttpContext http, ConnectionStore store, string id)
    {
        if (!ConnectionId.IsValid(id))
        {
            return Problems.InvalidId(id);
        }
        var found = await store.GetAsync(id);
        return ConfigResults.ToHttp(http, found is null ? ConfigResult<Connection>.NotFound() : new(ConfigOutcome.Ok, found.Value, found.ETag),
            "Connection", id, ConnectionView.From);
    }

    public static async Task<IResult> Create(HttpContext http, ConnectionService connections)
    {
        var (body, error) = await RequestBody.ReadAsync<ConnectionRequest>(http.Request, required: true);
        if (error is not null)
        {
            return error;
        }
        var result = await connections.CreateAsync(body!.ToDraft(body.Id), Caller(http));
        return ConfigResults.ToHttp(http, result, "Connection", body.Id ?? "", ConnectionView.From, $"/api/connections/{body.Id}");
    }

    public static async Task<IResult> Replace(HttpContext http, ConnectionService connections, string id)
    {
        if (!ConnectionId.IsValid(id))
        {
            return Problems.InvalidId(id);
        }
        var (body, error) = await RequestBody.ReadAsync<ConnectionRequest>(http.Request, required: true, ConnectionValidator.RequiredOnReplace);
        if (error is not null)
        {
            return error;
        }
        var result = await ReplaceAsync(http, connections, id, body!, ConditionalRequest.IfMatch(http), removeCredentials: false);
        return ConfigResults.ToHttp(http, result, "Connection", id, ConnectionView.From);
    }

    /// <summary>PATCH: the merge patch applied to the connection as a PUT body; <c>"credentials": null</c> removes the credentials.</summary>
    public static async Task<IResult> Patch(HttpContext http, ConnectionService connections, ConnectionStore store, string id)
    {
        if (!ConnectionId.IsValid(id))
        {
            return Problems.InvalidId(id);
        }
        var (patch, error) = await RequestBody.ReadMergePatchAsync<ConnectionRequest>(http.Request);
        if (error is not null)
        {
            return error;
        }
        var removeCredentials = patch!.TryGetPropertyValue("credentials", out var credentials) && credentials is null;
        var result = await MergePatchUpdate.ApplyAsync<ConnectionRequest, Connection>(ConditionalRequest.IfMatch(http), patch,
            ConnectionValidator.RequiredOnReplace,
            async () => await store.GetAsync(id) is { } found ? (ConnectionRequest.From(found.Value), found.ETag) : null,
            (body, ifMatch) => ReplaceAsync(http, connections, id, body, ifMatch, removeCredentials));
        return ConfigResults.ToHttp(http, result, "Connection", id, ConnectionView.From);
    }

    private static Task<ConfigResult<Connection>> ReplaceAsync(HttpContext http, ConnectionService connections, string id,
        ConnectionRequest body, string? ifMatch, bool removeCredentials) =>
        body.Id is not null && body.Id != id
            ? Task.FromResult(ConfigResult<Connection>.Invalid("id", "must match the id in the URL (ids cannot be changed)"))
            : connections.ReplaceAsync(id, body.ToDraft(id) with { RemoveCredentials = removeCredentials }, ifMatch, Caller(http));

    /// <summary>
    /// 204 once the connection and its engine record are gone; 409 while the engine is active, or while it holds open
    /// positions (listed in <c>openPositions</c>) unless <paramref name="closePositions"/> closes them first.
    /// </summary>
    public static async Task<IResult> Delete(HttpContext http, ConnectionService connections, string id, bool? closePositions)
    {
        if (!ConnectionId.IsValid(id))
        {
            return Problems.InvalidId(id);
        }
        var result = await connections.DeleteAsync(id, ConditionalRequest.IfMatch(http), closePositions ?? false, Caller(http));
        return result.OpenPositions is { } open
            ? Problems.OpenPositions(result.Detail ?? "the engine holds open positions", open)
            : ConfigResults.ToHttp(http, result, "Connection", id, ConnectionView.From);
    }

    /// <summary>200 with the probe whatever the venue answered (<c>ok: false</c> with the reason when it refused or was not reached).</summary>
    public static async Task<IResult> Test(ConnectionTester tester, string id, CancellationToken cancellationToken)
    {
        if (!ConnectionId.IsValid(id))
        {
            return Problems.InvalidId(id);
        }
        var probe = await tester.TestAsync(id, cancellationToken);
        return probe is null ? Problems.NotFound("Connection", id) : TypedResults.Ok(probe);
    }

    private static async Task<IResult> RunEngineAction(HttpContext http, EngineService engines, string id, string action)
    {
        if (!ConnectionId.IsValid(id))
        {
            return Problems.InvalidId(id);
        }
        var command = new EngineCommand(action, ApiCaller.Actor(http), null, ApiCaller.CorrelationId(http));
        return EnginesApi.ToHttp(await engines.ExecuteAsync(id, command), id);
    }

    private static Caller Caller(HttpContext http) => new(ApiCaller.Actor(http), ApiCaller.CorrelationId(http));
}

/// <summary>The body of POST, PUT and PATCH /api/connections.</summary>
public sealed record ConnectionRequest(string? Id, string? Name, string? Exchange, List<string>? Symbols, string? PresetId,
    bool? Testnet, bool? AutoStart, CredentialsRequest? Credentials)
{
    /// <summary>A stored connection as a PUT body would carry it, credentials left out (they are write-only): what a merge patch applies to.</summary>
    public static ConnectionRequest From(Connection c) =>
        new(c.Id, c.Name, c.Exchange, c.Symbols.ToList(), c.PresetId, c.Testnet, c.AutoStart, null);

    public ConnectionDraft ToDraft(string? id) =>
        new(id, Name, Exchange, Symbols, PresetId, Testnet, AutoStart, Credentials is null ? null : new(Credentials.ApiKey, Credentials.ApiSecret));
}

/// <summary>Write-only credentials in a connection body.</summary>
public sealed record CredentialsRequest(string? ApiKey, string? ApiSecret);

/// <summary>A connection as the API shows it: credentials only as the masked key and whether a secret is set.</summary>
public sealed record ConnectionView(string Id, string Name, string Exchange, IReadOnlyList<string> Symbols, string? PresetId,
    bool Testnet, bool AutoStart, long Version, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, CredentialsView? Credentials)
{
    public static ConnectionView From(Connection c) =>
        new(c.Id, c.Name, c.Exchange, c.Symbols, c.PresetId, c.Testnet, c.AutoStart, c.Version, c.CreatedAt, c.UpdatedAt,
            c.Credentials is null ? null : new CredentialsView(c.Credentials.ApiKeyMasked, HasSecret: true));
}

public sealed record CredentialsView(string ApiKey, bool HasSecret);

public sealed record ConnectionList(IReadOnlyList<ConnectionView> Connections, int Count, string? ContinuationToken);
