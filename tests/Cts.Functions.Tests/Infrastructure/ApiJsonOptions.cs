using System.Text.Json;
using Cts.Functions.Api;

namespace Cts.Functions.Tests.Infrastructure;

/// <summary>The serializer options the host's HTTP responses use (web defaults with <see cref="ApiJson.Configure"/>).</summary>
public static class ApiJsonOptions
{
    public static readonly JsonSerializerOptions Response = Create();

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        ApiJson.Configure(options);
        return options;
    }
}
