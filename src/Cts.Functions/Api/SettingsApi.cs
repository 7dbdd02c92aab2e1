using Cts.Domain.Config;
using Cts.Functions.Api.OpenApi;
using Cts.Functions.Config;
using Cts.Functions.Security;

namespace Cts.Functions.Api;

/// <summary>The settings document (SPEC §2, §4): read with its ETag, replace (PUT) or patch (PATCH) with If-Match.</summary>
public static class SettingsApi
{
    public static RouteGroupBuilder MapSettingsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/settings").WithTags("Settings");
        api.MapGet("/", Get).RequireViewer()
            .WithName("getSettings").WithSummary("The settings document (defaults until one is stored)")
            .Produces<EngineSettings>()
            .WithHeaders(HeaderContract.ETag | HeaderContract.IfNoneMatch);
        api.MapPut("/", Replace).RequireAdmin()
            .WithName("replaceSettings").WithSummary("Replace the settings document")
            .Accepts<EngineSettings>("application/json")
            .Produces<EngineSettings>()
            .ProducesProblems(StatusCodes.Status409Conflict).ProducesValidationProblem()
            .WithHeaders(HeaderContract.ETag | HeaderContract.IfMatch);
        api.MapPatch("/", Patch).RequireAdmin()
            .WithName("patchSettings").WithSummary("Change some settings (JSON Merge Patch, RFC 7396)")
            .Accepts<EngineSettings>(RequestBody.MergePatch)
            .Produces<EngineSettings>()
            .ProducesProblems(StatusCodes.Status409Conflict).ProducesValidationProblem()
            .WithHeaders(HeaderContract.ETag | HeaderContract.IfMatch);
        return api;
    }

    /// <summary>The settings with their ETag; before the first write, the defaults with the <see cref="EntityTags.Unstored"/> tag.</summary>
    public static async Task<IResult> Get(HttpContext http, SettingsService settings) =>
        ConfigResults.ToHttp(http, await settings.GetAsync(), "Settings", "engine", s => s);

    public static async Task<IResult> Replace(HttpContext http, SettingsService settings)
    {
        var (body, error) = await RequestBody.ReadAsync<EngineSettings>(http.Request, required: true, SettingsValidator.RequiredOnReplace);
        if (error is not null)
        {
            return error;
        }
        return ConfigResults.ToHttp(http, await settings.ReplaceAsync(body!, ConditionalRequest.IfMatch(http), Caller(http)), "Settings", "engine", s => s);
    }

    public static async Task<IResult> Patch(HttpContext http, SettingsService settings)
    {
        var (patch, error) = await RequestBody.ReadMergePatchAsync<EngineSettings>(http.Request);
        if (error is not null)
        {
            return error;
        }
        var result = await MergePatchUpdate.ApplyAsync<EngineSettings, EngineSettings>(ConditionalRequest.IfMatch(http), patch!,
            SettingsValidator.RequiredOnReplace,
            async () => await settings.GetAsync() is { Value: { } current } found ? (current, found.ETag) : null,
            (body, ifMatch) => settings.ReplaceAsync(body, ifMatch, Caller(http)));
        return ConfigResults.ToHttp(http, result, "Settings", "engine", s => s);
    }

    private static Caller Caller(HttpContext http) => new(ApiCaller.Actor(http), ApiCaller.CorrelationId(http));
}
