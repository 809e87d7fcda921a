import Foundation

/// A fresh directory under the system's temporary directory, removed by ``remove()``.
/// Every store a size measures lives in its own one, so no run sees another's files.
struct TemporaryDirectory {
    let path: String

    init(_ label: String) throws {
        var template = Array((NSTemporaryDirectory() as NSString).appendingPathComponent("svledger-bench-\(label)-XXXXXX").utf8CString)
        let created = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        guard created != nil else { throw BenchError("mkdtemp failed for \(label): errno \(errno)") }
        path = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    func file(_ name: String) -> String { (path as NSString).appendingPathComponent(name) }

    func remove() { try? FileManager.default.removeItem(atPath: path) }
}

struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
