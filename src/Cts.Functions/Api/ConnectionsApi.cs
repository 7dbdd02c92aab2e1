using Cts.Domain.Connections;
using Cts.Domain.Engines;
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
        if (found is null)
        {
            return Problems.NotFound("Connection", id);
        }
        http.Response.Headers.ETag = found.ETag;
        return TypedResults.Ok(ConnectionView.From(found.Value));
    }

    public static async Task<IResult> Create(HttpContext http, ConnectionStore store, TimeProvider time)
    {
        var (body, error) = await RequestBody.ReadAsync<ConnectionRequest>(http.Request, required: true);
        if (error is not null)
        {
            return error;
        }
        var draft = body!.ToDraft(body.Id);
        var invalid = ConnectionValidator.Validate(draft);
        if (invalid.Count > 0)
        {
            return Problems.Invalid(invalid.ToDictionary());
        }
        var now = time.GetUtcNow();
        var connection = new Connection(draft.Id!, draft.Name!, draft.Exchange!, draft.Symbols!, draft.PresetId,
            draft.Testnet ?? false, draft.AutoStart ?? false, Version: 1, now, now);
        var (outcome, etag) = await store.CreateAsync(connection);
        if (outcome == WriteOutcome.AlreadyExists)
        {
            return Problems.Conflict("Connection already exists", $"A connection '{connection.Id}' exists; PUT replaces it.");
        }
        http.Response.Headers.ETag = etag;
        return TypedResults.Created($"/api/connections/{connection.Id}", ConnectionView.From(connection));
    }

    public static async Task<IResult> Replace(HttpContext http, ConnectionStore store, TimeProvider time, string id)
    {
        if (!ConnectionId.IsValid(id))
        {
            return Problems.InvalidId(id);
        }
        var (body, error) = await RequestBody.ReadAsync<ConnectionRequest>(http.Request, required: true);
        if (error is not null)
        {
            return error;
        }
        if (body!.Id is not null && body.Id != id)
        {
            return Problems.Invalid(new Dictionary<string, string[]> { ["id"] = ["must match the id in the URL (ids cannot be changed)"] });
        }
        var draft = body.ToDraft(id);
        var invalid = ConnectionValidator.Validate(draft);
        if (invalid.Count > 0)
        {
            return Problems.Invalid(invalid.ToDictionary());
        }
        var current = await store.GetAsync(id);
        if (current is null)
        {
            return Problems.NotFound("Connection", id);
        }
        var ifMatch = ConditionalRequest.IfMatch(http);
        if (ifMatch is not null && ifMatch != current.ETag)
        {
            return Problems.PreconditionFailed("connection");
        }
        var replaced = current.Value with
        {
            Name = draft.Name!,
            Exchange = draft.Exchange!,
            Symbols = draft.Symbols!,
            PresetId = draft.PresetId,
            Testnet = draft.Testnet ?? false,
            AutoStart = draft.AutoStart ?? false,
            Version = current.Value.Version + 1,
            UpdatedAt = time.GetUtcNow(),
        };
        var (outcome, etag) = await store.ReplaceAsync(replaced, current.ETag);
        return outcome switch
        {
            WriteOutcome.Written => WithETag(http, etag, TypedResults.Ok(ConnectionView.From(replaced))),
            WriteOutcome.NotFound => Problems.NotFound("Connection", id),
            _ => Problems.PreconditionFailed("connection"),
        };
    }

    public static async Task<IResult> Delete(HttpContext http, ConnectionStore store, EngineService engines, string id)
    {
        if (!ConnectionId.IsValid(id))
        {
            return Problems.InvalidId(id);
        }
        var current = await store.GetAsync(id);
        if (current is null)
        {
            return Problems.NotFound("Connection", id);
        }
        var ifMatch = ConditionalRequest.IfMatch(http);
        if (ifMatch is not null && ifMatch != current.ETag)
        {
            return Problems.PreconditionFailed("connection");
        }
        // The engine decides whether it may go (Idle, Enabled, Stopped); an active engine refuses with 409.
        var removal = await engines.Engine(id).Execute(
            new EngineCommand(EngineAction.Delete.ToWire(), ApiCaller.Actor(http), "connection deleted", ApiCaller.CorrelationId(http)));
        if (removal.Outcome == CommandOutcome.Conflict)
        {
            return Problems.LifecycleConflict(removal.Status, $"stop the engine before deleting the connection ({removal.Detail})");
        }
        var outcome = await store.DeleteAsync(id, current.ETag);
        return outcome switch
        {
            WriteOutcome.Written or WriteOutcome.NotFound => TypedResults.NoContent(),
            _ => Problems.PreconditionFailed("connection"),
        };
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

    private static IResult WithETag(HttpContext http, string? etag, IResult result)
    {
        http.Response.Headers.ETag = etag;
        return result;
    }
}

/// <summary>The body of POST and PUT /api/connections.</summary>
public sealed record ConnectionRequest(string? Id, string? Name, string? Exchange, List<string>? Symbols, string? PresetId,
    bool? Testnet, bool? AutoStart)
{
    public ConnectionDraft ToDraft(string? id) => new(id, Name, Exchange, Symbols, PresetId, Testnet, AutoStart);
}

/// <summary>A connection as the API shows it.</summary>
public sealed record ConnectionView(string Id, string Name, string Exchange, IReadOnlyList<string> Symbols, string? PresetId,
    bool Testnet, bool AutoStart, long Version, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public static ConnectionView From(Connection c) =>
        new(c.Id, c.Name, c.Exchange, c.Symbols, c.PresetId, c.Testnet, c.AutoStart, c.Version, c.CreatedAt, c.UpdatedAt);
}

public sealed record ConnectionList(IReadOnlyList<ConnectionView> Connections, int Count, string? ContinuationToken);
