import LedgerValues

/// The ledger head a read was made at. Every read document states it, so that an answer can
/// be checked against the chain later (`svledger verify --expect-head`), and so that two
/// answers can be seen to come from the same state.
public struct ReadHead: Sendable, Equatable {
    public let position: UInt64
    public let hash: ChainHash

    public init(position: UInt64, hash: ChainHash) {
        self.position = position
        self.hash = hash
    }

    /// `{"position": 9, "hash": "<64 hex>"}` (Schemas/read/common.schema.json#/$defs/head).
    public var json: JSONValue {
        ["position": .integer(Int64(position)), "hash": .string(hash.hex)]
    }
}
