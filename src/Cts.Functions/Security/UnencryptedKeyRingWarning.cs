namespace Cts.Functions.Security;

/// <summary>Says at start-up, outside Production, that the key ring is stored without a key-encryption certificate.</summary>
internal sealed class UnencryptedKeyRingWarning(ILogger<UnencryptedKeyRingWarning> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        logger.LogWarning(KeyRingCertificate.MissingInDevelopment);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
