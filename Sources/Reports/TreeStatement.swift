import LedgerValues

/// What a report states about the Merkle tree it was read at (Schemas/README.md §11): the
/// tree's root at the report's position, and the last checkpoint the council signed, so that a
/// reader can hold the council to both (docs/transparency.md). Hashes as base64 text: the
/// report only states them, it does not compute them.
public struct TreeStatement: Sendable, Equatable {
    /// The root of the tree of the events the report was read from.
    public let root: String
    /// The last checkpoint the ledger signed, when it has signed one.
    public let checkpoint: SignedCheckpointFacts?

    public struct SignedCheckpointFacts: Sendable, Equatable {
        public let origin: String
        public let size: UInt64
        public let root: String
        /// Witnesses' cosignatures kept with it (not verified here: `checkpoint verify` does).
        public let cosignatures: Int

        public init(origin: String, size: UInt64, root: String, cosignatures: Int) {
            self.origin = origin
            self.size = size
            self.root = root
            self.cosignatures = cosignatures
        }
    }

    public init(root: String, checkpoint: SignedCheckpointFacts?) {
        self.root = root
        self.checkpoint = checkpoint
    }

    /// One sentence on how the state `subject` was read at and the checkpoint relate, for a reader.
    /// - Parameter subject: what was read, as the sentence names it ("this report", "this export").
    public func sentence(position: UInt64, subject: String = "this report") -> String {
        guard let checkpoint else {
            return "The ledger has signed no checkpoint yet: the tree root stated is \(subject)'s alone, and only a checkpoint the council publishes can hold it to it."
        }
        let witnessed = checkpoint.cosignatures == 0 ? "with no witness's cosignature" : "with \(checkpoint.cosignatures) witness cosignature\(checkpoint.cosignatures == 1 ? "" : "s")"
        let signed = "The council's last signed checkpoint is \(checkpoint.origin) at tree size \(checkpoint.size), root \(checkpoint.root), \(witnessed)"
        if checkpoint.size == position { return signed + ": it is the state \(subject) was read at." }
        if checkpoint.size > position {
            return signed + ": it extends the state \(subject) was read at, which anyone can prove with a consistency proof from size \(position) (svledger prove consistency, or GET /proofs/consistency?from=\(position))."
        }
        return signed + ": \(subject) was read at a later state, which the next checkpoint will cover; svledger checkpoint verify proves that the ledger extends the one published."
    }
}
