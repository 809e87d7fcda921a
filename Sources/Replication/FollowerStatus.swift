import EventStore
import Foundation
import LedgerValues

/// Where a follower stands, written beside its ledger (`follower.json`) after every poll of
/// its primary, so that `svledger serve --read-only` can say how far behind it is. Advisory:
/// the ledger itself, not this file, is the truth about what it holds.
public struct FollowerStatus: Sendable, Equatable {
    public static let fileName = "follower.json"

    public var primary: String
    /// The follower's head after the poll.
    public var head: LedgerHead
    /// The primary's head as last read (its `GET /healthz`).
    public var primaryHead: UInt64
    /// When the follower last held everything its primary held.
    public var caughtUpAt: Timestamp?
    /// When the primary last answered.
    public var checkedAt: Timestamp?
    /// The size of the last checkpoint of the primary's that the follower checked.
    public var checkpointSize: UInt64?
    /// Why the last poll failed, if it did.
    public var problem: String?

    public init(primary: String, head: LedgerHead, primaryHead: UInt64) {
        self.primary = primary
        self.head = head
        self.primaryHead = primaryHead
    }

    /// Events the primary held at its last answer that the follower does not.
    public var lagEvents: UInt64 { primaryHead > head.position ? primaryHead - head.position : 0 }

    /// Seconds since the follower last held everything its primary held (`nil`: never).
    public func lagSeconds(now: Timestamp) -> Double? {
        caughtUpAt.map { max(0, Double(now.millisecondsSinceEpoch - $0.millisecondsSinceEpoch) / 1000) }
    }

    public var json: JSONValue {
        [
            "primary": .string(primary), "head": head.json, "primaryHead": .integer(Int64(primaryHead)),
            "caughtUpAt": caughtUpAt.map { .string($0.description) } ?? .null,
            "checkedAt": checkedAt.map { .string($0.description) } ?? .null,
            "checkpointSize": checkpointSize.map { .integer(Int64($0)) } ?? .null,
            "problem": problem.map { .string($0) } ?? .null,
        ]
    }

    public init(json: JSONValue) throws {
        func string(_ key: String) -> String? { if case .string(let text)? = json[key] { text } else { nil } }
        func integer(_ key: String) -> UInt64? { if case .integer(let number)? = json[key], number >= 0 { UInt64(number) } else { nil } }
        guard let primary = string("primary"), let primaryHead = integer("primaryHead"), case .object(let head)? = json["head"],
            case .integer(let position)? = head["position"], case .string(let hex)? = head["hash"], let hash = ChainHash(hex: hex)
        else { throw FollowerStatusUnreadable() }
        self.init(primary: primary, head: LedgerHead(position: UInt64(position), hash: hash), primaryHead: primaryHead)
        caughtUpAt = string("caughtUpAt").flatMap(Timestamp.init)
        checkedAt = string("checkedAt").flatMap(Timestamp.init)
        checkpointSize = integer("checkpointSize")
        problem = string("problem")
    }

    /// Reads the status beside the ledger in `directory`; `nil` when there is none.
    public static func read(ledgerDirectory directory: String) -> FollowerStatus? {
        let path = (directory as NSString).appendingPathComponent(fileName)
        guard let data = FileManager.default.contents(atPath: path), let json = try? JSONValue(parsing: Array(data)) else { return nil }
        return try? FollowerStatus(json: json)
    }

    /// Replaces the file whole (written aside, then renamed): a reader never sees half of it.
    public func write(ledgerDirectory directory: String) throws {
        let path = (directory as NSString).appendingPathComponent(Self.fileName)
        try Data(json.canonicalBytes).write(to: URL(fileURLWithPath: path), options: .atomic)
    }
}

struct FollowerStatusUnreadable: Error {}
