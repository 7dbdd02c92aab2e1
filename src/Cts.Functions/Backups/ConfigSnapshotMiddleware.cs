using Cts.Functions.Backups;

// In the hosting namespace, which Program.cs already imports.
namespace Cts.Functions.Hosting;

/// <summary>Takes a snapshot after every successful configuration change made through the API.</summary>
public static class ConfigSnapshotMiddleware
{
    private static readonly string[] Resources = ["connections", "presets", "settings"];

    /// <summary>
    /// After a 2xx POST, PUT, PATCH or DELETE of <c>/api/connections</c>, <c>/api/presets</c> or <c>/api/settings</c> or
    /// of one item of them, snapshots the configuration before the request completes (awaited, not fire-and-forget).
    /// Actions on an item (<c>/api/connections/{id}/enable</c>, <c>disable</c>, <c>test</c>) change no configuration and
    /// take none: a snapshot reads every connection, which would make enabling N engines cost O(N²) reads.
    /// </summary>
    public static IApplicationBuilder UseConfigSnapshots(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        await next(context);
        var request = context.Request;
        if (!(HttpMethods.IsPost(request.Method) || HttpMethods.IsPut(request.Method) || HttpMethods.IsPatch(request.Method)
              || HttpMethods.IsDelete(request.Method)))
        {
            return;
        }
        if (context.Response.StatusCode is < 200 or > 299)
        {
            return;
        }
        var resource = Resources.FirstOrDefault(r => request.Path.StartsWithSegments("/api/" + r, StringComparison.OrdinalIgnoreCase, out var rest)
            && rest.Value?.Trim('/').Contains('/', StringComparison.Ordinal) != true);
        if (resource is null)
        {
            return;
        }
        var snapshotter = context.RequestServices.GetRequiredService<ConfigSnapshotter>();
        await snapshotter.TryTakeAsync($"{request.Method.ToLowerInvariant()}-{resource}", CancellationToken.None);
    });
}
