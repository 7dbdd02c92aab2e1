using Cts.Functions.Backups;

// In the hosting namespace, which Program.cs already imports.
namespace Cts.Functions.Hosting;

/// <summary>Asks for a snapshot after every successful configuration change made through the API.</summary>
public static class ConfigSnapshotMiddleware
{
    private static readonly string[] Resources = ["connections", "presets", "settings"];

    /// <summary>
    /// After a 2xx POST, PUT, PATCH or DELETE of <c>/api/connections</c>, <c>/api/presets</c> or <c>/api/settings</c> or
    /// of one item of them, asks the node's <see cref="SnapshotPump"/> for a snapshot that starts after the change, and
    /// does not wait for it: the response comes first, the backup follows within <see cref="BackupOptions.MinIntervalSeconds"/>
    /// plus one capture (or at shutdown). Awaiting it would make a client that creates N connections one at a time pay
    /// N full captures, O(N²) reads; the pump lets a burst of changes share one. Actions on an item
    /// (<c>/api/connections/{id}/enable</c>, <c>disable</c>, <c>test</c>) change no configuration and ask for none.
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
        // Not awaited on purpose (see above); the task never fails, a failed capture is logged.
        _ = context.RequestServices.GetRequiredService<SnapshotPump>().Request($"{request.Method.ToLowerInvariant()}-{resource}");
    });
}
