using Cts.Domain.Config;
using Cts.Domain.Connections;
using Cts.Functions.Api.OpenApi;
using Cts.Functions.Config;
using Cts.Functions.Security;

namespace Cts.Functions.Api;

/// <summary>The presets resource (SPEC §4): strategy, risk and intervals, with ETags.</summary>
public static class PresetsApi
{
    public static RouteGroupBuilder MapPresetsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/presets").WithTags("Presets");
        api.MapGet("/", List).RequireViewer()
            .WithName("listPresets").WithSummary("Every preset, the built-in default included")
            .Produces<PresetList>();
        api.MapPost("/", Create).RequireAdmin()
            .WithName("createPreset").WithSummary("Create a preset")
            .Accepts<Preset>("application/json")
            .Produces<Preset>(StatusCodes.Status201Created)
            .ProducesProblems(StatusCodes.Status409Conflict).ProducesValidationProblem()
            .WithHeaders(HeaderContract.ETag);
        api.MapGet("/{id}", Get).RequireViewer()
            .WithName("getPreset").WithSummary("One preset")
            .Produces<Preset>().ProducesProblems(StatusCodes.Status404NotFound).ProducesValidationProblem()
            .WithHeaders(HeaderContract.ETag | HeaderContract.IfNoneMatch);
        api.MapPut("/{id}", Replace).RequireAdmin()
            .WithName("replacePreset").WithSummary("Replace a preset (running engines that use it are flagged restartRequired)")
            .Accepts<Preset>("application/json")
            .Produces<Preset>()
            .ProducesProblems(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict).ProducesValidationProblem()
            .WithHeaders(HeaderContract.ETag | HeaderContract.IfMatch);
        api.MapPatch("/{id}", Patch).RequireAdmin()
            .WithName("patchPreset").WithSummary("Change some fields of a preset (JSON Merge Patch, RFC 7396)")
            .Accepts<Preset>(RequestBody.MergePatch)
            .Produces<Preset>()
            .ProducesProblems(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict).ProducesValidationProblem()
            .WithHeaders(HeaderContract.ETag | HeaderContract.IfMatch);
        api.MapDelete("/{id}", Delete).RequireAdmin()
            .WithName("deletePreset").WithSummary("Delete a preset no connection uses")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblems(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict).ProducesValidationProblem()
            .WithHeaders(HeaderContract.IfMatch);
        return api;
    }

    public static async Task<IResult> List(PresetService presets)
    {
        var all = await presets.ListAsync();
        return TypedResults.Ok(new PresetList(all, all.Count));
    }

    public static async Task<IResult> Get(HttpContext http, PresetService presets, string id) =>
        ConnectionId.IsValid(id) ? ConfigResults.ToHttp(http, await presets.GetAsync(id), "Preset", id, p => p) : Problems.InvalidId(id);

    public static async Task<IResult> Create(HttpContext http, PresetService presets)
    {
        var (body, error) = await RequestBody.ReadAsync<Preset>(http.Request, required: true);
        if (error is not null)
        {
            return error;
        }
        var result = await presets.CreateAsync(body!, Caller(http));
        return ConfigResults.ToHttp(http, result, "Preset", body!.Id, p => p, $"/api/presets/{body.Id}");
    }

    public static async Task<IResult> Replace(HttpContext http, PresetService presets, string id)
    {
        if (!ConnectionId.IsValid(id))
        {
            return Problems.InvalidId(id);
        }
        var (body, error) = await RequestBody.ReadAsync<Preset>(http.Request, required: true, PresetValidator.RequiredOnReplace);
        if (error is not null)
        {
            return error;
        }
        return ConfigResults.ToHttp(http, await ReplaceAsync(http, presets, id, body!, ConditionalRequest.IfMatch(http)), "Preset", id, p => p);
    }

    /// <summary>PATCH: the merge patch applied to the preset (the built-in default included) as a PUT body.</summary>
    public static async Task<IResult> Patch(HttpContext http, PresetService presets, string id)
    {
        if (!ConnectionId.IsValid(id))
        {
            return Problems.InvalidId(id);
        }
        var (patch, error) = await RequestBody.ReadMergePatchAsync<Preset>(http.Request);
        if (error is not null)
        {
            return error;
        }
        var result = await MergePatchUpdate.ApplyAsync<Preset, Preset>(ConditionalRequest.IfMatch(http), patch!, PresetValidator.RequiredOnReplace,
            async () => await presets.GetAsync(id) is { Outcome: ConfigOutcome.Ok } found ? (found.Value!, found.ETag) : null,
            (body, ifMatch) => ReplaceAsync(http, presets, id, body, ifMatch));
        return ConfigResults.ToHttp(http, result, "Preset", id, p => p);
    }

    // A body without an id reads as the default's id; any other id must be the URL's.
    private static Task<ConfigResult<Preset>> ReplaceAsync(HttpContext http, PresetService presets, string id, Preset body, string? ifMatch) =>
        body.Id != id && body.Id != Preset.DefaultId
            ? Task.FromResult(ConfigResult<Preset>.Invalid("id", "must match the id in the URL (ids cannot be changed)"))
            : presets.ReplaceAsync(id, body, ifMatch, Caller(http));

    public static async Task<IResult> Delete(HttpContext http, PresetService presets, string id) =>
        ConnectionId.IsValid(id)
            ? ConfigResults.ToHttp(http, await presets.DeleteAsync(id, ConditionalRequest.IfMatch(http), Caller(http)), "Preset", id, p => p)
            : Problems.InvalidId(id);

    private static Caller Caller(HttpContext http) => new(ApiCaller.Actor(http), ApiCaller.CorrelationId(http));
}

public sealed record PresetList(IReadOnlyList<Preset> Presets, int Count);
