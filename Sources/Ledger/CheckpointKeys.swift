import LedgerValues
import Transparency

/// The keys that may sign this ledger's checkpoints, folded from the `checkpoint-keys`
/// stream (Schemas/README.md §11.4): registered by an administrator, retired when rotated.
/// A retired key signs nothing new, but the checkpoints it signed before stay the ledger's.
public struct CheckpointKeys: Sendable, Equatable {
    public static let stream = "checkpoint-keys"

    public struct Entry: Sendable, Equatable {
        public let key: NoteVerifierKey
        /// The position of the event that registered it, and of the one that retired it.
        public let registeredAt: UInt64
        public var retiredAt: UInt64?
    }

    public private(set) var entries: [Entry] = []

    public init() {}

    /// The log's name: the origin of every registered key.
    public var origin: String? { entries.first?.key.name }
    /// The keys that sign now.
    public var active: [NoteVerifierKey] { entries.filter { $0.retiredAt == nil }.map(\.key) }
    /// Every key the ledger ever registered, for checking checkpoints signed before a rotation.
    public var all: [NoteVerifierKey] { entries.map(\.key) }

    /// The events and their payloads.
    public enum Event: Sendable, Equatable {
        case registered(NoteVerifierKey)
        case retired(NoteVerifierKey)

        public var type: String {
            switch self {
            case .registered: "CheckpointKeyRegistered"
            case .retired: "CheckpointKeyRetired"
            }
        }

        public var payload: JSONValue {
            switch self {
            case .registered(let key), .retired(let key): .object(["vkey": .string(key.vkey)])
            }
        }

        /// `nil` for an event type of another stream's.
        public init?(type: String, payload: JSONValue) throws {
            guard type == "CheckpointKeyRegistered" || type == "CheckpointKeyRetired" else { return nil }
            guard let text = payload["vkey"]?.stringValue else { throw CheckpointError.malformedKeyEvent(type) }
            let key = try NoteVerifierKey(vkey: text)
            self = type == "CheckpointKeyRegistered" ? .registered(key) : .retired(key)
        }
    }

    public mutating func evolve(_ event: Event, at position: UInt64) {
        switch event {
        case .registered(let key): entries.append(Entry(key: key, registeredAt: position))
        case .retired(let key):
            if let index = entries.firstIndex(where: { $0.key == key && $0.retiredAt == nil }) { entries[index].retiredAt = position }
        }
    }

    /// Whether registering `key` may be recorded: a log key (type 0x01), new to the ledger,
    /// naming the log's origin once there is one.
    public func decide(register key: NoteVerifierKey) throws -> Event {
        guard key.type == .ed25519 else { throw CheckpointError.notALogKey(key.vkey) }
        guard !entries.contains(where: { $0.key == key }) else { throw CheckpointError.keyAlreadyRegistered(key.vkey) }
        if let origin, origin != key.name { throw CheckpointError.originMismatch(log: origin, key: key.name) }
        return .registered(key)
    }

    public func decide(retire key: NoteVerifierKey) throws -> Event {
        guard let entry = entries.first(where: { $0.key == key }) else { throw CheckpointError.keyNotRegistered(key.vkey) }
        guard entry.retiredAt == nil else { throw CheckpointError.keyRetired(key.vkey, at: entry.retiredAt!) }
        return .retired(key)
    }
}

/// Why a checkpoint, or a checkpoint key, is refused.
public enum CheckpointError: Error, Equatable, Sendable, CategorizedError {
    case malformedKeyEvent(String)
    case notALogKey(String)
    case keyAlreadyRegistered(String)
    case originMismatch(log: String, key: String)
    case keyNotRegistered(String)
    case keyRetired(String, at: UInt64)
    /// The checkpoint's tree is larger than the ledger: events it covered are missing.
    case beyondLedger(size: UInt64, head: UInt64)
    /// The ledger's root at the checkpoint's size is another: its history differs.
    case forked(size: UInt64, checkpointRoot: String, ledgerRoot: String)
    /// The checkpoint is not a good checkpoint of a key the ledger registered.
    case notTheLedgers(String)

    public var description: String {
        switch self {
        case .malformedKeyEvent(let type): "a \(type) event has no readable vkey"
        case .notALogKey(let vkey): "\(vkey) is not a log's signing key (type 0x01, Ed25519): a witness's cosigning key cannot sign checkpoints"
        case .keyAlreadyRegistered(let vkey): "the key \(vkey) is already registered; nothing was written"
        case .originMismatch(let log, let key):
            "this ledger's checkpoints are for the log \(log.debugDescription), but the key is named \(key.debugDescription): a key's name is the log's origin; nothing was written"
        case .keyNotRegistered(let vkey): "the key \(vkey) is not registered in this ledger (svledger checkpoint key register)"
        case .keyRetired(let vkey, let position): "the key \(vkey) was retired at position \(position) and signs no new checkpoint"
        case .beyondLedger(let size, let head):
            "the checkpoint is for a tree of \(size) events, but this ledger holds \(head): events the council published at that checkpoint are missing (a truncated ledger, or another ledger)"
        case .forked(let size, let checkpointRoot, let ledgerRoot):
            "the checkpoint states root \(checkpointRoot) at tree size \(size), but this ledger's tree has root \(ledgerRoot) there: its history differs from the one the council published (changed, rebuilt or another ledger)"
        case .notTheLedgers(let why): why
        }
    }

    public var kind: String {
        switch self {
        case .malformedKeyEvent: "malformed-key-event"
        case .notALogKey: "not-a-log-key"
        case .keyAlreadyRegistered: "checkpoint-key-registered"
        case .originMismatch: "checkpoint-origin-mismatch"
        case .keyNotRegistered: "checkpoint-key-unknown"
        case .keyRetired: "checkpoint-key-retired"
        case .beyondLedger: "checkpoint-beyond-ledger"
        case .forked: "checkpoint-fork"
        case .notTheLedgers: "checkpoint-not-verified"
        }
    }

    public var category: ErrorCategory {
        switch self {
        case .malformedKeyEvent, .beyondLedger, .forked, .notTheLedgers: .integrity
        case .notALogKey: .input
        case .keyAlreadyRegistered, .originMismatch, .keyRetired: .refused
        case .keyNotRegistered: .notFound
        }
    }
}
