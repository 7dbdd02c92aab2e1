using System.Xml.Linq;
using Azure;
using Azure.Storage.Blobs;
using Microsoft.AspNetCore.DataProtection.Repositories;

namespace Cts.Functions.Storage;

/// <summary>
/// Keeps the Data Protection key ring in the project's blob storage (one blob per key, container
/// <c>{prefix}dataprotection</c>), so every node and every restart decrypts what another encrypted, and losing a
/// machine's disk loses no key. What it stores is what Data Protection hands it: with a key-encryption certificate
/// configured (<c>DataProtection:CertificatePath</c>) each key's secret is an XML-encrypted element only that
/// certificate's private key opens.
/// </summary>
public sealed class BlobXmlRepository(BlobContainerClient container) : IXmlRepository
{
    public const string ContainerSuffix = "dataprotection";

    private readonly Lazy<bool> _created = new(() =>
    {
        container.CreateIfNotExists();
        return true;
    });

    public IReadOnlyCollection<XElement> GetAllElements()
    {
        _ = _created.Value;
        var elements = new List<XElement>();
        foreach (var blob in container.GetBlobs())
        {
            var content = container.GetBlobClient(blob.Name).DownloadContent().Value.Content;
            elements.Add(XElement.Parse(content.ToString()));
        }
        return elements;
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        _ = _created.Value;
        var name = $"{(string.IsNullOrWhiteSpace(friendlyName) ? Guid.NewGuid().ToString("N") : friendlyName)}.xml";
        try
        {
            // Keys are immutable: never overwrite one that exists.
            container.GetBlobClient(name).Upload(BinaryData.FromString(element.ToString(SaveOptions.DisableFormatting)), overwrite: false);
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
        }
    }
}
