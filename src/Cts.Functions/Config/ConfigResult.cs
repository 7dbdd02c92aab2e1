using Cts.Functions.Engines;

namespace Cts.Functions.Config;

/// <summary>How a configuration command went. Errors are data; the API maps each kind to its status code.</summary>
public enum ConfigOutcome
{
    Ok,
    Created,
    Deleted,
    Invalid,
    NotFound,
    AlreadyExists,
    PreconditionFailed,
    /// <summary>Refused because of an engine's state or another resource that depends on this one.</summary>
    Conflict,
}

public sealed record ConfigResult<T>(
    ConfigOutcome Outcome,
    T? Value = null,
    string? ETag = null,
    IReadOnlyDictionary<string, string[]>? Errors = null,
    string? Detail = null,
    EngineStatus? EngineStatus = null) where T : class
{
    /// <summary>For a refused connection delete: the open positions its engine holds.</summary>
    public IReadOnlyList<PositionView>? OpenPositions { get; init; }

    public static ConfigResult<T> Invalid(IReadOnlyDictionary<string, string[]> errors) => new(ConfigOutcome.Invalid, Errors: errors);

    public static ConfigResult<T> Invalid(string field, string message) =>
        Invalid(new Dictionary<string, string[]> { [field] = [message] });

    public static ConfigResult<T> NotFound() => new(ConfigOutcome.NotFound);

    public static ConfigResult<T> Stale() => new(ConfigOutcome.PreconditionFailed);
}

/// <summary>Who asked for a change, for the audit trail.</summary>
public sealed record Caller(string Actor, string? CorrelationId);
