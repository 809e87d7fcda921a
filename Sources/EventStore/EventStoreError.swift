import Foundation
import LedgerValues
import LMDB
/// Why the event store refused an operation. Every refusal leaves the ledger unchanged.
public enum EventStoreError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The stream's version is not what the caller expected.
    case wrongExpectedVersion(stream: String, expected: ExpectedVersion, actual: UInt64)
    /// An event id already recorded with different content.
    case eventIdReused(EventID, position: UInt64)
    /// Part of a batch was recorded before and part was not: a retry must resend the same batch.
    case partialRetry(recorded: [EventID], new: [EventID])
    /// The same id twice in one append.
    case duplicateEventIdInBatch(EventID)
    case invalidStreamId(String, reason: String)
    case invalidEvent(EventID, reason: String)
    /// The directory holds no ledger, or something that is not one.
    case notALedger(path: String, reason: String)
    /// A ledger already exists where one was to be created.
    case alreadyExists(path: String)
    /// The clock reads a time the envelope's format cannot hold (before 1000 or after 9999).
    case clockOutOfRange(Timestamp)
    /// The ledger's last event was recorded later than this machine's clock, by more than
    /// ``EventStore/clockTolerance``: recording now would pin every later time to it.
    case clockBehindLedger(lastRecordedAt: Timestamp, now: Timestamp)
    /// An envelope about to be written does not decode to what was meant: nothing is written.
    case envelopeDoesNotReadBack(position: UInt64, reason: String)
    /// A ledger written before the Merkle tree, opened read-only: it has no tree until it is
    /// opened for writing once.
    case noMerkleTree(path: String)
    /// The ledger's head is not past the last checkpoint it signed: signing it again, or
    /// anything smaller, could give two checkpoints that disagree.
    case checkpointNotNewer(signedSize: UInt64, headSize: UInt64)
    /// The tree no longer has the root the ledger last signed at that size: its history changed.
    case checkpointInconsistent(size: UInt64, signed: String, now: String)
    /// The ledger follows a primary (`meta`/`follows`): it takes that primary's events, and
    /// records no command of its own.
    case followerRecordsNothing(primary: String)
    /// Another ledger's events offered to a ledger that follows none: a primary (or a former
    /// one) takes no other's events as its own continuation without an operator's step.
    case notAFollower

    public var description: String {
        switch self {
        case .wrongExpectedVersion(let stream, let expected, let actual):
            let current = actual == 0 ? "does not exist" : "is at version \(actual)"
            return "concurrency conflict on stream \"\(stream)\": expected \(expected), but the stream \(current); nothing was written"
        case .eventIdReused(let id, let position):
            return "event id \(id) was already recorded at position \(position) with different content; nothing was written"
        case .partialRetry(let recorded, let new):
            return "batch mixes \(recorded.count) already-recorded event id(s) (first \(recorded[0])) with \(new.count) new one(s); a retry must resend the original batch unchanged"
        case .duplicateEventIdInBatch(let id):
            return "event id \(id) appears twice in one append"
        case .invalidStreamId(let stream, let reason):
            return "invalid stream id \"\(stream)\": \(reason)"
        case .invalidEvent(let id, let reason):
            return "invalid event \(id): \(reason)"
        case .notALedger(let path, let reason):
            return "\(path) is not an svledger ledger: \(reason)"
        case .alreadyExists(let path):
            return "a ledger already exists at \(path)"
        case .clockOutOfRange(let now):
            return "this machine's clock reads \(now.millisecondsSinceEpoch) ms since 1970, outside the years 1000 to 9999 that a recorded time can hold; set the clock right, nothing was written"
        case .clockBehindLedger(let last, let now):
            return "the ledger's last event was recorded at \(last), later than this machine's clock (\(now)); set the clock right, or see docs/operations.md \"A clock that disagrees with the ledger\"; nothing was written"
        case .envelopeDoesNotReadBack(let position, let reason):
            return "the envelope for position \(position) would not read back (\(reason)); nothing was written"
        case .noMerkleTree(let path):
            return "the ledger at \(path) was written before svledger kept a Merkle tree, and it is open read-only: open it for writing once (any write command, or `svledger verify` without --read-only) to make the tree"
        case .checkpointNotNewer(let signed, let head):
            return "the ledger last signed a checkpoint at tree size \(signed), and its head is at size \(head): a new checkpoint must be for a larger tree (append something first); nothing was signed"
        case .checkpointInconsistent(let size, let signed, let now):
            return "the ledger signed root \(signed) at tree size \(size), but its tree now has root \(now) there: the history it published has changed since; nothing was signed (run `svledger verify`)"
        case .followerRecordsNothing(let primary):
            return "this ledger follows \(primary) and records only what that primary recorded: send the command to the primary, or promote this ledger first (`svledger promote`); nothing was written"
        case .notAFollower:
            return "this ledger records its own commands, so it takes no other ledger's events as its continuation: follow into a new folder, or rejoin deliberately (`svledger follow --rejoin`, docs/operations.md); nothing was written"
        }
    }
}

extension EventStoreError: CategorizedError {
    public var kind: String {
        switch self {
        case .wrongExpectedVersion: "concurrency-conflict"
        case .eventIdReused: "event-id-reused"
        case .partialRetry: "partial-retry"
        case .duplicateEventIdInBatch: "duplicate-event-id"
        case .invalidStreamId: "invalid-stream-id"
        case .invalidEvent: "invalid-event"
        case .notALedger: "not-a-ledger"
        case .alreadyExists: "ledger-exists"
        case .clockOutOfRange: "clock-out-of-range"
        case .clockBehindLedger: "clock-behind-ledger"
        case .envelopeDoesNotReadBack: "envelope-unreadable"
        case .noMerkleTree: "no-merkle-tree"
        case .checkpointNotNewer: "checkpoint-not-newer"
        case .checkpointInconsistent: "checkpoint-inconsistent"
        case .followerRecordsNothing: "read-only-follower"
        case .notAFollower: "not-a-follower"
        }
    }

    public var category: ErrorCategory {
        switch self {
        case .wrongExpectedVersion: .conflict
        case .eventIdReused, .partialRetry, .alreadyExists, .clockOutOfRange, .clockBehindLedger: .refused
        case .envelopeDoesNotReadBack: .internal
        case .checkpointInconsistent: .integrity
        case .noMerkleTree, .checkpointNotNewer, .followerRecordsNothing, .notAFollower: .refused
        case .duplicateEventIdInBatch, .invalidStreamId, .invalidEvent: .input
        case .notALedger: .notFound
        }
    }
}

extension ReplicationRefusal: CategorizedError {
    public var kind: String { "replication-refused" }
    public var category: ErrorCategory { .integrity }
}

extension VerificationFailure: CategorizedError {
    public var kind: String { "verification-failed" }
    public var category: ErrorCategory { .integrity }
}

extension EnvelopeDecodingError: CategorizedError {
    public var kind: String { "undecodable-envelope" }
    public var category: ErrorCategory { .integrity }
}

// LMDB knows nothing of svledger's contract; the log, its one user, classifies its errors.
extension LMDBError: CategorizedError {
    /// `storage-full` for a full disk or quota (a server answers it 507), `storage` otherwise.
    public var kind: String { code == ENOSPC || code == EDQUOT ? "storage-full" : "storage" }
    public var category: ErrorCategory { .storage }
}

extension EnvironmentFileProblem: CategorizedError {
    public var kind: String {
        switch self {
        case .notARegularFile, .hardLinked: "ledger-file-linked"
        case .truncated: "ledger-file-truncated"
        case .lockFileSpace: "storage-full"
        }
    }

    public var category: ErrorCategory {
        switch self {
        case .truncated: .integrity
        case .notARegularFile, .hardLinked, .lockFileSpace: .storage
        }
    }
}
