using Azure.Storage.Blobs;
using Cts.Functions.Storage;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.Options;

namespace Cts.Functions.Security;

/// <summary>
/// Wiring of authentication (API keys and browser sessions), the role policies, antiforgery, the request size limit and
/// the encrypted key ring.
/// </summary>
public static class SecurityExtensions
{
    /// <summary>Request bodies larger than this are refused with 413 (SPEC §4).</summary>
    public const long MaxRequestBodyBytes = 64 * 1024;

    public static WebApplicationBuilder AddCtsSecurity(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<ApiKeyOptions>().Bind(builder.Configuration.GetSection(ApiKeyOptions.Section));
        builder.Services.AddSingleton<ApiKeyRing>();
        // X-Api-Key for the API and its clients; the session cookie for browsers (POST /signin). One default scheme picks
        // between them per request, so every policy and route works with either.
        builder.Services.AddAuthentication(BrowserSession.ApiKeyOrSession)
            .AddPolicyScheme(BrowserSession.ApiKeyOrSession, "API key or browser session", o => o.ForwardDefaultSelector = BrowserSession.SelectScheme)
            .AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(
                ApiKeyAuthenticationHandler.SchemeName, null)
            .AddCookie(BrowserSession.SchemeName, BrowserSession.Configure);
        builder.Services.AddAntiforgery(o =>
        {
            o.HeaderName = BrowserSession.AntiforgeryHeader;
            o.Cookie.Name = BrowserSession.AntiforgeryCookieName;
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = Microsoft.AspNetCore.Http.CookieSecurePolicy.SameAsRequest;
            // frame-ancestors 'none' in the CSP already forbids framing.
            o.SuppressXFrameOptionsHeader = true;
        });
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(Roles.Viewer, p => p.RequireRole(Roles.AtLeast(Roles.Viewer)))
            .AddPolicy(Roles.Operator, p => p.RequireRole(Roles.AtLeast(Roles.Operator)))
            .AddPolicy(Roles.Admin, p => p.RequireRole(Roles.AtLeast(Roles.Admin)))
            // A route that forgets to say who may call it is closed to everyone but admins, not open.
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireRole(Roles.AtLeast(Roles.Admin)).Build());
        // Kestrel's own cap is the default; UseRequestSizeLimit raises it per request for a route with a limit of its own.
        builder.WebHost.ConfigureKestrel(o => o.Limits.MaxRequestBodySize = MaxRequestBodyBytes);
        builder.AddKeyRing();
        builder.Services.AddSingleton<SecretProtector>();
        return builder;
    }

    /// <summary>
    /// The Data Protection key ring (it encrypts exchange credentials, session cookies and antiforgery tokens) lives in
    /// the project's blob storage, so every node and restart shares it, and is itself encrypted with a key-encryption
    /// certificate that lives elsewhere (<c>DataProtection:CertificatePath</c>): whoever reads the storage account
    /// gets ciphertext and wrapped keys, never a usable key. Production refuses to start without the certificate.
    /// </summary>
    private static void AddKeyRing(this WebApplicationBuilder builder)
    {
        var settings = builder.Configuration.GetSection(KeyRingOptions.Section).Get<KeyRingOptions>() ?? new KeyRingOptions();
        var dataProtection = builder.Services.AddDataProtection().SetApplicationName("cts");
        builder.Services.AddOptions<KeyManagementOptions>().Configure<IOptions<StorageOptions>>((keys, storage) =>
            keys.XmlRepository = new BlobXmlRepository(new BlobServiceClient(storage.Value.ConnectionString)
                .GetBlobContainerClient(storage.Value.Prefix + BlobXmlRepository.ContainerSuffix)));
        if (string.IsNullOrWhiteSpace(settings.CertificatePath))
        {
            if (builder.Environment.IsProduction())
            {
                throw new HostConfigurationException(KeyRingCertificate.MissingInProduction);
            }
            builder.Services.AddHostedService<UnencryptedKeyRingWarning>();
            return;
        }
        var current = KeyRingCertificate.Load(settings.CertificatePath, settings.CertificatePassword, "DataProtection:CertificatePath");
        var previous = settings.PreviousCertificates
            .Select((file, i) => KeyRingCertificate.Load(file.Path, file.Password, $"DataProtection:PreviousCertificates:{i}:Path"))
            .ToArray();
        dataProtection.ProtectKeysWithCertificate(current);
        if (previous.Length > 0)
        {
            dataProtection.UnprotectKeysWithAnyCertificate([current, .. previous]);
        }
    }

    /// <summary>
    /// Refuses a declared body over the limit before anything reads it, and caps undeclared (chunked) bodies so
    /// reading past the limit fails with 413 too. The limit is the route's own (<see cref="RequestBodyLimit"/>), else
    /// <see cref="MaxRequestBodyBytes"/>; routing has already chosen the endpoint here.
    /// </summary>
    public static IApplicationBuilder UseRequestSizeLimit(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var limit = RequestBodyLimit.Of(context);
        if (context.Request.ContentLength > limit.Bytes)
        {
            context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
            // The unread body cannot be drained; close the connection rather than poison the next request on it.
            context.Response.Headers.Connection = "close";
            await limit.TooLarge().ExecuteAsync(context);
            return;
        }
        var feature = context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>();
        if (feature is { IsReadOnly: false })
        {
            feature.MaxRequestBodySize = limit.Bytes;
        }
        await next(context);
    });

    /// <summary>Gives one route a body limit of its own instead of <see cref="MaxRequestBodyBytes"/> (the contract's 413 says it too).</summary>
    public static TBuilder WithRequestBodyLimit<TBuilder>(this TBuilder builder, long bytes, string subject, string? hint = null)
        where TBuilder : IEndpointConventionBuilder => builder.WithMetadata(new RequestBodyLimit(bytes, subject, hint));

    public static TBuilder RequireViewer<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.RequireAuthorization(Roles.Viewer);

    public static TBuilder RequireOperator<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.RequireAuthorization(Roles.Operator);

    public static TBuilder RequireAdmin<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.RequireAuthorization(Roles.Admin);
}
