using Microsoft.AspNetCore.Routing.Patterns;

namespace Cts.Functions.Observability;

/// <summary>
/// Input checks in front of the Orleans dashboard's endpoints, which answer malformed input with a 500: a silo address
/// that does not parse is a 400 problem here, and the live trace stream (disabled by <c>HideTrace</c>) is a 404.
/// </summary>
internal static class DashboardGuard
{
    public static TBuilder WithDashboardGuard<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder
    {
        builder.Add(endpoint =>
        {
            if (endpoint is not RouteEndpointBuilder route)
            {
                return;
            }
            var raw = route.RoutePattern.RawText ?? "";
            if (raw.EndsWith("/Trace", StringComparison.Ordinal))
            {
                endpoint.FilterFactories.Add((_, _) => _ => ValueTask.FromResult<object?>(Results.Problem(
                    title: "Not available", detail: "The dashboard's live trace is disabled on this host.", statusCode: StatusCodes.Status404NotFound)));
                return;
            }
            // Silo-scoped views take the silo address as the last (catch-all) segment.
            var siloParameter = SiloParameter(route.RoutePattern);
            if (siloParameter is null)
            {
                return;
            }
            endpoint.FilterFactories.Add((_, next) => context =>
            {
                var value = context.HttpContext.Request.RouteValues[siloParameter] as string;
                return IsSiloAddress(value)
                    ? next(context)
                    : ValueTask.FromResult<object?>(Results.Problem(title: "Invalid silo address",
                        detail: "The last path segment must be a silo address as listed by the dashboard.", statusCode: StatusCodes.Status400BadRequest));
            });
        });
        return builder;
    }

    private static string? SiloParameter(RoutePattern pattern)
    {
        var raw = pattern.RawText ?? "";
        if (pattern.Parameters.Any(p => p.Name == "address"))
        {
            return "address";
        }
        return raw.Contains("/HistoricalStats/", StringComparison.Ordinal) && pattern.Parameters.Any(p => p.Name == "path") ? "path" : null;
    }

    private static bool IsSiloAddress(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return false;
        }
        try
        {
            return SiloAddress.FromParsableString(value) is not null;
        }
        catch (Exception e) when (e is FormatException or ArgumentException or IndexOutOfRangeException)
        {
            return false;
        }
    }
}
