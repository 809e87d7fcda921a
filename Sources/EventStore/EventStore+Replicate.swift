import LedgerValues
import LMDB
import Transparency

/// One event exactly as another ledger recorded it: its canonical envelope bytes and the chain
/// hash it was stored with (a line of `GET /log`, its `hash` member taken out).
public struct ReplicatedEvent: Sendable, Equatable {
    public let canonical: [UInt8]
    public let hash: ChainHash

    public init(canonical: [UInt8], hash: ChainHash) {
        self.canonical = canonical
        self.hash = hash
    }

    /// An event this ledger recorded, as another ledger would receive it.
    public init(_ recorded: RecordedEvent) {
        self.init(canonical: recorded.envelope.canonicalBytes, hash: recorded.hash)
    }
}

extension ReplicatedEvent {
    /// The event these bytes hold, if they continue the chain that ends at `head` exactly as
    /// `svledger verify` checks it (Schemas/README.md §5, checks 1 to 7): the next position, the
    /// head's hash as its previous hash, a hash that is SHA-256 of that and these bytes,
    /// canonical bytes of a valid event, a time not before `lastRecordedAt`, and the version
    /// after the one `streamVersion` gives for its stream. Whoever stores it checks that the
    /// event id is new.
    /// - Throws: ``ReplicationRefusal`` naming the position and what does not hold, or what
    ///   `streamVersion` throws.
    public func checked(
        continuing head: LedgerHead, lastRecordedAt: Timestamp?, streamVersion: (String) throws -> UInt64
    ) throws -> RecordedEvent {
        let position = head.position + 1
        func refuse(_ problem: String) -> ReplicationRefusal { ReplicationRefusal(position: position, problem: problem) }
        let event: RecordedEvent
        do {
            event = try canonical.withUnsafeBytes { bytes throws(EnvelopeDecodingError) in try RecordedEvent(canonical: bytes, hash: hash) }
        } catch {
            throw refuse("the event does not decode: \(error)")
        }
        guard event.position == position else { throw refuse("the event says it is at position \(event.position)") }
        guard event.previousHash == head.hash else {
            throw refuse("its previous hash is \(event.previousHash.hex), but event \(head.position) has hash \(head.hash.hex): the two histories differ")
        }
        guard ChainHash.link(previous: head.hash, canonical: canonical) == hash else {
            throw refuse("its bytes do not hash to the hash it was sent with (\(hash.hex)): the event was altered")
        }
        let encoded = RecordedEvent.envelope(
            event: event.event, streamId: event.streamId, position: position, streamVersion: event.streamVersion,
            recordedAt: event.recordedAt, previousHash: head.hash
        ).canonicalBytes
        guard encoded == canonical else { throw refuse("its bytes are not the canonical form of the event they hold") }
        if let problem = StreamKeys.problem(with: event.streamId) { throw refuse("stream id \(DisplayText.quoted(event.streamId)): \(problem)") }
        if let problem = EventStore.problem(with: event.event) { throw refuse(problem) }
        if let lastRecordedAt, event.recordedAt < lastRecordedAt {
            throw refuse("it was recorded at \(event.recordedAt), before the event before it (\(lastRecordedAt))")
        }
        let current = try streamVersion(event.streamId)
        guard event.streamVersion == current + 1 else {
            throw refuse("it is version \(event.streamVersion) of stream \(DisplayText.quoted(event.streamId)), which is at version \(current)")
        }
        return event
    }
}

/// Why events offered by another ledger were not appended: the first one that would not
/// continue this ledger's chain, and why. Nothing of the batch was written.
public struct ReplicationRefusal: Error, Equatable, Sendable, CustomStringConvertible {
    /// The position the event was offered for (this ledger's head + 1, …).
    public let position: UInt64
    public let problem: String

    public init(position: UInt64, problem: String) {
        self.position = position
        self.problem = problem
    }

    public var description: String { "position \(position): \(problem); nothing from it on was appended" }
}

extension EventStore {
    /// Appends events recorded by another ledger, byte for byte, in one durable transaction: all
    /// of them or none. Each must continue this ledger's chain exactly as `svledger verify`
    /// checks it (Schemas/README.md §5, checks 1 to 9): the next position, the hash of this
    /// ledger's head as its previous hash, a stored hash that is SHA-256 of that and its bytes,
    /// canonical bytes that decode to a valid event, a time not before the last, the next
    /// version of its stream, and an event id not yet used. So a follower never holds an
    /// event its primary did not sign into the same chain, and never two histories.
    ///
    /// - Parameter within: runs in the same transaction after the events are placed (a
    ///   follower keeps the evidence files they cite there).
    /// Only a ledger that follows a primary (``LedgerReader/followedPrimary()``) takes them.
    /// - Throws: ``ReplicationRefusal`` for the first event that does not continue the chain;
    ///   ``EventStoreError/notAFollower``.
    @discardableResult
    public func appendReplicated(
        _ events: [ReplicatedEvent], within: ((LedgerReader, [RecordedEvent]) throws -> Void)? = nil
    ) throws -> LedgerHead {
        try environment.write { txn in
            let reader = LedgerReader(store: self, transaction: txn)
            guard try reader.followedPrimary() != nil else { throw EventStoreError.notAFollower }
            var head = try reader.head()
            guard !events.isEmpty else { return head }
            var lastRecordedAt = try reader.event(at: head.position)?.recordedAt
            var versions: [String: UInt64] = [:]
            var recorded: [RecordedEvent] = []
            for offered in events {
                let event = try offered.checked(continuing: head, lastRecordedAt: lastRecordedAt) { stream in
                    try versions[stream] ?? reader.streamVersion(stream)
                }
                if let earlier = try reader.position(of: event.eventId) {
                    throw ReplicationRefusal(position: event.position, problem: "its event id \(event.eventId) is already recorded at position \(earlier)")
                }
                try place(offered.canonical, as: event, in: txn)
                versions[event.streamId] = event.streamVersion
                lastRecordedAt = event.recordedAt
                head = LedgerHead(position: event.position, hash: offered.hash)
                recorded.append(event)
            }
            try txn.put(meta, key: Array("head".utf8), value: head.storedBytes)
            try within?(reader, recorded)
            return head
        }
    }
}

extension LedgerReader {
    static let followsKey = Array("follows".utf8)

    /// The primary this ledger follows (`meta`/`follows`: its URL), or `nil` for a ledger that
    /// records its own commands. `svledger follow` sets it on the ledger it creates, and
    /// `svledger promote` clears it in the transaction that records the promotion.
    public func followedPrimary() throws -> String? {
        try transaction.get(store.meta, key: Self.followsKey).map { String(decoding: $0, as: UTF8.self) }
    }

    /// Sets or clears `meta`/`follows`, in this write transaction.
    public func setFollowedPrimary(_ url: String?) throws {
        if let url {
            try transaction.put(store.meta, key: Self.followsKey, value: Array(url.utf8))
        } else {
            _ = try transaction.delete(store.meta, key: Self.followsKey)
        }
    }
}

extension EventStore {
    /// Names `url` as the primary this ledger follows, in one transaction: it must follow one
    /// already (the primary's address changed), or be taken over deliberately
    /// (`takingOver`: a new follower's ledger, or `follow --rejoin`). A ledger promoted while a
    /// follower still ran is not made to follow again.
    /// - Throws: ``EventStoreError/notAFollower``.
    public func adoptPrimary(_ url: String, takingOver: Bool) throws {
        try environment.write { txn in
            let reader = LedgerReader(store: self, transaction: txn)
            let current = try reader.followedPrimary()
            if current == url { return }
            guard current != nil || takingOver else { throw EventStoreError.notAFollower }
            try reader.setFollowedPrimary(url)
        }
    }

    /// As ``LedgerReader/setFollowedPrimary(_:)``, in a transaction of its own.
    public func setFollowedPrimary(_ url: String?) throws {
        try environment.write { txn in try LedgerReader(store: self, transaction: txn).setFollowedPrimary(url) }
    }

    /// Keeps a checkpoint that the ledger's primary signed, once checked, as this ledger's last
    /// signed one (`meta`/`checkpoint`), when it is newer than the one kept and the tree has
    /// its root at its size: a follower promoted later never signs a checkpoint that
    /// contradicts one its primary published.
    /// - Returns: whether it was kept.
    @discardableResult
    public func keepPrimaryCheckpoint(_ signed: SignedCheckpoint) throws -> Bool {
        try environment.write { txn in
            let reader = LedgerReader(store: self, transaction: txn)
            if let last = try reader.lastCheckpoint()?.checkpoint, last.size >= signed.checkpoint.size { return false }
            let tree = try reader.merkleTree()
            guard signed.checkpoint.size <= tree.size, try tree.root(size: signed.checkpoint.size) == signed.checkpoint.root else { return false }
            try txn.put(meta, key: Self.checkpointKey, value: Array(signed.serialized.utf8))
            return true
        }
    }
}
