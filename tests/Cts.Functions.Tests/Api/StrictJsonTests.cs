using System.Text;
using Cts.Domain.Config;
using Cts.Functions.Api;
using Cts.Functions.Backups;
using Cts.Functions.Config;

namespace Cts.Functions.Tests.Api;

/// <summary>The strict reader and the entity-tag rules on their own (no host): every error per field, in JSON terms.</summary>
public sealed class StrictJsonTests
{
    private static IReadOnlyDictionary<string, string[]>? Errors<T>(string json, IReadOnlyList<string>? required = null) where T : class
    {
        var (document, parseErrors) = StrictJson.Parse(Encoding.UTF8.GetBytes(json));
        if (document is null)
        {
            return parseErrors;
        }
        using (document)
        {
            return StrictJson.Bind<T>(document.RootElement, required).Errors;
        }
    }

    [Fact]
    public void Every_problem_of_a_body_is_reported_at_once_per_field()
    {
        var errors = Errors<ConnectionRequest>(
            """{"Id":"x","name":"a","name":"b","exchange":7,"symbols":["BTCUSDT",null,3],"testnet":"true","credentials":{"apiKey":1,"more":true}}""")!;

        Assert.Equal(["Id", "credentials.apiKey", "credentials.more", "exchange", "name", "symbols[2]", "testnet"], errors.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("appears more than once", errors["name"][0]);
        Assert.Equal("must be a string", errors["exchange"][0]);
        Assert.Equal("must be true or false", errors["testnet"][0]);
        Assert.Contains("'id'", errors["Id"][0], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"emaFast":"3"}""", "emaFast", "must be an integer")]
    [InlineData("""{"emaFast":3.5}""", "emaFast", "must be an integer")]
    [InlineData("""{"emaFast":3e40}""", "emaFast", "must be an integer")]
    [InlineData("""{"emaFast":4294967296}""", "emaFast", "must be an integer between")]
    [InlineData("""{"emaFast":null}""", "emaFast", "must not be null")]
    [InlineData("""{"positionSizeQuote":"100"}""", "positionSizeQuote", "must be a number")]
    [InlineData("""{"rsiOversold":true}""", "rsiOversold", "must be a number")]
    [InlineData("""{"updatedAt":"2026-13-45"}""", "updatedAt", "must be an ISO 8601 date-time")]
    [InlineData("""{"name":["x"]}""", "name", "must be a string")]
    [InlineData("""{"x":1,}""", "body", "is not valid JSON")]
    [InlineData("""{"x":1} // comment""", "body", "is not valid JSON")]
    [InlineData("""[]""", "body", "must be a JSON object")]
    public void Wrong_types_say_what_JSON_was_expected_and_never_name_a_dotnet_type(string json, string field, string message)
    {
        var errors = Errors<Preset>(json)!;

        Assert.StartsWith(message, Assert.Single(errors[field]), StringComparison.Ordinal);
        Assert.DoesNotContain(errors.Values.SelectMany(m => m), m => m.Contains("System.", StringComparison.Ordinal) || m.Contains("Cts.", StringComparison.Ordinal)
            || m.Contains("Int32", StringComparison.Ordinal) || m.Contains("Decimal", StringComparison.Ordinal));
    }

    [Fact]
    public void Required_fields_must_be_present_and_not_null_nested_ones_under_a_present_parent()
    {
        var errors = Errors<EngineSettings>("""{"retentionDays":7,"startRetry":{"maxAttempts":2},"autoStartOnBoot":null}""",
            SettingsValidator.RequiredOnReplace)!;

        Assert.Equal(
            ["autoRestartOnConfigChange", "autoStartOnBoot", "connectionMonitorSeconds", "exchangeTimeoutSeconds", "maxConsecutiveCycleFailures",
             "startRetry.baseDelaySeconds", "startRetry.maxDelaySeconds"],
            errors.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(["startRetry"], Errors<EngineSettings>("""{}""", ["startRetry", "startRetry.maxAttempts"])!.Keys);
    }

    [Fact]
    public void A_valid_body_binds_with_case_sensitive_names()
    {
        var (document, _) = StrictJson.Parse(Encoding.UTF8.GetBytes("""{"retentionDays":14,"startRetry":{"maxAttempts":2,"baseDelaySeconds":1,"maxDelaySeconds":5}}"""));
        using (document)
        {
            var (settings, errors) = StrictJson.Bind<EngineSettings>(document!.RootElement);
            Assert.Null(errors);
            Assert.Equal(14, settings!.RetentionDays);
            Assert.Equal(2, settings.StartRetry.MaxAttempts);
        }
    }

    [Fact]
    public void A_document_item_is_checked_against_its_record_shape()
    {
        var errors = Errors<ConfigSnapshot>("""{"format":1,"connections":[{"id":"a","exchange":"paper","Symbols":[]}],"presets":[{"id":"p","emaFast":"3"}]}""")!;

        Assert.Equal(["connections[0].Symbols", "presets[0].emaFast"], errors.Keys.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData(null, "W/\"datetime'1'\"", true)]
    [InlineData("*", "W/\"datetime'1'\"", true)]
    [InlineData("*", null, true)]
    [InlineData("\"datetime'1'\"", "W/\"datetime'1'\"", true)]
    [InlineData("\"a\", \"datetime'1'\"", "W/\"datetime'1'\"", true)]
    [InlineData("\"a\",\"b\"", "W/\"datetime'1'\"", false)]
    [InlineData("W/\"datetime'1'\"", "W/\"datetime'1'\"", false)]
    [InlineData("datetime'1'", "W/\"datetime'1'\"", false)]
    [InlineData("\"defaults\"", null, true)]
    [InlineData("\"defaults\"", "W/\"datetime'1'\"", false)]
    public void If_Match_takes_a_list_or_a_star_and_compares_strongly(string? header, string? stored, bool allowed)
    {
        Assert.Equal(allowed, EntityTags.IfMatchAllows(header, stored));
    }

    [Theory]
    [InlineData("\"a\", \"b\"", "\"b\"", true)]
    [InlineData("W/\"b\"", "\"b\"", true)]
    [InlineData("*", "\"b\"", true)]
    [InlineData("\"a\"", "\"b\"", false)]
    [InlineData("", "\"b\"", false)]
    public void If_None_Match_takes_a_list_or_a_star_and_compares_weakly(string header, string current, bool notModified)
    {
        Assert.Equal(notModified, EntityTags.IfNoneMatchHits(header, current));
    }

    [Fact]
    public void Stored_tags_are_shown_strong()
    {
        Assert.Equal("\"datetime'2026-01-01T00%3A00%3A00Z'\"", EntityTags.Strong("W/\"datetime'2026-01-01T00%3A00%3A00Z'\""));
        Assert.Equal("\"abc\"", EntityTags.Strong("\"abc\""));
        Assert.Equal(EntityTags.Unstored, EntityTags.Strong(null));
    }
}
