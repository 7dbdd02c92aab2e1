using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization;
using Cts.Domain.Processors;

namespace Cts.Functions.Engines;

/// <summary>
/// Serializes a status into the JSON document the API returns, into a buffer of the calling thread's that is reused
/// from one status to the next, so a status published every second by each of ten thousand engines allocates nothing
/// here. A status object is written by source-generated code (the reflection serializer allocated ~300 bytes of state
/// per call); an engine's own fields (<see cref="EngineStatusFields"/>) are written by hand in the same order, so the
/// board gets the document without a status object being built. Both are byte for byte what the API's options write
/// (<c>StatusLineTests</c>, <c>EngineListResultTests</c>): camelCase names, nulls written, numbers as numbers, no
/// enums to convert.
/// </summary>
public static partial class StatusJson
{
    [ThreadStatic] private static ArrayBufferWriter<byte>? t_buffer;
    [ThreadStatic] private static Utf8JsonWriter? t_writer;

    /// <summary>
    /// The document of <paramref name="status"/>, in the calling thread's buffer: valid until the thread serializes
    /// the next one, so the caller copies it before it awaits anything.
    /// </summary>
    public static ReadOnlySpan<byte> Write(EngineStatus status)
    {
        var writer = Writer(out var buffer);
        JsonSerializer.Serialize(writer, status, StatusJsonContext.Default.EngineStatus);
        writer.Flush();
        return buffer.WrittenSpan;
    }

    /// <summary>The document of the status <paramref name="fields"/> would build, in the calling thread's buffer (as above).</summary>
    public static ReadOnlySpan<byte> Write(in EngineStatusFields fields)
    {
        var writer = Writer(out var buffer);
        writer.WriteStartObject();
        writer.WriteString(Names.ConnectionId, fields.ConnectionId);
        writer.WriteString(Names.State, fields.State);
        writer.WriteStartArray(Names.AllowedActions);
        foreach (var action in fields.AllowedActions)
        {
            writer.WriteStringValue(action);
        }
        writer.WriteEndArray();
        WriteDate(writer, Names.Since, fields.Since);
        writer.WriteNumber(Names.ConfigVersion, fields.ConfigVersion);
        writer.WriteNumber(Names.ConnectionVersion, fields.ConnectionVersion);
        writer.WriteBoolean(Names.RestartRequired, fields.RestartReason is not null);
        writer.WriteString(Names.RestartReason, fields.RestartReason);
        if (fields.LastError is { } error)
        {
            writer.WriteStartObject(Names.LastError);
            writer.WriteString(Names.Kind, error.Kind);
            writer.WriteString(Names.Message, error.Message);
            writer.WriteString(Names.At, error.At);
            writer.WriteEndObject();
        }
        else
        {
            writer.WriteNull(Names.LastError);
        }
        if (fields.Retry is { } retry)
        {
            writer.WriteStartObject(Names.Retry);
            writer.WriteNumber(Names.Attempt, retry.Attempt);
            writer.WriteNumber(Names.MaxAttempts, retry.MaxAttempts);
            WriteDate(writer, Names.NextAttemptAt, retry.NextAttemptAt);
            writer.WriteEndObject();
        }
        else
        {
            writer.WriteNull(Names.Retry);
        }
        writer.WriteBoolean(Names.Escalated, fields.Escalated);
        writer.WriteStartObject(Names.Processors);
        foreach (var kind in EngineCycles.Kinds)
        {
            WriteView(writer, kind.ToWire(), fields.Cycles.ViewOf(kind, fields.Intervals));
        }
        writer.WriteEndObject();
        writer.WriteNumber(Names.OpenPositions, fields.OpenPositions);
        writer.WriteNumber(Names.RealizedPnl, fields.RealizedPnl);
        writer.WriteNumber(Names.UnrealizedPnl, fields.UnrealizedPnl);
        WriteDate(writer, Names.UpdatedAt, fields.UpdatedAt);
        writer.WriteString(Names.Degraded, fields.Degraded);
        writer.WriteEndObject();
        writer.Flush();
        return buffer.WrittenSpan;
    }

    private static Utf8JsonWriter Writer(out ArrayBufferWriter<byte> buffer)
    {
        buffer = t_buffer ??= new ArrayBufferWriter<byte>(1024);
        buffer.ResetWrittenCount();
        var writer = t_writer ??= new Utf8JsonWriter(buffer, new JsonWriterOptions { SkipValidation = true });
        writer.Reset(buffer);
        return writer;
    }

    private static void WriteView(Utf8JsonWriter writer, string name, in ProcessorHealthView view)
    {
        writer.WriteStartObject(name);
        writer.WriteNumber(Names.IntervalMs, view.IntervalMs);
        writer.WriteNumber(Names.Runs, view.Runs);
        writer.WriteNumber(Names.Successes, view.Successes);
        writer.WriteNumber(Names.Failures, view.Failures);
        writer.WriteNumber(Names.SuccessRate, view.SuccessRate);
        writer.WriteNumber(Names.ConsecutiveFailures, view.ConsecutiveFailures);
        WriteNumber(writer, Names.LastLatencyMs, view.LastLatencyMs);
        WriteNumber(writer, Names.P95LatencyMs, view.P95LatencyMs);
        WriteDate(writer, Names.LastRunAt, view.LastRunAt);
        WriteDate(writer, Names.LastSuccessAt, view.LastSuccessAt);
        writer.WriteString(Names.LastError, view.LastError);
        writer.WriteEndObject();
    }

    private static void WriteDate(Utf8JsonWriter writer, JsonEncodedText name, DateTimeOffset? value)
    {
        if (value is { } at)
        {
            writer.WriteString(name, at);
        }
        else
        {
            writer.WriteNull(name);
        }
    }

    private static void WriteNumber(Utf8JsonWriter writer, JsonEncodedText name, double? value)
    {
        if (value is { } number)
        {
            writer.WriteNumber(name, number);
        }
        else
        {
            writer.WriteNull(name);
        }
    }

    /// <summary>The documents' property names, encoded once.</summary>
    private static class Names
    {
        public static readonly JsonEncodedText ConnectionId = JsonEncodedText.Encode("connectionId");
        public static readonly JsonEncodedText State = JsonEncodedText.Encode("state");
        public static readonly JsonEncodedText AllowedActions = JsonEncodedText.Encode("allowedActions");
        public static readonly JsonEncodedText Since = JsonEncodedText.Encode("since");
        public static readonly JsonEncodedText ConfigVersion = JsonEncodedText.Encode("configVersion");
        public static readonly JsonEncodedText ConnectionVersion = JsonEncodedText.Encode("connectionVersion");
        public static readonly JsonEncodedText RestartRequired = JsonEncodedText.Encode("restartRequired");
        public static readonly JsonEncodedText RestartReason = JsonEncodedText.Encode("restartReason");
        public static readonly JsonEncodedText LastError = JsonEncodedText.Encode("lastError");
        public static readonly JsonEncodedText Kind = JsonEncodedText.Encode("kind");
        public static readonly JsonEncodedText Message = JsonEncodedText.Encode("message");
        public static readonly JsonEncodedText At = JsonEncodedText.Encode("at");
        public static readonly JsonEncodedText Retry = JsonEncodedText.Encode("retry");
        public static readonly JsonEncodedText Attempt = JsonEncodedText.Encode("attempt");
        public static readonly JsonEncodedText MaxAttempts = JsonEncodedText.Encode("maxAttempts");
        public static readonly JsonEncodedText NextAttemptAt = JsonEncodedText.Encode("nextAttemptAt");
        public static readonly JsonEncodedText Escalated = JsonEncodedText.Encode("escalated");
        public static readonly JsonEncodedText Processors = JsonEncodedText.Encode("processors");
        public static readonly JsonEncodedText IntervalMs = JsonEncodedText.Encode("intervalMs");
        public static readonly JsonEncodedText Runs = JsonEncodedText.Encode("runs");
        public static readonly JsonEncodedText Successes = JsonEncodedText.Encode("successes");
        public static readonly JsonEncodedText Failures = JsonEncodedText.Encode("failures");
        public static readonly JsonEncodedText SuccessRate = JsonEncodedText.Encode("successRate");
        public static readonly JsonEncodedText ConsecutiveFailures = JsonEncodedText.Encode("consecutiveFailures");
        public static readonly JsonEncodedText LastLatencyMs = JsonEncodedText.Encode("lastLatencyMs");
        public static readonly JsonEncodedText P95LatencyMs = JsonEncodedText.Encode("p95LatencyMs");
        public static readonly JsonEncodedText LastRunAt = JsonEncodedText.Encode("lastRunAt");
        public static readonly JsonEncodedText LastSuccessAt = JsonEncodedText.Encode("lastSuccessAt");
        public static readonly JsonEncodedText OpenPositions = JsonEncodedText.Encode("openPositions");
        public static readonly JsonEncodedText RealizedPnl = JsonEncodedText.Encode("realizedPnl");
        public static readonly JsonEncodedText UnrealizedPnl = JsonEncodedText.Encode("unrealizedPnl");
        public static readonly JsonEncodedText UpdatedAt = JsonEncodedText.Encode("updatedAt");
        public static readonly JsonEncodedText Degraded = JsonEncodedText.Encode("degraded");
    }

    [JsonSourceGenerationOptions(JsonSerializerDefaults.Web, NumberHandling = JsonNumberHandling.Strict,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
    [JsonSerializable(typeof(EngineStatus))]
    private sealed partial class StatusJsonContext : JsonSerializerContext;
}
