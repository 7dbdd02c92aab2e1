using Azure.Core;

namespace Cts.Functions.Tests.Infrastructure;

/// <summary>What a storage request carries, for fault-injecting pipeline policies that pick requests by the rows they write.</summary>
public static class RequestBody
{
    /// <summary>The request's body as text (a table write's row is in it), or null for a request without one (a read).</summary>
    public static string? Text(HttpMessage message)
    {
        if (message.Request.Content is not { } content)
        {
            return null;
        }
        using var body = new MemoryStream();
        content.WriteTo(body, CancellationToken.None);
        return System.Text.Encoding.UTF8.GetString(body.ToArray());
    }
}
