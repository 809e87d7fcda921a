import EventStore
import Ledger
import Transparency

/// Inclusion and consistency proofs from the stored Merkle tree, as `svledger prove` and the
/// server's `/proofs/…` routes make them: many random ones in one read snapshot, each timed,
/// each checked as a client would (untimed), so that a fast wrong answer cannot pass.
enum SvledgerProofs {
    struct Outcome {
        /// Microseconds per proof: the median and the 99th percentile.
        let inclusionMedian: Double, inclusionP99: Double
        let consistencyMedian: Double, consistencyP99: Double
    }

    static func run(_ ledger: Ledger, count: Int = 1000, seed: UInt64) throws -> Outcome {
        var generator = SplitMix(seed: seed)
        var inclusion: [Double] = [], consistency: [Double] = []
        try ledger.store.read { reader in
            let tree = try reader.merkleTree()
            let size = tree.size
            let root = try tree.root(size: size)
            for _ in 0..<count {
                let leaf = generator.next() % size
                let (proof, seconds) = try Stopwatch.time { try tree.inclusionProof(leaf: leaf, size: size) }
                inclusion.append(seconds * 1e6)
                let leafHash = try tree.source.perfectSubtree(level: 0, index: leaf)
                try ProofVerification.verifyInclusion(proof, leafIndex: leaf, size: size, leafHash: leafHash, root: root)

                let to = 2 + generator.next() % (size - 1), from = 1 + generator.next() % (to - 1)
                let (pair, pairSeconds) = try Stopwatch.time {
                    (try tree.consistencyProof(from: from, to: to), try tree.root(size: from), try tree.root(size: to))
                }
                consistency.append(pairSeconds * 1e6)
                try ProofVerification.verifyConsistency(pair.0, size1: from, size2: to, root1: pair.1, root2: pair.2)
            }
        }
        func percentile(_ values: [Double], _ p: Double) -> Double {
            let sorted = values.sorted()
            return sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))]
        }
        return Outcome(
            inclusionMedian: percentile(inclusion, 0.5), inclusionP99: percentile(inclusion, 0.99),
            consistencyMedian: percentile(consistency, 0.5), consistencyP99: percentile(consistency, 0.99))
    }

    /// A small seeded generator (SplitMix64), so that runs pick the same positions.
    struct SplitMix {
        var state: UInt64
        init(seed: UInt64) { state = seed }
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }
}
