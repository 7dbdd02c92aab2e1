using System.Text.Json.Nodes;
using Microsoft.OpenApi;

namespace Cts.Functions.Api.OpenApi;

/// <summary>
/// The shared parts of the document: the API-key security scheme, the problem schemas, and the headers and header
/// parameters operations point to by reference.
/// </summary>
public static class ContractComponents
{
    public const string SecurityScheme = "ApiKey";
    public const string Problem = "Problem";
    public const string ValidationProblem = "ValidationProblem";
    public const string ProblemMediaType = "application/problem+json";

    public const string ETagHeader = "ETag";
    public const string RetryAfterHeader = "Retry-After";
    public const string IfMatchHeader = "If-Match";
    public const string IfNoneMatchHeader = "If-None-Match";
    public const string LastEventIdHeader = "Last-Event-ID";

    /// <summary>What <c>X-Correlation-Id</c> values the API keeps; anything else is replaced by a generated id.</summary>
    public const string CorrelationIdPattern = "^[A-Za-z0-9._-]{1,64}$";

    public static void AddTo(OpenApiDocument document)
    {
        var components = document.Components ??= new OpenApiComponents();
        components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        components.SecuritySchemes[SecurityScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            In = ParameterLocation.Header,
            Name = Security.ApiKeyAuthenticationHandler.Header,
            Description = "An API key configured for the host. Its role (viewer < operator < admin) decides what it may do; "
                + "each operation names the least role it needs. No key or an unknown key is 401, a role too low is 403.",
        };

        components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
        components.Schemas[Problem] = ProblemSchema();
        components.Schemas[ValidationProblem] = ValidationProblemSchema(document);

        components.Headers ??= new Dictionary<string, IOpenApiHeader>();
        components.Headers[ETagHeader] = new OpenApiHeader
        {
            Description = "The entity tag of the resource as returned; send it back in If-Match (writes) or If-None-Match (reads).",
            Schema = new OpenApiSchema { Type = JsonSchemaType.String },
        };
        components.Headers[ApiCaller.CorrelationHeader] = new OpenApiHeader
        {
            Description = "The request's correlation id: the caller's when it matched " + CorrelationIdPattern + ", otherwise a new one. The audit trail records it.",
            Schema = new OpenApiSchema { Type = JsonSchemaType.String },
        };
        components.Headers[RetryAfterHeader] = new OpenApiHeader
        {
            Description = "Seconds to wait before retrying.",
            Schema = new OpenApiSchema { Type = JsonSchemaType.Integer, Minimum = "0" },
        };

        components.Parameters ??= new Dictionary<string, IOpenApiParameter>();
        components.Parameters[ApiCaller.CorrelationHeader] = Header(ApiCaller.CorrelationHeader,
            "A correlation id for this request, recorded in the audit trail and echoed on the response.",
            new OpenApiSchema { Type = JsonSchemaType.String, Pattern = CorrelationIdPattern });
        components.Parameters[IfMatchHeader] = Header(IfMatchHeader,
            "Only apply the write if the resource's current ETag is one of these (a comma-separated list), or `*` for any; otherwise 412.",
            new OpenApiSchema { Type = JsonSchemaType.String });
        components.Parameters[IfNoneMatchHeader] = Header(IfNoneMatchHeader,
            "Answer 304 with no body if the current ETag is one of these, or `*`.",
            new OpenApiSchema { Type = JsonSchemaType.String });
        components.Parameters[LastEventIdHeader] = Header(LastEventIdHeader,
            "The id of the last event received: the stream starts with the events after it that are still kept.",
            new OpenApiSchema { Type = JsonSchemaType.String, Pattern = "^[0-9]{1,19}$" });
    }

    public static OpenApiSchemaReference Ref(string schema, OpenApiDocument document) => new(schema, document);

    /// <summary>A problem response body: <c>application/problem+json</c> with the shared schema.</summary>
    public static Dictionary<string, OpenApiMediaType> ProblemContent(OpenApiDocument document, bool validation = false) => new()
    {
        [ProblemMediaType] = new OpenApiMediaType { Schema = Ref(validation ? ValidationProblem : Problem, document) },
    };

    private static OpenApiParameter Header(string name, string description, OpenApiSchema schema) => new()
    {
        Name = name,
        In = ParameterLocation.Header,
        Required = false,
        Description = description,
        Schema = schema,
    };

    private static OpenApiSchema ProblemSchema() => new()
    {
        Type = JsonSchemaType.Object,
        Description = "An RFC 9457 problem document. `type` names the kind of problem; some kinds add members (a lifecycle "
            + "conflict adds `currentState` and `allowedActions`, an active-engines conflict adds `engines`).",
        Properties = new Dictionary<string, IOpenApiSchema>
        {
            ["type"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "A URI naming the kind of problem." },
            ["title"] = new OpenApiSchema { Type = JsonSchemaType.String },
            ["status"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Minimum = "400", Maximum = "599" },
            ["detail"] = new OpenApiSchema { Type = JsonSchemaType.String | JsonSchemaType.Null },
            ["instance"] = new OpenApiSchema { Type = JsonSchemaType.String | JsonSchemaType.Null },
            ["traceId"] = new OpenApiSchema { Type = JsonSchemaType.String },
            ["correlationId"] = new OpenApiSchema { Type = JsonSchemaType.String },
            ["currentState"] = new OpenApiSchema { Type = JsonSchemaType.String, Enum = ContractSchemas.EngineStates },
            ["allowedActions"] = new OpenApiSchema
            {
                Type = JsonSchemaType.Array,
                Items = new OpenApiSchema { Type = JsonSchemaType.String, Enum = ContractSchemas.EngineActions },
            },
        },
        Required = new HashSet<string> { "title", "status" },
        AdditionalPropertiesAllowed = true,
    };

    private static OpenApiSchema ValidationProblemSchema(OpenApiDocument document) => new()
    {
        Description = "A problem document for invalid input: `errors` lists the messages per field (camelCase path, e.g. `symbols` or `connections[0].id`).",
        AllOf = [Ref(Problem, document), new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Properties = new Dictionary<string, IOpenApiSchema>
            {
                ["errors"] = new OpenApiSchema
                {
                    Type = JsonSchemaType.Object,
                    AdditionalProperties = new OpenApiSchema
                    {
                        Type = JsonSchemaType.Array,
                        Items = new OpenApiSchema { Type = JsonSchemaType.String },
                    },
                },
            },
            Required = new HashSet<string> { "errors" },
        }],
    };

    internal static JsonNode Value(string text) => JsonValue.Create(text);
}
