import LedgerValues
import LMDB
import Transparency

/// What a witness remembers, durably: per log origin, the size and root it last cosigned,
/// in an LMDB environment of its own. Checking a request against that state and recording the
/// new one happen in one write transaction (LMDB's one writer), so two requests racing cannot
/// roll the state back (the race C2SP tlog-witness warns of).
public final class WitnessState: Sendable {
    let environment: Environment
    let checkpoints: Database

    public init(path: String) throws {
        var options = Environment.Options()
        options.createDirectory = true
        options.mapSize = 64 << 20
        environment = try Environment(path: path, options: options)
        checkpoints = try environment.write { try $0.openDatabase("cosigned", flags: [.create]) }
    }

    /// The last cosigned size and root of `origin`, if any.
    public func last(_ origin: String) throws -> (size: UInt64, root: TreeHash)? {
        try environment.read { txn in try Self.decode(try txn.get(checkpoints, key: Array(origin.utf8))) }
    }

    /// Decides `request` against the stored state and, when it may be cosigned, stores its
    /// checkpoint before returning: the state is durable before the cosignature leaves.
    public func admit(_ request: AddCheckpointRequest, policy: WitnessPolicy) throws -> Checkpoint {
        try environment.write { txn in
            let key = Array(request.checkpoint.checkpoint.origin.utf8)
            let last = Self.decode(try txn.get(checkpoints, key: key))
            let checkpoint = try policy.decide(request, last: last)
            try txn.put(checkpoints, key: key, value: Bytes.bigEndian(checkpoint.size) + checkpoint.root.bytes)
            return checkpoint
        }
    }

    /// 8-byte big-endian size, then the 32-byte root.
    static func decode(_ value: [UInt8]?) -> (size: UInt64, root: TreeHash)? {
        guard let value, value.count == 40, let size = Bytes.readBigEndian(Array(value[0..<8])), let root = TreeHash(bytes: Array(value[8...])) else { return nil }
        return (size, root)
    }
}
