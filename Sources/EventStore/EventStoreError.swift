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
        }
    }

    public var category: ErrorCategory {
        switch self {
        case .wrongExpectedVersion: .conflict
        case .eventIdReused, .partialRetry, .alreadyExists: .refused
        case .duplicateEventIdInBatch, .invalidStreamId, .invalidEvent: .input
        case .notALedger: .notFound
        }
    }
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
    public var kind: String { "storage" }
    public var category: ErrorCategory { .storage }
}
