import LedgerValues
/// What the caller believes about a stream before appending: optimistic concurrency.
public enum ExpectedVersion: Hashable, Sendable, CustomStringConvertible {
    /// Append whatever the stream's version.
    case any
    /// The stream must not exist yet.
    case noStream
    /// The stream's last event must have exactly this version (≥ 1).
    case exact(UInt64)

    func admits(currentVersion: UInt64) -> Bool {
        switch self {
        case .any: true
        case .noStream: currentVersion == 0
        case .exact(let version): currentVersion == version
        }
    }

    /// Parses `any`, `no-stream` or a version number.
    public init?(_ text: String) {
        switch text {
        case "any": self = .any
        case "no-stream": self = .noStream
        default:
            guard let version = UInt64(text), version >= 1 else { return nil }
            self = .exact(version)
        }
    }

    public var description: String {
        switch self {
        case .any: "any"
        case .noStream: "no stream"
        case .exact(let version): "version \(version)"
        }
    }
}
