import Access
import EventStore
import LMDB
import Synchronization
import LedgerValues
import Transparency

/// Signing on commit: the key, and when it last signed.
final class CommitSigning: Sendable {
    let key: NoteSigningKey
    let interval: Duration
    let onFailure: @Sendable (any Error) -> Void
    private let last = Mutex<ContinuousClock.Instant?>(nil)

    init(key: NoteSigningKey, interval: Duration, onFailure: @escaping @Sendable (any Error) -> Void) {
        self.key = key
        self.interval = interval
        self.onFailure = onFailure
    }

    func isDue() -> Bool { last.withLock { $0.map { ContinuousClock.now - $0 >= interval } ?? true } }
    func signed() { last.withLock { $0 = ContinuousClock.now } }
}

/// Checkpoints: the ledger's Merkle tree head, signed with a key the ledger registered, and
/// checked against the tree by anyone holding the ledger (Schemas/README.md §11).
extension Ledger {
    /// The keys registered to sign this ledger's checkpoints, as of the head.
    public func checkpointKeys() throws -> CheckpointKeys {
        try store.read { try Self.checkpointKeys($0).keys }
    }

    static func checkpointKeys(_ reader: LedgerReader) throws -> (keys: CheckpointKeys, version: UInt64) {
        var keys = CheckpointKeys()
        var version: UInt64 = 0
        try reader.forEachEvent(inStream: CheckpointKeys.stream) { recorded in
            if let event = try CheckpointKeys.Event(type: recorded.eventType, payload: recorded.payload) {
                keys.evolve(event, at: recorded.position)
            }
            version = recorded.streamVersion
            return true
        }
        return (keys, version)
    }

    /// Records that `key` signs this ledger's checkpoints, or that it no longer does.
    /// Only an administrator does, once the ledger has one (before, whoever sets it up).
    @discardableResult
    public func recordCheckpointKey(_ key: NoteVerifierKey, retiring: Bool = false, actor: ActorIdentity, reason: String?, today: CalendarDate) throws -> Outcome {
        let access = try accessState()
        if access.hasAdministrator, access.grant(of: actor.id, .administrator) == nil {
            throw AccessError(.notAnAdministrator, "\(actor.id) is not an administrator of this ledger, and only an administrator registers or retires checkpoint keys")
        }
        let (keys, version) = try store.read { try Self.checkpointKeys($0) }
        let event = retiring ? try keys.decide(retire: key) : try keys.decide(register: key)
        let proposed = ProposedEvent(eventType: event.type, effectiveDate: today, actor: actor, reason: reason, payload: event.payload)
        return try append([StreamAppend(
            streamId: CheckpointKeys.stream, expectedVersion: version == 0 ? .noStream : .exact(version), events: [proposed])])
    }

    /// Signs the head with `key`, which must be registered and not retired.
    /// - Throws: ``CheckpointError`` for a key the ledger does not let sign, and the store's
    ///   refusals (a head already signed, a tree that no longer has the root it signed).
    public func signCheckpoint(with key: NoteSigningKey) throws -> SignedCheckpoint {
        try store.signCheckpoint(origin: key.verifier.name, key: key) { reader in try Self.authorize(key, reader) }
    }

    /// Throws unless `key` is registered in the ledger and not retired.
    public func checkRegistered(_ key: NoteSigningKey) throws {
        try store.read { try Self.authorize(key, $0) }
    }

    /// The key must be registered in the ledger and not retired.
    static func authorize(_ key: NoteSigningKey, _ reader: LedgerReader) throws {
        let keys = try Self.checkpointKeys(reader).keys
        guard let entry = keys.entries.first(where: { $0.key == key.verifier }) else {
            throw CheckpointError.keyNotRegistered(key.verifier.vkey)
        }
        if let retired = entry.retiredAt { throw CheckpointError.keyRetired(key.verifier.vkey, at: retired) }
    }

    /// Has every commit sign its own head, in its own transaction, at most once per `interval`
    /// (zero: every commit), with `key`; `nil` stops it. A commit is never refused for its
    /// checkpoint: a signature that cannot be made is left for the next commit, and reported.
    public func signCheckpointsOnCommit(with key: NoteSigningKey?, every interval: Duration = .zero, onFailure: @escaping @Sendable (any Error) -> Void = { _ in }) {
        checkpointing.withLock { $0 = key.map { CommitSigning(key: $0, interval: interval, onFailure: onFailure) } }
    }

    /// In a commit's transaction: signs its head when signing on commit is on and due.
    /// - Throws: only a storage error (the map full: the store grows it and runs the commit
    ///   again), which leaves the transaction unusable; any other failure is reported instead.
    func signIfDue(_ reader: LedgerReader) throws {
        guard let signing = checkpointing.withLock({ $0 }), signing.isDue() else { return }
        do {
            try Self.authorize(signing.key, reader)
            _ = try reader.signCheckpoint(origin: signing.key.verifier.name, key: signing.key)
            signing.signed()
        } catch let error as LMDBError {
            throw error
        } catch {
            signing.onFailure(error)
        }
    }

    /// What a checkpoint shows about this ledger.
    public struct CheckpointFinding: Sendable {
        public let checkpoint: SignedCheckpoint
        /// The registered key whose signature verified.
        public let signer: NoteVerifierKey
        public let head: LedgerHead
        /// The consistency proof from the checkpoint's size to the head.
        public let proof: [TreeHash]
        public let root: TreeHash
    }

    /// Checks that `checkpoint` is signed by `key` (or, without one, by a key this ledger
    /// registered) and that this ledger's tree extends it: its size is at most the head's and
    /// the root at its size is the one it states.
    /// - Throws: ``CheckpointError`` or ``NoteError`` naming what does not hold.
    public func check(_ checkpoint: SignedCheckpoint, key: NoteVerifierKey? = nil) throws -> CheckpointFinding {
        try store.read { reader in
            let candidates = try key.map { [$0] } ?? Self.checkpointKeys(reader).keys.all
            guard !candidates.isEmpty else {
                throw CheckpointError.notTheLedgers("this ledger has registered no checkpoint key, and none was given (--vkey)")
            }
            var signer: NoteVerifierKey?
            var failures: [String] = []
            for candidate in candidates {
                do {
                    try checkpoint.verify(logKey: candidate)
                    signer = candidate
                    break
                } catch let error as NoteError {
                    // A trusted key whose signature is present but wrong: the note was altered.
                    if case .badSignature = error { throw CheckpointError.notTheLedgers(error.description) }
                    failures.append(error.description)
                }
            }
            guard let signer else {
                throw CheckpointError.notTheLedgers(
                    key == nil ? "no key this ledger registered signed the checkpoint: \(failures.first ?? "")" : failures.first ?? "not signed")
            }
            let tree = try reader.merkleTree()
            let size = checkpoint.checkpoint.size
            guard size <= tree.size else { throw CheckpointError.beyondLedger(size: size, head: tree.size) }
            let rootThen = try tree.root(size: size)
            guard rootThen == checkpoint.checkpoint.root else {
                throw CheckpointError.forked(size: size, checkpointRoot: checkpoint.checkpoint.root.base64, ledgerRoot: rootThen.base64)
            }
            return CheckpointFinding(
                checkpoint: checkpoint, signer: signer, head: try reader.head(),
                proof: size == 0 ? [] : try tree.consistencyProof(from: size, to: tree.size), root: try tree.root(size: tree.size))
        }
    }
}
