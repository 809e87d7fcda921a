import Foundation
import LMDB

/// Alters a closed ledger behind svledger's back, as an attacker or a failing disk would,
/// so that tests can check the verifiers catch it. The ledger must not be open in this process.
public enum LedgerTampering {
    static func key(_ position: UInt64) -> [UInt8] { withUnsafeBytes(of: position.bigEndian) { Array($0) } }

    private static func withLog(_ path: String, _ body: (Environment, Database) throws -> Void) throws {
        var options = Environment.Options()
        options.createDirectory = false
        let environment = try Environment(path: path, options: options)
        try body(environment, try environment.openDatabase("log"))
    }

    /// Changes one byte of the stored value at `position`, `offset` bytes into it
    /// (offsets below 32 hit the stored hash, the rest the canonical envelope).
    public static func changeByte(_ path: String, position: UInt64, offset: Int) throws {
        try withLog(path) { environment, log in
            try environment.write { txn in
                var value = try txn.get(log, key: key(position))!
                value[offset] = value[offset] == UInt8(ascii: "a") ? UInt8(ascii: "b") : UInt8(ascii: "a")
                try txn.put(log, key: key(position), value: value)
            }
        }
    }

    /// Removes the event at `position` from the log, leaving indexes and head alone.
    public static func deleteEvent(_ path: String, position: UInt64) throws {
        try withLog(path) { environment, log in
            try environment.write { txn in _ = try txn.delete(log, key: key(position)) }
        }
    }

    /// Exchanges the stored values of two positions.
    public static func swapEvents(_ path: String, _ first: UInt64, _ second: UInt64) throws {
        try withLog(path) { environment, log in
            try environment.write { txn in
                let a = try txn.get(log, key: key(first))!, b = try txn.get(log, key: key(second))!
                try txn.put(log, key: key(first), value: b)
                try txn.put(log, key: key(second), value: a)
            }
        }
    }

    /// Deletes every event after `position`, as a truncated file would lose them.
    public static func truncate(_ path: String, keepingThrough position: UInt64) throws {
        try withLog(path) { environment, log in
            try environment.write { txn in
                var next = position + 1
                while try txn.delete(log, key: key(next)) { next += 1 }
            }
        }
    }

    /// What a tampering helper was asked to change but could not find.
    public struct NotFound: Error, CustomStringConvertible {
        public let description: String
    }

    /// Rewrites a stored contract projection, replacing every occurrence of `original` in its
    /// bytes with `replacement`. Projections are stored in a binary form with length-prefixed
    /// strings, so the two must have the same UTF-8 length for the value to still decode.
    /// - Throws: ``NotFound`` when the contract or `original` is not in the store.
    public static func alterProjection(_ path: String, contract: String, replacing original: String, with replacement: String) throws {
        let (from, to) = (Array(original.utf8), Array(replacement.utf8))
        precondition(!from.isEmpty && from.count == to.count, "alterProjection needs a replacement of the same length")
        try alterProjection(path, contract: contract) { stored in
            var replaced = 0, index = 0
            while index + from.count <= stored.count {
                if stored[index..<index + from.count].elementsEqual(from) {
                    stored.replaceSubrange(index..<index + from.count, with: to)
                    replaced += 1
                    index += from.count
                } else {
                    index += 1
                }
            }
            guard replaced > 0 else { throw NotFound(description: "\"\(original)\" is not in the projection of \(contract)") }
        }
    }

    /// Rewrites the stored bytes of a contract projection with `change`.
    /// - Throws: ``NotFound`` when the contract has no stored projection.
    public static func alterProjection(_ path: String, contract: String, change: (inout [UInt8]) throws -> Void) throws {
        var options = Environment.Options()
        options.createDirectory = false
        let environment = try Environment(path: path, options: options)
        let projections = try environment.openDatabase("projection-contracts")
        try environment.write { txn in
            guard var stored = try txn.get(projections, key: Array(contract.utf8)) else { throw NotFound(description: "no stored projection of \(contract)") }
            try change(&stored)
            try txn.put(projections, key: Array(contract.utf8), value: stored)
        }
    }

    /// Flips the first byte of `marker`, which the caller put in one event, in `data.mdb` on
    /// disk. LMDB's copy-on-write leaves stale copies of old pages in its free space, so the
    /// byte is flipped in every copy: the live event then differs from what was appended by
    /// exactly one byte. Returns the number of copies changed (0 if the marker is absent).
    public static func flipByteOnDisk(_ path: String, marker: String) throws -> Int {
        let file = "\(path)/data.mdb"
        var data = try Data(contentsOf: URL(fileURLWithPath: file))
        var copies = 0
        var searchFrom = data.startIndex
        while let range = data.range(of: Data(marker.utf8), in: searchFrom..<data.endIndex) {
            data[range.lowerBound] ^= 0x01
            copies += 1
            searchFrom = range.upperBound
        }
        try data.write(to: URL(fileURLWithPath: file))
        return copies
    }
}
