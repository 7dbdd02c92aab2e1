using System.Net;
using System.Text.RegularExpressions;
using Cts.Functions.Security;
using Cts.Functions.Tests.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Cts.Functions.Tests.Security;

/// <summary>
/// The authorization matrix, generated from the host's own endpoint list: a route added tomorrow is covered without
/// touching this file, and one that forgets to say who may call it fails here.
/// </summary>
public sealed partial class AuthorizationMatrixTests(AzuriteFixture azurite, ITestOutputHelper output) : EngineHostTest(azurite)
{
    private const string SampleId = "authz-sample";

    /// <summary>
    /// The only endpoints open to anyone, and what they answer a bare request: the health checks, and the browser
    /// sign-in flow (the page, the form post — 415 without a form — and sign-out, whose 303 to the page the client follows).
    /// </summary>
    private static readonly Dictionary<(string Method, string Pattern), HttpStatusCode> AnonymousEndpoints = new()
    {
        [("GET", "/health/live")] = HttpStatusCode.OK,
        [("GET", "/health/ready")] = HttpStatusCode.OK,
        [("GET", "/signin")] = HttpStatusCode.OK,
        [("POST", "/signin")] = HttpStatusCode.UnsupportedMediaType,
        [("POST", "/signout")] = HttpStatusCode.OK,
    };

    [Fact]
    public void Every_endpoint_requires_a_role_policy_and_only_health_checks_and_sign_in_are_anonymous()
    {
        var endpoints = Endpoints();
        Assert.True(endpoints.Count >= 15, $"only {endpoints.Count} endpoints found; is the endpoint list being read?");
        Assert.Contains(endpoints, e => e.Pattern == "/health/live");
        Assert.Contains(endpoints, e => e.Pattern.StartsWith("/api/connections", StringComparison.Ordinal) && e.Method == "POST");

        var failures = new List<string>();
        foreach (var endpoint in endpoints)
        {
            if (endpoint.Anonymous)
            {
                if (!AnonymousEndpoints.ContainsKey((endpoint.Method, endpoint.Pattern)))
                {
                    failures.Add($"{endpoint}: allows anonymous access, which only /health/* and the sign-in flow may");
                }
                continue;
            }
            if (endpoint.Policies.Count == 0)
            {
                failures.Add($"{endpoint}: has no authorization policy (add RequireViewer/RequireOperator/RequireAdmin)");
            }
            foreach (var policy in endpoint.Policies.Where(p => p is null || !Roles.All.Contains(p)))
            {
                failures.Add($"{endpoint}: policy '{policy ?? "(default)"}' is not one of {string.Join(", ", Roles.All)}");
            }
        }
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }

    [Fact]
    public async Task Every_endpoint_is_401_without_or_with_an_unknown_key_and_403_exactly_when_the_role_is_too_low()
    {
        await Client.CreatePaperConnectionAsync(SampleId);
        // Requests that change things (DELETE, writes) go last, so earlier ones still find the sample connection.
        var endpoints = Endpoints()
            .OrderBy(e => e.Method == "DELETE")
            .ThenBy(e => e.Method is "GET" or "HEAD" ? 0 : 1)
            .ToList();
        using var anonymous = Host.CreateClient();
        using var unknown = Host.CreateClient();
        unknown.DefaultRequestHeaders.Add(ApiKeyAuthenticationHandler.Header, "not-a-configured-key");
        var clients = Roles.All.ToDictionary(role => role, role => Host.CreateClient(role));

        var failures = new List<string>();
        try
        {
            foreach (var endpoint in endpoints)
            {
                var url = endpoint.SampleUrl(SampleId);
                if (endpoint.Anonymous)
                {
                    var open = await anonymous.SendAsync(new HttpRequestMessage(new HttpMethod(endpoint.Method), url));
                    output.WriteLine($"{endpoint.Method,-6} {url,-45} anonymous");
                    var expected = AnonymousEndpoints.GetValueOrDefault((endpoint.Method, endpoint.Pattern), HttpStatusCode.OK);
                    if (open.StatusCode != expected)
                    {
                        failures.Add($"{endpoint.Method} {url}: anonymous endpoint answered {(int)open.StatusCode} without a key, expected {(int)expected}");
                    }
                    continue;
                }

                foreach (var (name, client) in new[] { ("no key", anonymous), ("unknown key", unknown) })
                {
                    var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(endpoint.Method), url));
                    if (response.StatusCode != HttpStatusCode.Unauthorized)
                    {
                        failures.Add($"{endpoint.Method} {url} with {name}: {(int)response.StatusCode}, expected 401");
                    }
                    else if (response.Content.Headers.ContentType?.MediaType != "application/problem+json")
                    {
                        failures.Add($"{endpoint.Method} {url} with {name}: 401 as {response.Content.Headers.ContentType}, expected application/problem+json");
                    }
                }

                if (endpoint.Policies.Count == 0 || endpoint.Policies.Any(p => Rank(p) >= Roles.All.Count))
                {
                    failures.Add($"{endpoint.Method} {url}: no role policy (see the other test); role matrix not checked");
                    continue;
                }
                var required = endpoint.Policies.Max(Rank);
                output.WriteLine($"{endpoint.Method,-6} {url,-45} needs {Roles.All[required]}");
                foreach (var role in Roles.All)
                {
                    using var response = await clients[role].SendAsync(new HttpRequestMessage(new HttpMethod(endpoint.Method), url),
                        HttpCompletionOption.ResponseHeadersRead); // headers only: /api/events streams forever
                    var status = (int)response.StatusCode;
                    if (Rank(role) < required)
                    {
                        if (response.StatusCode != HttpStatusCode.Forbidden)
                        {
                            failures.Add($"{endpoint.Method} {url} as {role} (needs {Roles.All[required]}): {status}, expected 403");
                        }
                        else if (response.Content.Headers.ContentType?.MediaType != "application/problem+json")
                        {
                            failures.Add($"{endpoint.Method} {url} as {role}: 403 as {response.Content.Headers.ContentType}, expected a problem document");
                        }
                    }
                    else if (status is 401 or 403 or >= 500)
                    {
                        failures.Add($"{endpoint.Method} {url} as {role} (needs {Roles.All[required]}): {status}, expected to get past authorization");
                    }
                }
            }
        }
        finally
        {
            foreach (var client in clients.Values)
            {
                client.Dispose();
            }
        }
        Assert.True(failures.Count == 0,
            $"{failures.Count} authorization failures over {endpoints.Count} endpoints:{Environment.NewLine}{string.Join(Environment.NewLine, failures)}");
    }

    /// <summary>viewer 0 &lt; operator 1 &lt; admin 2; anything else ranks above every role.</summary>
    private static int Rank(string? role) => role is not null && Roles.All.Contains(role) ? Roles.All.ToList().IndexOf(role) : Roles.All.Count;

    /// <summary>Every routed endpoint of the host, once per HTTP method (GET when the endpoint does not restrict methods).</summary>
    private List<EndpointCase> Endpoints()
    {
        var source = Host.Services.GetRequiredService<EndpointDataSource>();
        return source.Endpoints.OfType<RouteEndpoint>()
            .SelectMany(e =>
            {
                var methods = e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"];
                var pattern = "/" + (e.RoutePattern.RawText ?? "").Trim('/');
                var anonymous = e.Metadata.GetMetadata<IAllowAnonymous>() is not null;
                var policies = e.Metadata.GetOrderedMetadata<IAuthorizeData>().Select(a => a.Policy).ToList();
                return methods.Select(m => new EndpointCase(m, pattern, anonymous, policies, e.DisplayName));
            })
            .ToList();
    }

    private sealed record EndpointCase(string Method, string Pattern, bool Anonymous, IReadOnlyList<string?> Policies, string? DisplayName)
    {
        /// <summary>The pattern with sample values: ids are the sample connection, <c>{action}</c> is <c>start</c>.</summary>
        public string SampleUrl(string id) => Parameter().Replace(Pattern, m => m.Groups["name"].Value switch
        {
            "action" => "start",
            _ => id,
        });

        public override string ToString() => $"{Method} {Pattern} ({DisplayName})";
    }

    [GeneratedRegex(@"\{\*{0,2}(?<name>[A-Za-z0-9_]+)[^}]*\}")]
    private static partial Regex Parameter();
}
