using System.Globalization;
using System.Reflection;
using Microsoft.AspNetCore.Mvc;

namespace Cts.Functions.Api;

/// <summary>
/// Query and route parameters that do not parse (<c>top=abc</c>, <c>from=2026-13-45</c>, <c>dryRun=maybe</c>) become a
/// 400 problem with an error per parameter, in JSON terms, instead of the framework's bare 400. An endpoint filter on
/// every API route checks the raw values itself before the handler runs (minimal APIs run filters even when their own
/// binding failed, and skip only the handler).
/// </summary>
public static class QueryBinding
{
    /// <summary>Adds the check to every route handler under <paramref name="builder"/>.</summary>
    public static TBuilder WithQueryBindingErrors<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder
    {
        builder.AddEndpointFilterFactory((context, next) =>
        {
            var parameters = Bindable(context.MethodInfo.GetParameters()).ToList();
            if (parameters.Count == 0)
            {
                return next;
            }
            return async invocation =>
            {
                var errors = Check(invocation.HttpContext, parameters);
                return errors.Count > 0 ? Problems.Invalid(errors) : await next(invocation);
            };
        });
        return builder;
    }

    private sealed record Parameter(string Name, Type Type);

    private static Dictionary<string, string[]> Check(HttpContext http, IReadOnlyList<Parameter> parameters)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (var parameter in parameters)
        {
            var raw = http.Request.RouteValues.TryGetValue(parameter.Name, out var routeValue) && routeValue is string fromRoute
                ? fromRoute
                : http.Request.Query.TryGetValue(parameter.Name, out var fromQuery) ? fromQuery.ToString() : null;
            if (string.IsNullOrEmpty(raw))
            {
                continue; // absent: every such parameter is optional; the handler applies its default
            }
            if (Problem(parameter.Type, raw) is { } message)
            {
                errors[parameter.Name] = [message];
            }
        }
        return errors;
    }

    /// <summary>What is wrong with <paramref name="raw"/> as a <paramref name="type"/>, or null when it parses.</summary>
    private static string? Problem(Type type, string raw)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        var invariant = CultureInfo.InvariantCulture;
        if (type == typeof(int)) return int.TryParse(raw, NumberStyles.AllowLeadingSign, invariant, out _) ? null : "must be an integer";
        if (type == typeof(long)) return long.TryParse(raw, NumberStyles.AllowLeadingSign, invariant, out _) ? null : "must be an integer";
        if (type == typeof(double) || type == typeof(decimal))
            return decimal.TryParse(raw, NumberStyles.Number, invariant, out _) ? null : "must be a number";
        if (type == typeof(bool)) return raw is "true" or "false" ? null : "must be true or false";
        if (type == typeof(DateTimeOffset) || type == typeof(DateTime))
            return DateTimeOffset.TryParse(raw, invariant, DateTimeStyles.AssumeUniversal, out _)
                ? null
                : "must be an ISO 8601 date-time, e.g. 2026-01-31T12:00:00Z";
        if (type == typeof(Guid)) return Guid.TryParse(raw, out _) ? null : "must be a GUID";
        if (type.IsEnum)
            return Enum.GetNames(type).Contains(raw, StringComparer.OrdinalIgnoreCase)
                ? null
                : $"must be one of: {string.Join(", ", Enum.GetNames(type))}";
        return null;
    }

    /// <summary>The parameters bound from the route or the query string whose type can fail to parse.</summary>
    private static IEnumerable<Parameter> Bindable(IEnumerable<ParameterInfo> parameters)
    {
        foreach (var parameter in parameters)
        {
            if (parameter.GetCustomAttribute<AsParametersAttribute>() is not null)
            {
                var constructor = parameter.ParameterType.GetConstructors().OrderByDescending(c => c.GetParameters().Length).FirstOrDefault();
                foreach (var inner in Bindable(constructor?.GetParameters() ?? []))
                {
                    yield return inner;
                }
                continue;
            }
            if (parameter.GetCustomAttribute<FromServicesAttribute>() is not null || parameter.GetCustomAttribute<FromBodyAttribute>() is not null
                || parameter.GetCustomAttribute<FromHeaderAttribute>() is not null)
            {
                continue;
            }
            var type = Nullable.GetUnderlyingType(parameter.ParameterType) ?? parameter.ParameterType;
            if (type.IsPrimitive || type.IsEnum || type == typeof(decimal) || type == typeof(DateTimeOffset) || type == typeof(DateTime) || type == typeof(Guid))
            {
                var name = parameter.GetCustomAttribute<FromQueryAttribute>()?.Name ?? parameter.GetCustomAttribute<FromRouteAttribute>()?.Name
                    ?? parameter.Name!;
                yield return new Parameter(name, parameter.ParameterType);
            }
        }
    }
}
