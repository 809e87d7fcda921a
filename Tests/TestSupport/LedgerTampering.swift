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

    /// Changes the last byte of every evidence file the ledger keeps (`remove`: deletes them),
    /// as a failing disk, or someone swapping a payslip, would.
    public static func alterEvidence(_ path: String, remove: Bool = false) throws {
        var options = Environment.Options()
        options.createDirectory = false
        let environment = try Environment(path: path, options: options)
        let evidence = try environment.openDatabase("evidence")
        try environment.write { txn in
            var entries: [([UInt8], [UInt8])] = []
            try txn.withCursor(evidence) { cursor in
                var entry = try cursor.first()
                while let current = entry {
                    entries.append((Array(current.key), Array(current.value)))
                    entry = try cursor.next()
                }
            }
            for (key, value) in entries {
                if remove {
                    _ = try txn.delete(evidence, key: key)
                } else {
                    var changed = value
                    changed[changed.count - 1] ^= 0x01
                    try txn.put(evidence, key: key, value: changed)
                }
            }
        }
    }

    /// What a tampering helper was asked to change but could not find.
    public struct NotFound: Error, CustomStringConvertible {
        public let description: String
    }

    /// Writes the two databases a version that stored projections kept beside the log
    /// (`projection-contracts`, `projection-meta`), holding `contents` under `contract`: what a
    /// ledger last written by such a version holds, or an attacker's edit of one.
    public static func writeObsoleteProjection(_ path: String, contract: String, contents: String) throws {
        var options = Environment.Options()
        options.createDirectory = false
        let environment = try Environment(path: path, options: options)
        try environment.write { txn in
            let contracts = try txn.openDatabase("projection-contracts", flags: [.create])
            let meta = try txn.openDatabase("projection-meta", flags: [.create])
            try txn.put(contracts, key: Array(contract.utf8), value: Array(contents.utf8))
            try txn.put(meta, key: Array("format".utf8), value: [7])
        }
    }

    /// Whether the ledger holds a named database.
    public static func holdsDatabase(_ path: String, _ name: String) throws -> Bool {
        var options = Environment.Options()
        options.createDirectory = false
        let environment = try Environment(path: path, options: options)
        return try environment.read { txn in (try? txn.openDatabase(name)) != nil }
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
