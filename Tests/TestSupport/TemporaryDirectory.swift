import Foundation

/// A fresh directory under the system's temporary folder, removed when released.
/// Every test makes its own, so tests never share a ledger.
public final class TemporaryDirectory: @unchecked Sendable {
    public let path: String

    public init(_ label: String = "svledger-test") {
        let base = FileManager.default.temporaryDirectory.path
        path = "\(base)/\(label)-\(UUID().uuidString.lowercased())"
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    /// A path inside this directory (not created).
    public func child(_ name: String) -> String { "\(path)/\(name)" }

    deinit { try? FileManager.default.removeItem(atPath: path) }
}
