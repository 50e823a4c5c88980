using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.AuthenticatedEncryption;
using Microsoft.AspNetCore.DataProtection.AuthenticatedEncryption.ConfigurationModel;
using Microsoft.AspNetCore.DataProtection.Repositories;

namespace Glidepath.Gateway.Dashboard;

/// <summary>
/// The data-protection key ring of a host with a <see cref="SessionKey"/>: exactly one key, derived from the secret, in the
/// format <c>XmlKeyManager</c> reads (the descriptor written by data protection's own serializer). Created and activated
/// long ago, expiring far ahead, so it is always the default key and the key manager never wants another; it stores
/// nothing, and a store (a new key, a revocation) is refused: rotation is a new secret, not a new element.
/// </summary>
internal sealed class SessionKeyRepository : IXmlRepository
{
    private static readonly DateTimeOffset Created = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Expires = new(3000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly SessionKey _key;
    private readonly XElement _element;

    public SessionKeyRepository(SessionKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        _key = key;
        _element = Element(key);
    }

    /// <summary>A copy of the one key element each time (an element is mutable; the key manager reads it once a day).</summary>
    public IReadOnlyCollection<XElement> GetAllElements() => [new XElement(_element)];

    public void StoreElement(XElement element, string friendlyName) =>
        throw new InvalidOperationException($"{_key} stores no key and no revocation ({friendlyName}); to replace it, change the secret in {_key.Variable} on every gateway");

    private static XElement Element(SessionKey key)
    {
        // The algorithms are pinned rather than the framework's default of the day: gateways of two versions must agree.
        var configuration = new AuthenticatedEncryptorConfiguration { EncryptionAlgorithm = EncryptionAlgorithm.AES_256_CBC, ValidationAlgorithm = ValidationAlgorithm.HMACSHA256 };
        var master = key.MasterKey();
        try
        {
            using var secret = new Secret(master);
            var descriptor = new AuthenticatedEncryptorDescriptor(configuration, secret).ExportToXml();
            return new XElement("key",
                new XAttribute("id", key.KeyId),
                new XAttribute("version", 1),
                new XElement("creationDate", Created),
                new XElement("activationDate", Created),
                new XElement("expirationDate", Expires),
                new XElement("descriptor",
                    new XAttribute("deserializerType", descriptor.DeserializerType.AssemblyQualifiedName!),
                    descriptor.SerializedDescriptorElement));
        }
        finally
        {
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(master);
        }
    }
}
