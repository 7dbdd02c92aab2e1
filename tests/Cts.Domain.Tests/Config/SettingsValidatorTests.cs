using Cts.Domain.Config;

namespace Cts.Domain.Tests.Config;

public sealed class SettingsValidatorTests
{
    [Fact]
    public void The_defaults_are_valid()
    {
        Assert.Empty(SettingsValidator.Validate(EngineSettings.Defaults));
    }

    [Fact]
    public void Every_bad_field_is_reported_at_once_with_nested_fields_dotted()
    {
        var bad = EngineSettings.Defaults with
        {
            ConnectionMonitorSeconds = 4, RetentionDays = 0, ExchangeTimeoutSeconds = 121, MaxConsecutiveCycleFailures = 0,
            StartRetry = new StartRetryPolicy { MaxAttempts = 0, BaseDelaySeconds = 10, MaxDelaySeconds = 9 },
        };

        var errors = SettingsValidator.Validate(bad);

        Assert.Equal(
            ["connectionMonitorSeconds", "exchangeTimeoutSeconds", "maxConsecutiveCycleFailures", "retentionDays", "startRetry.maxAttempts", "startRetry.maxDelaySeconds"],
            errors.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_missing_retry_policy_is_required()
    {
        Assert.Equal(["startRetry"], SettingsValidator.Validate(EngineSettings.Defaults with { StartRetry = null! }).Keys);
    }

    [Fact]
    public void A_PUT_must_carry_every_field_nested_ones_included()
    {
        Assert.Equal(10, SettingsValidator.RequiredOnReplace.Count);
        Assert.Contains("retentionDays", SettingsValidator.RequiredOnReplace);
        Assert.Contains("startRetry.maxAttempts", SettingsValidator.RequiredOnReplace);
    }
}
