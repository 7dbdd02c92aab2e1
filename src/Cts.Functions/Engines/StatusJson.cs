using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Cts.Functions.Engines;

/// <summary>
/// Serializes a status into the JSON document the API returns, into a buffer of the calling thread's that is reused
/// from one status to the next, with source-generated code that writes straight to the writer: a status published
/// every second by each of ten thousand engines allocates nothing here. (The reflection serializer allocated ~300
/// bytes of state per call.) The document is byte for byte what the API's options write (<c>StatusLineTests</c>,
/// <c>EngineListResultTests</c>): camelCase names, nulls written, numbers as numbers, no enums to convert.
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
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(1024);
        buffer.ResetWrittenCount();
        var writer = t_writer ??= new Utf8JsonWriter(buffer, new JsonWriterOptions { SkipValidation = true });
        writer.Reset(buffer);
        JsonSerializer.Serialize(writer, status, StatusJsonContext.Default.EngineStatus);
        writer.Flush();
        return buffer.WrittenSpan;
    }

    [JsonSourceGenerationOptions(JsonSerializerDefaults.Web, NumberHandling = JsonNumberHandling.Strict,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
    [JsonSerializable(typeof(EngineStatus))]
    private sealed partial class StatusJsonContext : JsonSerializerContext;
}
