using Azure.Core;
using Azure.Core.Pipeline;
using Cts.Functions.Observability;

namespace Cts.Functions.Storage;

/// <summary>
/// Counts every write request the table clients send on <c>cts_storage_writes_total{table}</c>, once per call (not per
/// retry), whichever store sends it: grain state, reminders, audit, trading journal, paper ledger, configuration. What
/// a node costs its storage account is then read from <c>/metrics</c> instead of estimated.
/// </summary>
public sealed class StorageWriteCounter(string prefix) : HttpPipelineSynchronousPolicy
{
    public override void OnSendingRequest(HttpMessage message)
    {
        var method = message.Request.Method;
        if (method != RequestMethod.Get && method != RequestMethod.Head)
        {
            CtsMetrics.CountStorageWrite(TableOf(message.Request.Uri.Path, prefix));
        }
    }

    /// <summary>
    /// The logical table of a request path: its last segment without the entity key or the prefix
    /// (<c>/devstoreaccount1/ctsaudit(PartitionKey='a',RowKey='b')</c> → <c>audit</c>); <c>$batch</c> → <c>batch</c>,
    /// <c>Tables</c> (creating a table) → <c>tables</c>.
    /// </summary>
    public static string TableOf(string path, string prefix)
    {
        var segment = path.TrimEnd('/');
        segment = segment[(segment.LastIndexOf('/') + 1)..];
        var key = segment.IndexOf('(', StringComparison.Ordinal);
        if (key >= 0)
        {
            segment = segment[..key];
        }
        if (segment.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) && segment.Length > prefix.Length)
        {
            segment = segment[prefix.Length..];
        }
        return segment.TrimStart('$').ToLowerInvariant();
    }
}
