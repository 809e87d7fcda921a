import EventStore
import LedgerValues
import SocialValue

/// A follower's side of replication: events its primary recorded, appended byte for byte with
/// the evidence files they cite, and the promotion that makes it a primary (docs/operations.md,
/// "More than one machine").
extension Ledger {
    /// The stream of the ledger's own history as a replica.
    public static let replicationStream = "replication"
    /// The event recording that a follower became a primary.
    public static let promotedEventType = "FollowerPromoted"

    /// An evidence file that a replicated event cites, and the contract stream it is kept for.
    public struct CitedFile: Sendable, Hashable {
        public let stream: String
        public let contract: String
        public let file: EvidenceFile
    }

    /// The files `events` cite that this ledger does not keep yet: what a follower fetches from
    /// its primary before it appends them.
    public func evidenceToFetch(_ events: [ReplicatedEvent]) throws -> [CitedFile] {
        let citing = events.filter { Self.mayCiteFiles($0.canonical) }
        guard !citing.isEmpty else { return [] }
        return try store.read { reader in
            var wanted: [CitedFile] = []
            for offered in citing {
                guard let (stream, contract, event) = try Self.contractEvent(offered) else { continue }
                for file in event.evidenceFiles {
                    guard let digest = EvidenceIntake.digest(file.sha256), try !reader.hasEvidence(digest, stream: stream) else { continue }
                    let cited = CitedFile(stream: stream, contract: contract, file: file)
                    if !wanted.contains(cited) { wanted.append(cited) }
                }
            }
            return wanted
        }
    }

    /// Appends events its primary recorded (``EventStore/appendReplicated(_:within:)``), and in
    /// the same transaction keeps the bytes of the files they cite and erases those they erase.
    /// A cited file whose bytes are not in `files` is left out: its primary no longer has it,
    /// and the erasure that removed it there is later in the log.
    /// - Parameter files: file bytes by SHA-256 (lowercase hex), each checked against the line
    ///   that cites it as a command's would be.
    @discardableResult
    public func appendReplicated(_ events: [ReplicatedEvent], files: [String: [UInt8]] = [:]) throws -> LedgerHead {
        try store.appendReplicated(events) { reader, _ in
            for offered in events where Self.mayCiteFiles(offered.canonical) || Self.mayErase(offered.canonical) {
                guard let (stream, _, event) = try Self.contractEvent(offered) else { continue }
                for file in event.evidenceFiles {
                    guard let bytes = files[file.sha256] else { continue }
                    guard EvidenceIntake.hex(EventStore.evidenceDigest(bytes)) == file.sha256 else {
                        throw DomainError(.evidenceFile, "the bytes sent for evidence file \(DisplayText.quoted(file.name)) do not have its SHA-256 \(file.sha256)")
                    }
                    try EvidenceIntake.check(file, against: bytes)
                    try reader.storeEvidence(bytes, stream: stream)
                }
                if case .evidenceErased(let erasure) = event, let digest = EvidenceIntake.digest(erasure.sha256) {
                    try reader.eraseEvidence(digest, stream: stream)
                }
            }
        }
    }

    /// Records that this follower is now a primary, and stops it following, in one transaction.
    /// - Parameters:
    ///   - caughtUp: whether the last attempt to catch up with the former primary reached its head.
    /// - Throws: ``PromotionError/notAFollower`` for a ledger that follows nothing.
    @discardableResult
    public func recordPromotion(caughtUp: Bool, actor: ActorIdentity, reason: String?, today: CalendarDate) throws -> Outcome {
        let (result, _) = try store.append(planning: { reader -> (appends: [StreamAppend], plan: Void) in
            guard let primary = try reader.followedPrimary() else { throw PromotionError.notAFollower }
            let head = try reader.head()
            let event = ProposedEvent(
                eventType: Self.promotedEventType, effectiveDate: today, actor: actor, reason: reason,
                payload: [
                    "formerPrimary": .string(primary), "caughtUp": .bool(caughtUp),
                    "lastReplicated": ["position": .integer(Int64(head.position)), "hash": .string(head.hash.hex)],
                ])
            let version = try reader.streamVersion(Self.replicationStream)
            return ([StreamAppend(streamId: Self.replicationStream, expectedVersion: version == 0 ? .noStream : .exact(version), events: [event])], ())
        }, within: { reader, _ in try reader.setFollowedPrimary(nil) }, promoting: true)
        let recorded = try store.read { reader in try result.positions.compactMap { try reader.event(at: $0) } }
        return Outcome(recorded: recorded, positions: result.positions, head: result.head, wasAlreadyRecorded: false)
    }

    /// Canonical JSON has no spaces, so an event citing a file holds these bytes; an event
    /// that does not is not decoded to look.
    static func mayCiteFiles(_ canonical: [UInt8]) -> Bool { Bytes.contains(citesFiles, in: canonical) }
    static func mayErase(_ canonical: [UInt8]) -> Bool { Bytes.contains(erases, in: canonical) }
    private static let citesFiles = Array(#""evidenceFiles":[{"#.utf8)
    private static let erases = Array(#""eventType":"EvidenceErased""#.utf8)

    /// The contract event a replicated event holds, with its stream and contract; `nil` for
    /// an event of another stream.
    static func contractEvent(_ offered: ReplicatedEvent) throws -> (stream: String, contract: String, event: ContractEvent)? {
        let recorded = try offered.canonical.withUnsafeBytes { bytes throws(EnvelopeDecodingError) in
            try RecordedEvent(canonical: bytes, hash: offered.hash)
        }
        guard let contract = ContractEvent.reference(ofStream: recorded.streamId),
            let event = try ContractEvent(type: recorded.eventType, payload: recorded.payload)
        else { return nil }
        return (recorded.streamId, contract, event)
    }
}

/// Why a ledger could not be promoted.
public enum PromotionError: Error, Sendable, CustomStringConvertible {
    case notAFollower

    public var description: String {
        switch self {
        case .notAFollower: "this ledger follows no primary (it records its own commands already): there is nothing to promote"
        }
    }
}
