namespace Cts.Domain.Connections;

/// <summary>
/// A connection's exchange credentials as stored: both parts encrypted by the host (opaque to the domain), and the
/// key's masked form, the only thing ever shown.
/// </summary>
public sealed record StoredCredentials(string ApiKeyMasked, string ProtectedApiKey, string ProtectedApiSecret)
{
    /// <summary>Masks an API key for display: <c>abcd…wxyz</c> for long keys, less for short ones, never the whole key.</summary>
    public static string Mask(string apiKey) => apiKey.Length switch
    {
        >= 12 => $"{apiKey[..4]}…{apiKey[^4..]}",
        > 4 => $"…{apiKey[^2..]}",
        _ => "…",
    };
}
