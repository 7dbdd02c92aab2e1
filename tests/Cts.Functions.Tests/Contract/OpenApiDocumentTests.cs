using System.Text.Json.Nodes;
using Cts.Functions.Api.OpenApi;
using Cts.Functions.Security;
using Cts.Functions.Tests.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Cts.Functions.Tests.Contract;

/// <summary>
/// The served OpenAPI document is the contract (issue #11): every mapped API endpoint is in it, each operation is
/// complete, and the shared parts (security scheme, problem schemas, headers) are there. Undeclared status codes are
/// caught by <see cref="ContractRecorder"/> on every test host; this class checks the document itself.
/// </summary>
[Collection(SecondAzuriteCollection.Name)]
public sealed class OpenApiDocumentTests(AzuriteFixture azurite) : EngineHostTest(azurite)
{
    /// <summary>
    /// Endpoints that are not JSON API routes and so are not in the document, each with why. Everything under
    /// <c>/api/</c> must be in the document, without exception.
    /// </summary>
    private static readonly Dictionary<string, string> NonApiRoutes = new(StringComparer.Ordinal)
    {
        ["/health/live"] = "anonymous liveness probe for orchestrators, plain text",
        ["/health/ready"] = "anonymous readiness probe for orchestrators, plain text",
        ["/metrics"] = "Prometheus text exposition for scrapers",
        ["/openapi/{documentName}.json"] = "the document itself",
        ["/api-docs"] = "an HTML page rendering the document",
        ["/dashboard"] = "the Orleans dashboard, HTML and its own scripts",
        ["/signin"] = "the browser sign-in page and its form post (HTML, 303 redirects)",
        ["/signout"] = "the browser sign-out form post (303 redirect)",
    };

    [Fact]
    public async Task Document_is_OpenAPI_3_1_with_the_api_key_scheme_and_the_shared_problem_schemas()
    {
        var document = await FetchAsync();
        var root = document.Root;
        Assert.StartsWith("3.1", root["openapi"]!.GetValue<string>());
        Assert.False(string.IsNullOrWhiteSpace(root["info"]?["title"]?.GetValue<string>()), "info.title is empty");

        var scheme = root["components"]?["securitySchemes"]?[ContractComponents.SecurityScheme];
        Assert.NotNull(scheme);
        Assert.Equal("apiKey", scheme!["type"]!.GetValue<string>());
        Assert.Equal("header", scheme["in"]!.GetValue<string>());
        Assert.Equal(ApiKeyAuthenticationHandler.Header, scheme["name"]!.GetValue<string>());

        var schemas = root["components"]!["schemas"]!;
        var problem = schemas[ContractComponents.Problem];
        Assert.NotNull(problem);
        foreach (var member in new[] { "type", "title", "status", "detail" })
        {
            Assert.True(problem!["properties"]?[member] is not null, $"the Problem schema has no '{member}'");
        }
        var validation = schemas[ContractComponents.ValidationProblem]!.ToJsonString();
        Assert.Contains("#/components/schemas/" + ContractComponents.Problem, validation);
        Assert.Contains("\"errors\"", validation);

        var headers = root["components"]!["headers"]!.AsObject();
        Assert.True(headers.ContainsKey("ETag") && headers.ContainsKey("X-Correlation-Id"), $"component headers: {headers.ToJsonString()}");
        var parameters = root["components"]!["parameters"]!.AsObject();
        foreach (var name in new[] { "If-Match", "If-None-Match", "Last-Event-ID", "X-Correlation-Id" })
        {
            Assert.True(parameters[name]?["in"]?.GetValue<string>() == "header", $"no header parameter '{name}' among the components");
        }
    }

    [Fact]
    public async Task Every_mapped_endpoint_is_in_the_document()
    {
        var document = await FetchAsync();
        var mapped = MappedEndpoints();
        Assert.True(mapped.Count >= 30, $"only {mapped.Count} endpoints found; is the endpoint list being read?");

        var missing = new List<string>();
        foreach (var (method, path, _) in mapped)
        {
            if (document.Operation(method, path) is not null)
            {
                continue;
            }
            var isApi = path.StartsWith("/api/", StringComparison.Ordinal) || path == "/api";
            if (!isApi && NonApiRoutes.Keys.Any(r => path == r || path.StartsWith(r + "/", StringComparison.Ordinal)))
            {
                continue;
            }
            missing.Add(isApi
                ? $"{method} {path}: mapped but not in the document (remove .ExcludeFromDescription(); every /api route is part of the contract)"
                : $"{method} {path}: mapped but not in the document; if it is not a JSON API route, list it in OpenApiDocumentTests.NonApiRoutes with why");
        }
        Assert.True(missing.Count == 0, string.Join(Environment.NewLine, missing));

        var stale = document.Operations()
            .Where(op => !mapped.Any(m => m.Method == op.Method && m.Path == op.Path))
            .Select(op => $"{op.Method} {op.Path}: in the document but not mapped")
            .ToList();
        Assert.True(stale.Count == 0, string.Join(Environment.NewLine, stale));
    }

    [Fact]
    public async Task Every_operation_has_an_operation_id_a_summary_tags_security_and_its_least_role()
    {
        var document = await FetchAsync();
        var roles = MappedEndpoints().ToDictionary(e => (e.Method, e.Path), e => e.LeastRole);
        var failures = new List<string>();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (method, path, operation) in document.Operations())
        {
            var where = $"{method} {path}";
            var id = operation["operationId"]?.GetValue<string>();
            if (string.IsNullOrWhiteSpace(id))
            {
                failures.Add($"{where}: no operationId (add .WithName(\"…\") to its route)");
            }
            else if (!ids.Add(id))
            {
                failures.Add($"{where}: operationId '{id}' is used twice");
            }
            if (string.IsNullOrWhiteSpace(operation["summary"]?.GetValue<string>()))
            {
                failures.Add($"{where}: no summary (add .WithSummary(\"…\"))");
            }
            if (operation["tags"] is not JsonArray { Count: > 0 })
            {
                failures.Add($"{where}: no tags (add .WithTags(\"…\") to its group)");
            }
            if (roles.GetValueOrDefault((method, path)) is not { } role)
            {
                continue;
            }
            var security = operation["security"]?.ToJsonString() ?? "";
            if (!security.Contains($"\"{ContractComponents.SecurityScheme}\"", StringComparison.Ordinal))
            {
                failures.Add($"{where}: no {ContractComponents.SecurityScheme} security requirement");
            }
            var description = operation["description"]?.GetValue<string>() ?? "";
            if (!description.Contains($"**{role}**", StringComparison.Ordinal))
            {
                failures.Add($"{where}: the description does not name its least role '{role}': \"{description}\"");
            }
            foreach (var code in new[] { "401", "403" })
            {
                if (operation["responses"]?[code] is null)
                {
                    failures.Add($"{where}: no {code} response, though it needs the {role} role");
                }
            }
        }
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }

    [Fact]
    public async Task Every_request_body_is_json_with_a_schema_that_says_what_is_required()
    {
        var document = await FetchAsync();
        var failures = new List<string>();
        var bodies = 0;
        foreach (var (method, path, operation) in document.Operations())
        {
            if (operation["requestBody"] is not { } body)
            {
                if (method is "PUT" or "PATCH")
                {
                    failures.Add($"{method} {path}: no request body (add .Accepts<T>(\"application/json\"))");
                }
                continue;
            }
            bodies++;
            var content = body["content"]?.AsObject();
            var media = content?.FirstOrDefault(c => c.Key is "application/json" or "application/merge-patch+json").Value;
            if (media?["schema"] is not { } schemaNode)
            {
                failures.Add($"{method} {path}: the request body has no JSON schema (content: {content?.ToJsonString()})");
                continue;
            }
            var schema = document.Resolve(schemaNode);
            if (schema["type"]?.ToJsonString().Contains("array", StringComparison.Ordinal) == true && schema["items"] is { } items)
            {
                // A list of rows (the candle import): the rules are those of each row.
                schemaNode = items;
                schema = document.Resolve(items);
            }
            if (schema["type"]?.ToJsonString().Contains("object", StringComparison.Ordinal) != true || schema["properties"] is null)
            {
                failures.Add($"{method} {path}: the request body schema is not an object with properties: {schema.ToJsonString()}");
            }
            // Its required fields, enums, ranges and patterns come from ContractSchemas (an empty required set is left out).
            var name = schemaNode["$ref"]?.GetValue<string>().Split('/')[^1];
            if (name is null || !ContractSchemas.Types.Any(t => t.Name == name))
            {
                failures.Add($"{method} {path}: the request body schema '{name ?? "inline"}' has no entry in ContractSchemas (required fields, enums, ranges, patterns)");
            }
            foreach (var code in new[] { "400", "413", "415" })
            {
                if (operation["responses"]?[code] is null)
                {
                    failures.Add($"{method} {path}: takes a body but declares no {code}");
                }
            }
        }
        Assert.True(bodies >= 10, $"only {bodies} operations take a body");
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }

    [Fact]
    public async Task Request_schemas_carry_the_validators_rules_ids_symbols_enums_and_ranges()
    {
        var document = await FetchAsync();
        var schemas = document.Root["components"]!["schemas"]!;
        var connection = schemas["ConnectionRequest"]!;
        Assert.Equal(Domain.Connections.ConnectionId.Pattern, connection["properties"]!["id"]!["pattern"]!.GetValue<string>());
        Assert.Equal(ContractSchemas.SymbolPattern, connection["properties"]!["symbols"]!["items"]!["pattern"]!.GetValue<string>());
        Assert.Equal(["paper", "binance"], connection["properties"]!["exchange"]!["enum"]!.AsArray().Select(v => v!.GetValue<string>()));
        Assert.Equal(["exchange", "id", "name", "symbols"], connection["required"]!.AsArray().Select(v => v!.GetValue<string>()).Order());

        var preset = schemas["Preset"]!["properties"]!;
        Assert.Equal(Domain.Strategies.StrategyNames.All, preset["strategy"]!["enum"]!.AsArray().Select(v => v!.GetValue<string>()));
        Assert.Equal(2, preset["emaFast"]!["minimum"]!.GetValue<int>());
        Assert.Equal("integer", preset["emaFast"]!["type"]!.GetValue<string>());

        var status = schemas["EngineStatus"]!["properties"]!;
        Assert.Equal(Enum.GetNames<Domain.Engines.EngineState>(), status["state"]!["enum"]!.AsArray().Select(v => v!.GetValue<string>()));
        Assert.Contains("start", status["allowedActions"]!["items"]!["enum"]!.AsArray().Select(v => v!.GetValue<string>()));

        var listEngines = document.Operation("GET", "/api/engines")!;
        var state = listEngines["parameters"]!.AsArray().First(p => p!["name"]?.GetValue<string>() == "state")!;
        Assert.Equal(8, state["schema"]!["enum"]!.AsArray().Count);
        var top = listEngines["parameters"]!.AsArray().First(p => p!["name"]?.GetValue<string>() == "top")!;
        Assert.Equal(1000, top["schema"]!["maximum"]!.GetValue<int>());

        // Every type with rules is in the document, so no rule is dead code.
        var named = schemas.AsObject().Select(s => s.Key).ToHashSet();
        var unused = ContractSchemas.Types.Where(t => !named.Contains(t.Name)).Select(t => t.Name).ToList();
        Assert.True(unused.Count == 0, $"ContractSchemas has rules for types the document does not use: {string.Join(", ", unused)}");
    }

    [Fact]
    public async Task The_candle_import_declares_its_own_body_limit_and_the_backtest_chart_its_parameters_and_markers()
    {
        var document = await FetchAsync();
        var import = document.Operation("POST", "/api/candles/{symbol}")!;
        Assert.Equal("The body is larger than 64 MiB.", document.Resolve(import["responses"]!["413"]!)["description"]!.GetValue<string>());
        Assert.Contains("64 MiB", import["description"]!.GetValue<string>());
        Assert.NotNull(import["requestBody"]!["content"]!["text/csv"]);
        var other = document.Operation("POST", "/api/backtests")!;
        Assert.Equal("The body is larger than 64 KiB.", document.Resolve(other["responses"]!["413"]!)["description"]!.GetValue<string>());

        var chart = document.Operation("GET", "/api/backtests/{id}/candles")!;
        var parameters = chart["parameters"]!.AsArray();
        var maxBars = parameters.First(p => p!["name"]?.GetValue<string>() == "maxBars")!;
        Assert.Equal(Domain.Market.CandleBars.MaxBars, maxBars["schema"]!["maximum"]!.GetValue<int>());
        Assert.Contains(parameters, p => p!["name"]?.GetValue<string>() == "symbol");
        foreach (var code in new[] { "200", "400", "401", "404" })
        {
            Assert.True(chart["responses"]![code] is not null, $"the chart declares no {code}");
        }
        var view = document.Resolve(chart["responses"]!["200"]!["content"]!["application/json"]!["schema"]!);
        foreach (var property in new[] { "interval", "intervalMinutes", "candles", "markers", "dataSource" })
        {
            Assert.True(view["properties"]?[property] is not null, $"the chart's body has no '{property}'");
        }
    }

    [Fact]
    public async Task Error_responses_are_problem_documents_and_conditional_requests_declare_their_headers()
    {
        var document = await FetchAsync();
        var failures = new List<string>();
        foreach (var (method, path, operation) in document.Operations())
        {
            var where = $"{method} {path}";
            var responses = operation["responses"]!.AsObject();
            foreach (var (code, response) in responses)
            {
                var content = document.Resolve(response!)["content"]?.AsObject();
                if (code.StartsWith('4') || code.StartsWith('5'))
                {
                    var media = content?[ContractComponents.ProblemMediaType]?["schema"]?["$ref"]?.GetValue<string>();
                    var expected = "#/components/schemas/" + (code == "400" ? ContractComponents.ValidationProblem : ContractComponents.Problem);
                    if (media != expected || content!.Count != 1)
                    {
                        failures.Add($"{where} {code}: expected only {ContractComponents.ProblemMediaType} with {expected}, got {content?.ToJsonString() ?? "no content"}");
                    }
                }
                if (document.Resolve(response!)["headers"]?["X-Correlation-Id"] is null)
                {
                    failures.Add($"{where} {code}: no X-Correlation-Id response header");
                }
            }
            if (!responses.ContainsKey("503"))
            {
                failures.Add($"{where}: no 503 (storage unavailable)");
            }
            var parameters = operation["parameters"]?.ToJsonString() ?? "";
            if (parameters.Contains("If-Match", StringComparison.Ordinal) && !responses.ContainsKey("412"))
            {
                failures.Add($"{where}: takes If-Match but declares no 412");
            }
            if (parameters.Contains("If-None-Match", StringComparison.Ordinal) && !responses.ContainsKey("304"))
            {
                failures.Add($"{where}: takes If-None-Match but declares no 304");
            }
        }
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));

        // The resources with ETags say so (SPEC §4): reads send one, writes take If-Match.
        Assert.NotNull(document.Operation("GET", "/api/connections/{id}")!["responses"]!["200"]!["headers"]!["ETag"]);
        Assert.NotNull(document.Operation("GET", "/api/settings")!["responses"]!["200"]!["headers"]!["ETag"]);
        Assert.Contains("If-Match", document.Operation("PUT", "/api/presets/{id}")!["parameters"]!.ToJsonString());
        Assert.Contains("If-None-Match", document.Operation("GET", "/api/engines")!["parameters"]!.ToJsonString());
        var events = document.Operation("GET", "/api/events")!;
        Assert.Contains("Last-Event-ID", events["parameters"]!.ToJsonString());
        Assert.NotNull(events["responses"]!["200"]!["content"]!["text/event-stream"]);
    }

    [Fact]
    public async Task The_contract_recorder_names_an_undeclared_status_code_and_a_schema_mismatch()
    {
        var document = await FetchAsync();
        var checkedOnes = new[]
        {
            new RecordedExchange("GET", "/api/engines/{connectionId}", "/api/engines/x", 418, "application/problem+json", "{\"title\":\"t\",\"status\":418}", false),
            new RecordedExchange("GET", "/api/engines/{connectionId}", "/api/engines/x", 200, "application/json", "{\"connectionId\":\"x\",\"state\":\"Sleeping\"}", false),
            new RecordedExchange("GET", "/api/engines/{connectionId}", "/api/engines/x", 404, "text/html", "<p>no</p>", false),
        };
        var violations = Verify(document, checkedOnes);
        Assert.Contains(violations, v => v.Contains("answered 418, which the document does not declare", StringComparison.Ordinal));
        Assert.Contains(violations, v => v.Contains("\"Sleeping\" is not one of", StringComparison.Ordinal));
        Assert.Contains(violations, v => v.Contains("required property 'allowedActions' is missing", StringComparison.Ordinal));
        Assert.Contains(violations, v => v.Contains("answered as text/html", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_served_document_is_exported_for_the_lint_step_of_ci()
    {
        // .ci/run lints this file with @redocly/cli (recommended rules): the document exactly as served.
        using var response = await Client.GetAsync(ContractDocument.Path);
        response.EnsureSuccessStatusCode();
        var text = await response.Content.ReadAsStringAsync();
        var target = Path.Combine(RepositoryRoot(), "artifacts", "openapi", "v1.json");
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        await File.WriteAllTextAsync(target, text);
        Assert.Equal(text, await File.ReadAllTextAsync(target));
        Assert.StartsWith("3.1", JsonNode.Parse(text)!["openapi"]!.GetValue<string>());
    }

    private static List<string> Verify(ContractDocument document, IEnumerable<RecordedExchange> exchanges)
    {
        var recorder = new ContractRecorder();
        foreach (var exchange in exchanges)
        {
            recorder.Add(exchange);
        }
        return recorder.Verify(document);
    }

    private Task<ContractDocument> FetchAsync() => ContractDocument.FetchAsync(Client);

    /// <summary>Every routed endpoint: method, document-style path, and the least role its policy admits (null: anonymous).</summary>
    private List<(string Method, string Path, string? LeastRole)> MappedEndpoints() =>
        Host.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods ?? ["GET"])
                .Select(m => (m, ContractDocument.PathOf(e.RoutePattern.RawText ?? ""), LeastRole(e))))
            .Distinct()
            .ToList();

    private static string? LeastRole(RouteEndpoint endpoint)
    {
        if (endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null)
        {
            return null;
        }
        var ranks = endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>()
            .Select(a => a.Policy).Where(p => p is not null && Roles.All.Contains(p)).Select(p => Roles.All.ToList().IndexOf(p!)).ToList();
        return ranks.Count == 0 ? Roles.Admin : Roles.All[ranks.Max()];
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Cts.Functions.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("No Cts.Functions.sln above the test output.");
    }
}
