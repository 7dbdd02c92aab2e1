using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Xml.Linq;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Cts.Functions.Security;
using Cts.Functions.Storage;
using Cts.Functions.Tests.Infrastructure;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.DependencyInjection;

namespace Cts.Functions.Tests.Security;

/// <summary>
/// Secrets at rest (issue #11, 8): the Data Protection key ring sits in the same storage account as the credentials it
/// encrypts, so it is itself encrypted with a key-encryption certificate kept elsewhere. Whoever reads every blob and
/// every table of the account gets no usable key: no key material in clear, and a Data Protection provider built from
/// the storage contents alone cannot decrypt the stored credentials (with the certificate it can, which shows the
/// storage does hold the ring).
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class KeyRingEncryptionTests(AzuriteFixture azurite)
{
    private const string ApiSecret = "s3cr3t-KeyRing-Hd8Vq2Lm5Zx9Tw4Rb7Nc1-at-rest";

    [Fact]
    public async Task Reading_every_blob_and_table_of_the_storage_account_yields_no_usable_key()
    {
        var certificate = TestKeyRingCertificate.Create("at-rest");
        await using var host = new CtsAppFactory(azurite, overrides: certificate.Settings().ToDictionary());
        using var client = host.CreateClient(Roles.Admin);
        var created = await client.PostAsJsonAsync("/api/connections", new
        {
            id = "ring-1", name = "Ring", exchange = "paper", symbols = new[] { "BTCUSDT" },
            credentials = new { apiKey = "AKIAKEYRINGTEST12345678", apiSecret = ApiSecret },
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);

        // Everything an attacker with the storage account's key can read.
        var blobs = await AllBlobsAsync(host.Prefix);
        var rows = await AllTableStringsAsync(host.Prefix);
        var keyRing = blobs.Where(b => b.Container == host.Prefix + BlobXmlRepository.ContainerSuffix).ToList();
        Assert.NotEmpty(keyRing);

        foreach (var (container, name, content) in keyRing)
        {
            var key = XElement.Parse(content);
            Assert.Equal("key", key.Name.LocalName);
            var elements = key.Descendants().Select(e => e.Name.LocalName).ToHashSet();
            Assert.False(elements.Contains("masterKey") || elements.Contains("value"), $"{container}/{name} holds key material in clear:\n{content}");
            Assert.Contains("encryptedSecret", elements);
            Assert.Contains("EncryptedData", elements);
            Assert.DoesNotContain("unencrypted form", content, StringComparison.OrdinalIgnoreCase);
        }
        Assert.False(host.Logs.Contains("No XML encryptor configured"), "the host stored a key without encrypting it");

        // The stored credential is a Data Protection payload; from the storage contents alone it cannot be opened.
        var ciphertexts = rows.Concat(blobs.Select(b => b.Content)).SelectMany(DataProtectionPayloads).Distinct().ToList();
        Assert.NotEmpty(ciphertexts);
        var fromStorageOnly = ProtectorOver(host.Prefix, certificate: null);
        foreach (var ciphertext in ciphertexts)
        {
            Assert.ThrowsAny<CryptographicException>(() => fromStorageOnly.Unprotect(ciphertext));
        }

        // With the certificate (which is not in the storage account) the same ring opens them: the test is not vacuous.
        var withCertificate = ProtectorOver(host.Prefix, certificate);
        Assert.Contains(ciphertexts, c => TryUnprotect(withCertificate, c) == ApiSecret);
    }

    [Fact]
    public async Task In_Production_the_host_refuses_to_start_without_a_certificate_and_says_why()
    {
        await using var host = new HostProcess(azurite.ConnectionString, azurite.NewPrefix(), settings: new Dictionary<string, string?>
        {
            ["DataProtection__CertificatePath"] = null,
            ["DataProtection__CertificatePassword"] = null,
        });

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(host.StartAsync);

        Assert.Contains("exited with code 1 while starting", refused.Message, StringComparison.Ordinal);
        Assert.True(host.OutputContains("CTS host not started: DataProtection:CertificatePath is not set. In Production"), host.OutputTail());
        Assert.Equal(1, host.ExitCode);
        // Nothing was written: no key ring was created unencrypted.
        Assert.DoesNotContain(await AllBlobsAsync(host.Prefix), b => b.Container.StartsWith(host.Prefix, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_wrong_certificate_password_stops_the_host_with_a_message_naming_the_setting()
    {
        var certificate = TestKeyRingCertificate.Create("wrong-password");
        await using var host = new HostProcess(azurite.ConnectionString, azurite.NewPrefix(), settings: new Dictionary<string, string?>
        {
            ["DataProtection__CertificatePath"] = certificate.Path,
            ["DataProtection__CertificatePassword"] = "not-the-password",
        });

        await Assert.ThrowsAsync<InvalidOperationException>(host.StartAsync);

        Assert.Equal(1, host.ExitCode);
        Assert.True(host.OutputContains("DataProtection:CertificatePath: the certificate"), host.OutputTail());
        Assert.False(host.OutputContains("not-the-password"), "the password was echoed");
    }

    [Fact]
    public async Task In_Development_without_a_certificate_the_host_starts_and_warns_that_the_ring_is_unencrypted()
    {
        await using var host = new CtsAppFactory(azurite, overrides: new Dictionary<string, string?> { ["DataProtection:CertificatePath"] = null });
        using var client = host.CreateClient(Roles.Viewer);

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/engines")).StatusCode);
        Assert.True(host.Logs.Contains(KeyRingCertificate.MissingInDevelopment), host.Logs.Tail());
    }

    [Fact]
    public async Task After_a_rotation_keys_written_under_the_previous_certificate_still_open()
    {
        var previous = TestKeyRingCertificate.Create("previous");
        var current = TestKeyRingCertificate.Create("current");
        var prefix = azurite.NewPrefix();
        var oldRing = ProtectorOver(prefix, previous);
        var ciphertext = oldRing.Protect(ApiSecret);
        await using var host = new CtsAppFactory(azurite, overrides: new Dictionary<string, string?>
        {
            ["Storage:Prefix"] = prefix,
            ["DataProtection:CertificatePath"] = current.Path,
            ["DataProtection:CertificatePassword"] = current.Password,
            ["DataProtection:PreviousCertificates:0:Path"] = previous.Path,
            ["DataProtection:PreviousCertificates:0:Password"] = previous.Password,
        });

        var protector = host.Services.GetRequiredService<SecretProtector>();

        Assert.Equal(ApiSecret, protector.Unprotect(ciphertext));
        Assert.ThrowsAny<CryptographicException>(() => ProtectorOver(prefix, current).Unprotect(ciphertext));
    }

    /// <summary>A Data Protection provider over the host's key ring container, as SecretProtector builds it, with or without the certificate.</summary>
    private IDataProtector ProtectorOver(string prefix, TestKeyRingCertificate? certificate)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        var builder = services.AddDataProtection().SetApplicationName("cts");
        var container = new BlobServiceClient(azurite.ConnectionString).GetBlobContainerClient(prefix + BlobXmlRepository.ContainerSuffix);
        services.Configure<KeyManagementOptions>(o => o.XmlRepository = new BlobXmlRepository(container));
        if (certificate is not null)
        {
            builder.ProtectKeysWithCertificate(certificate.Load());
        }
        return services.BuildServiceProvider().GetRequiredService<IDataProtectionProvider>().CreateProtector("cts.connections.credentials.v1");
    }

    private static string? TryUnprotect(IDataProtector protector, string ciphertext)
    {
        try
        {
            return protector.Unprotect(ciphertext);
        }
        catch (CryptographicException)
        {
            return null;
        }
    }

    /// <summary>Data Protection payloads start with the magic header 09 F0 C9 F0, "CfDJ8" in base64url.</summary>
    private static IEnumerable<string> DataProtectionPayloads(string text) =>
        System.Text.RegularExpressions.Regex.Matches(text, "CfDJ8[A-Za-z0-9_-]{40,}").Select(m => m.Value);

    private async Task<List<(string Container, string Name, string Content)>> AllBlobsAsync(string prefix)
    {
        var service = new BlobServiceClient(azurite.ConnectionString);
        var blobs = new List<(string, string, string)>();
        await foreach (var container in service.GetBlobContainersAsync(prefix: prefix))
        {
            var client = service.GetBlobContainerClient(container.Name);
            await foreach (var blob in client.GetBlobsAsync())
            {
                var content = (await client.GetBlobClient(blob.Name).DownloadContentAsync()).Value.Content;
                blobs.Add((container.Name, blob.Name, content.ToString()));
            }
        }
        return blobs;
    }

    private async Task<List<string>> AllTableStringsAsync(string prefix)
    {
        var service = new TableServiceClient(azurite.ConnectionString);
        var values = new List<string>();
        await foreach (var table in service.QueryAsync())
        {
            if (!table.Name.StartsWith(prefix, StringComparison.Ordinal))
            {
                continue;
            }
            await foreach (var row in service.GetTableClient(table.Name).QueryAsync<TableEntity>())
            {
                values.AddRange(row.Select(p => p.Value switch
                {
                    byte[] bytes => System.Text.Encoding.UTF8.GetString(bytes),
                    _ => p.Value?.ToString() ?? "",
                }));
            }
        }
        Assert.NotEmpty(values);
        return values;
    }
}
