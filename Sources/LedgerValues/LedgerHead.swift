/// The last event's position and hash: the value to write down outside the system. Every read
/// states the head it was made at, so that an answer can be checked against the chain later
/// (`svledger verify --expect-head`) and two answers can be seen to come from the same state.
public struct LedgerHead: Hashable, Sendable, CustomStringConvertible {
    public let position: UInt64
    public let hash: ChainHash

    public static let empty = LedgerHead(position: 0, hash: .genesis)

    public init(position: UInt64, hash: ChainHash) {
        self.position = position
        self.hash = hash
    }

    /// `head <position> <hash>`, the line both verifiers print.
    public var description: String { "head \(position) \(hash.hex)" }

    /// `{"position": 9, "hash": "<64 hex>"}` (Schemas/read/common.schema.json#/$defs/head).
    public var json: JSONValue {
        ["position": .integer(Int64(position)), "hash": .string(hash.hex)]
    }
}
