using System.Globalization;
using System.Text.Json.Nodes;
using Cts.Domain.Config;
using Cts.Domain.Connections;
using Cts.Domain.Engines;
using Cts.Domain.Strategies;
using Cts.Functions.Engines;
using Microsoft.OpenApi;

namespace Cts.Functions.Api.OpenApi;

/// <summary>
/// What the document says about the API's own types beyond their C# shape: required fields, enums, ranges and
/// patterns, from the same constants the validators use. One entry per type; a rule that names a property the type
/// does not have throws, so a renamed field cannot silently drop its rule.
/// </summary>
/// <remarks>A new request or response type adds its entry to <see cref="Rules"/>.</remarks>
public static class ContractSchemas
{
    public static readonly List<JsonNode> EngineStates = Values(Enum.GetNames<EngineState>());
    public static readonly List<JsonNode> EngineActions = Values(Enum.GetValues<EngineAction>().Select(a => a.ToWire()));
    public static readonly List<JsonNode> PositionStatuses = Values(["open", "closed"]);
    public static readonly List<JsonNode> Exchanges = Values(ConnectionValidator.Exchanges);
    public static readonly List<JsonNode> Strategies = Values(StrategyNames.All);
    public static readonly List<JsonNode> ExitReasons = Values(["stop-loss", "take-profit", "trailing-stop", "signal", "manual", "shutdown", "connection-deleted"]);
    public static readonly List<JsonNode> AuditOutcomeValues = Values([
        Domain.Audit.AuditOutcomes.Changed, Domain.Audit.AuditOutcomes.NoOp, Domain.Audit.AuditOutcomes.Refused, Domain.Audit.AuditOutcomes.Failed]);

    public const string SymbolPattern = "^[A-Z0-9]{2,20}$";
    public const string SecretPattern = "^[\\x21-\\x7E]+$";

    /// <summary>Position ids are their entry's client order id: <c>cts-</c> and 26 base-32 characters.</summary>
    public static readonly string PositionIdPattern =
        $"^{Domain.Trading.ClientOrderId.Prefix}[a-z2-7]{{{Domain.Trading.ClientOrderId.Length - Domain.Trading.ClientOrderId.Prefix.Length}}}$";

    private static readonly Dictionary<Type, Action<OpenApiSchema>> Rules = new()
    {
        [typeof(ConnectionRequest)] = s =>
        {
            Require(s, "id", "name", "exchange", "symbols");
            Prop(s, "id").Pattern = ConnectionId.Pattern;
            Prop(s, "id").Description = "The connection's id, also its engine's; on PUT it must be the id in the URL.";
            Text(Prop(s, "name"), 1, ConnectionValidator.MaxNameLength);
            Prop(s, "exchange").Enum = Exchanges;
            Symbols(Prop(s, "symbols"));
            Prop(s, "presetId").Pattern = ConnectionId.Pattern;
            Prop(s, "presetId").Description = "The preset to trade with; `default` when absent.";
            Prop(s, "credentials").Description = "Write-only: encrypted at rest, never returned. A PUT without it keeps the stored ones.";
        },
        [typeof(CredentialsRequest)] = s =>
        {
            Require(s, "apiKey", "apiSecret");
            foreach (var name in new[] { "apiKey", "apiSecret" })
            {
                Text(Prop(s, name), 1, ConnectionValidator.MaxSecretLength);
                Prop(s, name).Pattern = SecretPattern;
                Prop(s, name).WriteOnly = true;
            }
        },
        [typeof(ConnectionView)] = s =>
        {
            Require(s, "id", "name", "exchange", "symbols", "testnet", "autoStart", "version", "createdAt", "updatedAt");
            Prop(s, "id").Pattern = ConnectionId.Pattern;
            Prop(s, "exchange").Enum = Exchanges;
            Symbols(Prop(s, "symbols"));
            Range(Prop(s, "version"), 1, null);
        },
        [typeof(CredentialsView)] = s =>
        {
            Require(s, "apiKey", "hasSecret");
            Prop(s, "apiKey").Description = "The key masked: its first and last four characters.";
        },
        [typeof(EngineActionRequest)] = s =>
        {
            Require(s);
            Text(Prop(s, "reason"), 0, 500);
            Prop(s, "reason").Description = "Why, for the audit trail.";
            Prop(s, "closePositions").Description = "stop only: close every open position at market before stopping.";
        },
        [typeof(ForceEntryRequest)] = s =>
        {
            Require(s, "symbol");
            Prop(s, "symbol").Pattern = SymbolPattern;
            Prop(s, "symbol").Description = "One of the connection's symbols.";
            Prop(s, "quoteAmount").ExclusiveMinimum = "0";
            Prop(s, "quoteAmount").Maximum = Cts.Domain.Trading.ForceEntryValidator.MaxQuoteAmount.ToString(CultureInfo.InvariantCulture);
            Prop(s, "quoteAmount").Description = "Quote currency to spend; the preset's positionSizeQuote when left out.";
            Text(Prop(s, "reason"), 0, 500);
        },
        [typeof(Backtests.BacktestRequest)] = s =>
        {
            Require(s, "symbols", "from", "to");
            Prop(s, "presetId").Pattern = ConnectionId.Pattern;
            Prop(s, "presetId").Description = "A stored preset; or give an inline `preset` (not both; neither means `default`).";
            Symbols(Prop(s, "symbols"));
            Prop(s, "symbols").MaxItems = Backtests.BacktestRequestValidator.MaxSymbols;
            Prop(s, "startingBalance").ExclusiveMinimum = "0";
            Prop(s, "feeRate").Minimum = "0";
            Prop(s, "slippageBps").Minimum = "0";
            Prop(s, "dataSource").Enum = Values(["paper", "imported"]);
        },
        [typeof(CandleRow)] = s =>
        {
            Require(s, "openTime", "open", "high", "low", "close", "volume");
            Prop(s, "openTime").Description = "The minute's start: ISO 8601 UTC or epoch milliseconds.";
            foreach (var price in new[] { "open", "high", "low", "close" })
            {
                Prop(s, price).ExclusiveMinimum = "0";
            }
            Prop(s, "volume").Minimum = "0";
        },
        [typeof(TradeEngineAliasApi.AliasRequest)] = s =>
        {
            Require(s, "connectionId");
            Prop(s, "connectionId").Pattern = ConnectionId.Pattern;
            Text(Prop(s, "reason"), 0, 500);
            Prop(s, "closePositions").Description = "stop only: close every open position at market before stopping.";
        },
        [typeof(EngineStatus)] = s =>
        {
            Require(s, "connectionId", "state", "allowedActions", "processors");
            Prop(s, "connectionId").Pattern = ConnectionId.Pattern;
            Prop(s, "state").Enum = EngineStates;
            ((OpenApiSchema)Prop(s, "allowedActions").Items!).Enum = EngineActions;
            Prop(s, "degraded").Enum = Values(["storage"], nullable: true);
        },
        [typeof(EngineActionResponse)] = s => Require(s, "changed", "status"),
        [typeof(EngineList)] = s =>
        {
            Require(s, "engines", "count", "asOf");
            Present(s, "continuationToken");
        },
        [typeof(PositionView)] = s =>
        {
            Require(s, "id", "connectionId", "symbol", "status", "quantity", "entryPrice", "openedAt", "clientOrderId");
            Prop(s, "connectionId").Pattern = ConnectionId.Pattern;
            Prop(s, "id").Pattern = PositionIdPattern;
            Prop(s, "clientOrderId").Pattern = PositionIdPattern;
            Prop(s, "symbol").Pattern = SymbolPattern;
            Prop(s, "status").Enum = PositionStatuses;
            Prop(s, "exitReason").Enum = [.. ExitReasons, null!];
        },
        [typeof(PositionList)] = s => Require(s, "positions", "count"),
        [typeof(ConnectionList)] = s =>
        {
            Require(s, "connections", "count");
            Present(s, "continuationToken");
        },
        [typeof(PresetList)] = s => Require(s, "presets", "count"),
        [typeof(AuditList)] = s => Require(s, "entries", "count"),
        [typeof(Domain.Audit.AuditEntry)] = s =>
        {
            Require(s, "at", "actor", "action", "connectionId", "outcome");
            Prop(s, "outcome").Enum = AuditOutcomeValues;
        },
        [typeof(Preset)] = s =>
        {
            Require(s, "id", "name", "strategy");
            Prop(s, "id").Pattern = ConnectionId.Pattern;
            Text(Prop(s, "name"), 1, 100);
            Prop(s, "strategy").Enum = Strategies;
            foreach (var period in new[] { "emaFast", "emaSlow", "rsiPeriod" })
            {
                Range(Prop(s, period), StrategyParameters.MinPeriod, StrategyParameters.MaxPeriod);
            }
            foreach (var threshold in new[] { "rsiOversold", "rsiOverbought" })
            {
                Exclusive(Prop(s, threshold), 0, 100);
            }
            Exclusive(Prop(s, "positionSizeQuote"), 0, null);
            Range(Prop(s, "maxOpenPositions"), 1, Preset.MaxOpenPositionsLimit);
            foreach (var percent in new[] { "stopLossPct", "takeProfitPct", "trailingStopPct" })
            {
                Exclusive(Prop(s, percent), 0, 100);
            }
            foreach (var interval in new[] { "indicationsMs", "strategiesMs", "realtimeMs" })
            {
                Range(Prop(s, interval), Preset.MinIntervalMs, Preset.MaxIntervalMs);
                Prop(s, interval).Description = "Processor interval; absent or null takes the host's default.";
            }
            Prop(s, "version").ReadOnly = true;
            Prop(s, "updatedAt").ReadOnly = true;
        },
        [typeof(EngineSettings)] = s =>
        {
            Require(s, "autoStartOnBoot", "connectionMonitorSeconds", "retentionDays", "exchangeTimeoutSeconds", "startRetry",
                "maxConsecutiveCycleFailures", "autoRestartOnConfigChange");
            Range(Prop(s, "connectionMonitorSeconds"), 5, 3600);
            Range(Prop(s, "retentionDays"), 1, 3650);
            Range(Prop(s, "exchangeTimeoutSeconds"), 1, 120);
            Range(Prop(s, "maxConsecutiveCycleFailures"), 1, 100_000);
        },
        [typeof(StartRetryPolicy)] = s =>
        {
            Require(s, "maxAttempts", "baseDelaySeconds", "maxDelaySeconds");
            Range(Prop(s, "maxAttempts"), 1, 100);
            Range(Prop(s, "baseDelaySeconds"), 1, 3600);
            Range(Prop(s, "maxDelaySeconds"), 1, 86_400);
        },
        [typeof(Backups.ConfigSnapshot)] = s =>
        {
            Require(s, "format", "connections", "presets");
            Range(Prop(s, "format"), Backups.ConfigSnapshot.CurrentFormat, Backups.ConfigSnapshot.CurrentFormat);
        },
        [typeof(Backups.ImportReport)] = s => Require(s, "dryRun", "applied", "items", "blockedBy"),
        [typeof(Backups.ImportItem)] = s =>
        {
            Require(s, "kind", "id", "outcome");
            Prop(s, "kind").Enum = Values(["connection", "preset", "settings"]);
        },
        [typeof(BackupList)] = s => Require(s, "items", "count"),
        [typeof(ArchiveList)] = s => Require(s, "items", "count"),
    };

    /// <summary>Applies the rules of <paramref name="type"/>, if it has any, to its schema.</summary>
    public static void Apply(Type type, OpenApiSchema schema)
    {
        if (Rules.TryGetValue(type, out var rule))
        {
            rule(schema);
        }
    }

    /// <summary>The types that have rules (a test checks each one appears in the document).</summary>
    public static IReadOnlyCollection<Type> Types => Rules.Keys;

    private static OpenApiSchema Prop(OpenApiSchema schema, string name)
    {
        if (schema.Properties is null || !schema.Properties.TryGetValue(name, out var property))
        {
            throw new InvalidOperationException($"OpenAPI schema rule names property '{name}', which the schema does not have "
                + $"(it has: {string.Join(", ", schema.Properties?.Keys ?? [])}). Update ContractSchemas.");
        }
        return property as OpenApiSchema ?? throw new InvalidOperationException(
            $"OpenAPI schema rule for '{name}' needs an inline schema, but the property is a reference.");
    }

    /// <summary>
    /// Says which properties are required, replacing what the generator guessed from constructor parameters (a
    /// request record's optional fields are constructor parameters too); a required property cannot be null.
    /// </summary>
    private static void Require(OpenApiSchema schema, params string[] names)
    {
        schema.Required = new HashSet<string>();
        foreach (var name in names)
        {
            schema.Required.Add(name);
            if (schema.Properties![name] is OpenApiSchema { Type: { } type } property)
            {
                property.Type = type & ~JsonSchemaType.Null;
            }
            else if (!schema.Properties.ContainsKey(name))
            {
                Prop(schema, name);
            }
        }
    }

    /// <summary>Properties always sent, possibly as null (e.g. the continuation token of the last page).</summary>
    private static void Present(OpenApiSchema schema, params string[] names)
    {
        schema.Required ??= new HashSet<string>();
        foreach (var name in names)
        {
            Prop(schema, name);
            schema.Required.Add(name);
        }
    }

    private static void Text(OpenApiSchema schema, int min, int max)
    {
        schema.MinLength = min;
        schema.MaxLength = max;
    }

    private static void Symbols(OpenApiSchema schema)
    {
        schema.MinItems = 1;
        schema.MaxItems = ConnectionValidator.MaxSymbols;
        schema.UniqueItems = true;
        schema.Items = new OpenApiSchema { Type = JsonSchemaType.String, Pattern = SymbolPattern };
    }

    private static void Range(OpenApiSchema schema, double? min, double? max)
    {
        schema.Minimum = min?.ToString(CultureInfo.InvariantCulture);
        schema.Maximum = max?.ToString(CultureInfo.InvariantCulture);
    }

    private static void Exclusive(OpenApiSchema schema, double? min, double? max)
    {
        schema.ExclusiveMinimum = min?.ToString(CultureInfo.InvariantCulture);
        schema.ExclusiveMaximum = max?.ToString(CultureInfo.InvariantCulture);
    }

    internal static List<JsonNode> Values(IEnumerable<string> values, bool nullable = false)
    {
        var list = values.Select(v => (JsonNode)JsonValue.Create(v)).ToList();
        if (nullable)
        {
            list.Add(null!);
        }
        return list;
    }
}
