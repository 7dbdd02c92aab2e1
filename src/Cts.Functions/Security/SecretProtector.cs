using Microsoft.AspNetCore.DataProtection;

namespace Cts.Functions.Security;

/// <summary>
/// Encrypts exchange credentials at rest (ASP.NET Core Data Protection, key ring in blob storage). Plaintext exists
/// only in memory, on its way in from a request or out to an exchange adapter; it is never logged or returned.
/// </summary>
public sealed class SecretProtector(IDataProtectionProvider provider)
{
    private readonly IDataProtector _protector = provider.CreateProtector("cts.connections.credentials.v1");

    public string Protect(string plaintext) => _protector.Protect(plaintext);

    public string Unprotect(string protectedText) => _protector.Unprotect(protectedText);
}
