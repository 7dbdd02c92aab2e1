using System.Text.Json;

namespace Cts.Functions.Engines;

/// <summary>
/// One connection's line on the <see cref="EngineStatusBoard"/>: its engine's latest status as the JSON document the API
/// returns, in a buffer of its own that each newer status overwrites in place, with the state a listing filters on,
/// when the status was current and the board's version of it. Unknown (no document) until the engine is heard.
/// </summary>
/// <remarks>
/// A running engine publishes its status every second. Kept as the engine built it, every line's status objects
/// (the status, its processors' dictionary and views) were the newest objects of ten thousand engines at every
/// collection, so each collection promoted ~8 MB of them and paused for as long as that took; as bytes in a buffer
/// reused for the line's life, the objects die young and a listing copies ready documents into the response.
/// </remarks>
public sealed class StatusLine(DateTimeOffset at, long version)
{
    private readonly Lock _gate = new();
    private byte[] _json = [];
    private int _length;

    public DateTimeOffset At { get; private set; } = at;

    public long Version { get; private set; } = version;

    /// <summary>The engine's state as its status names it; null until known.</summary>
    public string? State { get; private set; }

    public bool Known => Volatile.Read(ref _length) > 0;

    /// <summary>
    /// Takes a status document current at <paramref name="at"/>, unless the line holds a newer one (a late event from
    /// the node that hosted the engine before) or, with <paramref name="onlyIfUnknown"/>, any.
    /// </summary>
    public bool Take(ReadOnlySpan<byte> json, string state, DateTimeOffset at, long version, bool onlyIfUnknown = false)
    {
        lock (_gate)
        {
            if (_length > 0 && (onlyIfUnknown || At > at))
            {
                return false;
            }
            if (_json.Length < json.Length)
            {
                // Room to grow: a status gains a few fields (an error, a retry schedule) as its engine's life goes on.
                _json = new byte[json.Length + json.Length / 4];
            }
            json.CopyTo(_json);
            (State, At, Version) = (state, at, version);
            Volatile.Write(ref _length, json.Length);
            return true;
        }
    }

    /// <summary>Writes the document as the next value of <paramref name="writer"/>; false when the line has none.</summary>
    public bool WriteTo(Utf8JsonWriter writer)
    {
        lock (_gate)
        {
            if (_length == 0)
            {
                return false;
            }
            writer.WriteRawValue(_json.AsSpan(0, _length), skipInputValidation: true);
            return true;
        }
    }
}
