using Azure.Storage.Blobs;
using Cts.Functions.Storage;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.Options;

namespace Cts.Functions.Security;

/// <summary>Wiring of API-key authentication, the role policies, and the request size limit.</summary>
public static class SecurityExtensions
{
    /// <summary>Request bodies larger than this are refused with 413 (SPEC §4).</summary>
    public const long MaxRequestBodyBytes = 64 * 1024;

    public static WebApplicationBuilder AddCtsSecurity(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<ApiKeyOptions>().Bind(builder.Configuration.GetSection(ApiKeyOptions.Section));
        builder.Services.AddSingleton<ApiKeyRing>();
        builder.Services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(
                ApiKeyAuthenticationHandler.SchemeName, null);
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(Roles.Viewer, p => p.RequireRole(Roles.AtLeast(Roles.Viewer)))
            .AddPolicy(Roles.Operator, p => p.RequireRole(Roles.AtLeast(Roles.Operator)))
            .AddPolicy(Roles.Admin, p => p.RequireRole(Roles.AtLeast(Roles.Admin)))
            // A route that forgets to say who may call it is closed to everyone but admins, not open.
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireRole(Roles.AtLeast(Roles.Admin)).Build());
        builder.WebHost.ConfigureKestrel(o => o.Limits.MaxRequestBodySize = MaxRequestBodyBytes);

        // Credentials are encrypted with keys kept in the project's blob storage, not on one machine's disk.
        builder.Services.AddDataProtection().SetApplicationName("cts");
        builder.Services.AddOptions<KeyManagementOptions>().Configure<IOptions<StorageOptions>>((keys, storage) =>
            keys.XmlRepository = new BlobXmlRepository(new BlobServiceClient(storage.Value.ConnectionString)
                .GetBlobContainerClient(storage.Value.Prefix + "dataprotection")));
        builder.Services.AddSingleton<SecretProtector>();
        return builder;
    }

    /// <summary>
    /// Refuses a declared body over the limit before anything reads it, and caps undeclared (chunked) bodies so
    /// reading past the limit fails with 413 too.
    /// </summary>
    public static IApplicationBuilder UseRequestSizeLimit(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (context.Request.ContentLength > MaxRequestBodyBytes)
        {
            context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
            // The unread body cannot be drained; close the connection rather than poison the next request on it.
            context.Response.Headers.Connection = "close";
            await Results.Problem(title: "Request body too large", detail: $"Request bodies are limited to {MaxRequestBodyBytes / 1024} KiB.",
                statusCode: StatusCodes.Status413PayloadTooLarge, type: "https://cts.dev/problems/too-large").ExecuteAsync(context);
            return;
        }
        var limit = context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>();
        if (limit is { IsReadOnly: false })
        {
            limit.MaxRequestBodySize = MaxRequestBodyBytes;
        }
        await next(context);
    });

    public static TBuilder RequireViewer<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.RequireAuthorization(Roles.Viewer);

    public static TBuilder RequireOperator<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.RequireAuthorization(Roles.Operator);

    public static TBuilder RequireAdmin<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.RequireAuthorization(Roles.Admin);
}
