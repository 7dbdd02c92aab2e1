using Azure.Core;
using Azure.Core.Pipeline;

namespace Cts.Functions.Tests.Infrastructure;

/// <summary>
/// A table client pipeline policy that lets the first entity insert reach storage, then loses its answer as a dropped
/// connection does, so the client's own retry sends the insert again. Add it at <see cref="HttpPipelinePosition.PerRetry"/>.
/// </summary>
public sealed class LoseFirstInsertAnswer : HttpPipelinePolicy
{
    private int _lost;
    private int _inserts;

    public int Lost => Volatile.Read(ref _lost);

    public int Inserts => Volatile.Read(ref _inserts);

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) =>
        ProcessAsync(message, pipeline).AsTask().GetAwaiter().GetResult();

    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        await ProcessNextAsync(message, pipeline);
        var insert = message.Request.Method == RequestMethod.Post && !message.Request.Uri.Path.EndsWith("/Tables", StringComparison.Ordinal);
        if (insert)
        {
            Interlocked.Increment(ref _inserts);
            if (Interlocked.CompareExchange(ref _lost, 1, 0) == 0)
            {
                throw new IOException("the connection was reset before the answer arrived");
            }
        }
    }
}
