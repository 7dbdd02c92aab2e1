using Cts.Domain.Connections;
using Cts.Functions.Config;
using Cts.Functions.Engines;
using Cts.Functions.Security;
using Cts.Functions.Storage;

namespace Cts.Functions.Api;

/// <summary>The connections resource (SPEC §4): CRUD with ETags, and enable/disable through the connection's engine.</summary>
public static class ConnectionsApi
{
    public static RouteGroupBuilder MapConnectionsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/connections").WithTags("Connections");
        api.MapGet("/", List).RequireViewer();
        api.MapPost("/", Create).RequireAdmin();
        api.MapGet("/{id}", Get).RequireViewer();
        api.MapPut("/{id}", Replace).RequireAdmin();
        api.MapPatch("/{id}", Patch).RequireAdmin()
            .WithName("patchConnection").WithSummary("Change some fields of a connection (JSON Merge Patch, RFC 7396)")
            .Accepts<ConnectionRequest>(RequestBody.MergePatch)
            .Produces<ConnectionView>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed).ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
        api.MapDelete("/{id}", Delete).RequireAdmin();
        api.MapPost("/{id}/enable", (HttpContext http, EngineService engines, string id) => RunEngineAction(http, engines, id, "enable")).RequireOperator();
        api.MapPost("/{id}/disable", (HttpContext http, EngineService engines, string id) => RunEngineAction(http, engines, id, "disable")).RequireOperator();
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

    public static async Task<IResult> Delete(HttpContext http, ConnectionService connections, string id)
    {
        if (!ConnectionId.IsValid(id))
        {
            return Problems.InvalidId(id);
        }
        var result = await connections.DeleteAsync(id, ConditionalRequest.IfMatch(http), Caller(http));
        return ConfigResults.ToHttp(http, result, "Connection", id, ConnectionView.From);
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
