using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Cts.Functions.Tests.Infrastructure;

/// <summary>
/// Key-encryption certificates for the Data Protection key ring, made at test time (never committed): a self-signed
/// RSA certificate in a password-protected PFX. <see cref="Shared"/> is one for the whole test run, so every host
/// process on the same storage (restarts, cluster nodes) opens the same key ring, as in production.
/// </summary>
public sealed record TestKeyRingCertificate(string Path, string Password)
{
    private static readonly string Folder = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"cts-test-certificates-{Environment.ProcessId}");

    private static readonly Lazy<TestKeyRingCertificate> SharedCertificate = new(() =>
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                Directory.Delete(Folder, recursive: true);
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        };
        return Create("shared");
    });

    public static TestKeyRingCertificate Shared => SharedCertificate.Value;

    /// <summary>A new certificate (its own key pair and random password) in this test run's temp folder.</summary>
    public static TestKeyRingCertificate Create(string name)
    {
        Directory.CreateDirectory(Folder);
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest($"CN=CTS test key ring {name}", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyEncipherment | X509KeyUsageFlags.DataEncipherment, critical: true));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        var password = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        var path = System.IO.Path.Combine(Folder, $"{name}-{Guid.NewGuid():N}.pfx");
        File.WriteAllBytes(path, certificate.Export(X509ContentType.Pfx, password));
        return new TestKeyRingCertificate(path, password);
    }

    public X509Certificate2 Load() => X509CertificateLoader.LoadPkcs12FromFile(Path, Password, X509KeyStorageFlags.EphemeralKeySet);

    /// <summary>The host's settings for this certificate (<c>DataProtection:CertificatePath|Password</c>).</summary>
    public IEnumerable<KeyValuePair<string, string?>> Settings(string separator = ":")
    {
        yield return new($"DataProtection{separator}CertificatePath", Path);
        yield return new($"DataProtection{separator}CertificatePassword", Password);
    }
}
