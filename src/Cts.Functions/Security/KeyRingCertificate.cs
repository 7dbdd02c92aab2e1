using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Cts.Functions.Security;

/// <summary>
/// Settings of the Data Protection key ring's encryption (section <c>DataProtection</c>): the key-encryption
/// certificate, a PFX file kept outside the storage account, and older ones still accepted for reading keys after a
/// rotation.
/// </summary>
public sealed class KeyRingOptions
{
    public const string Section = "DataProtection";

    /// <summary>A PFX (PKCS#12) with an RSA private key: new keys are encrypted to it, existing ones decrypted with it.</summary>
    public string? CertificatePath { get; set; }

    public string? CertificatePassword { get; set; }

    /// <summary>Certificates of earlier rotations: keys they encrypted can still be read, none is encrypted to them.</summary>
    public List<KeyRingCertificateFile> PreviousCertificates { get; set; } = [];
}

public sealed class KeyRingCertificateFile
{
    public string Path { get; set; } = "";

    public string? Password { get; set; }
}

/// <summary>Raised when the host must not start: the message says why and what to configure.</summary>
public sealed class HostConfigurationException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>Loads the key-encryption certificates, with messages that say which setting to fix.</summary>
public static class KeyRingCertificate
{
    public const string MissingInProduction =
        "DataProtection:CertificatePath is not set. In Production the Data Protection key ring (which encrypts exchange "
        + "credentials and browser sessions) must be encrypted with a key-encryption certificate kept outside the storage "
        + "account: set DataProtection:CertificatePath to a PFX file with an RSA private key (and DataProtection:CertificatePassword "
        + "if it has one). ./run.sh creates a local one in .secrets/.";

    public const string MissingInDevelopment =
        "DataProtection:CertificatePath is not set: the Data Protection key ring is stored UNENCRYPTED in blob storage. "
        + "Acceptable for development only; ./run.sh creates a local certificate in .secrets/.";

    public static X509Certificate2 Load(string path, string? password, string setting)
    {
        if (!File.Exists(path))
        {
            throw new HostConfigurationException($"{setting}: the certificate file '{path}' does not exist.");
        }
        X509Certificate2 certificate;
        try
        {
            certificate = X509CertificateLoader.LoadPkcs12FromFile(path, string.IsNullOrEmpty(password) ? null : password,
                X509KeyStorageFlags.EphemeralKeySet);
        }
        catch (CryptographicException e)
        {
            throw new HostConfigurationException(
                $"{setting}: the certificate '{path}' could not be read as a PFX (wrong DataProtection password, or not a PKCS#12 file).", e);
        }
        using var key = certificate.GetRSAPrivateKey();
        if (key is null)
        {
            certificate.Dispose();
            throw new HostConfigurationException($"{setting}: the certificate '{path}' has no RSA private key; the key ring needs one to encrypt and decrypt its keys.");
        }
        return certificate;
    }
}
