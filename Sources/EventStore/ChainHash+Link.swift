import Crypto
import LedgerValues

extension ChainHash {
    /// The hash of the event whose canonical bytes are `canonical`, chained from `previous`.
    public static func link(previous: ChainHash, canonical: some Sequence<UInt8>) -> ChainHash {
        Array(canonical).withUnsafeBytes { link(previous: previous, canonical: $0) }
    }

    /// As ``link(previous:canonical:)``, hashing borrowed bytes without copying them.
    public static func link(previous: ChainHash, canonical: UnsafeRawBufferPointer) -> ChainHash {
        var hasher = SHA256()
        previous.withUnsafeBytes { hasher.update(bufferPointer: $0) }
        hasher.update(bufferPointer: canonical)
        return hasher.finalize().withUnsafeBytes { ChainHash(raw: $0) }
    }
}
