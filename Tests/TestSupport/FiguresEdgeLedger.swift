import Foundation

/// A small ledger whose figures reach two corners of the definitions (Schemas/README.md §10),
/// made with `svledger apply` so that every implementation of the figures can be held to it:
/// - **a pledge that took effect after its term ended** (EDGE-1: a one-day term on 2025-04-01,
///   the pledge effective 2025-06-01). Its spread is the one day the pledge took effect
///   (D = 1), so the level-over-term return for 2025-26-Q1, which holds that day, delivers in
///   full: 50 of the 50% pledged;
/// - **two suppliers whose names differ only in how "é" is written**: one code point (U+00E9)
///   for CAFE-1, "e" and a combining acute accent (U+0301) for CAFE-2. They are two keys, by
///   their bytes, and so two supplier rows: Swift's `String` equality, which is canonical
///   equivalence, must not merge them.
public enum FiguresEdgeLedger {
    public static let composedSupplier = "Caf\u{E9} Ltd"
    public static let decomposedSupplier = "Cafe\u{301} Ltd"

    static let head = #""actor": {"id": "r.shah", "role": "Head of Procurement"}"#
    static let officer = #""actor": {"id": "a.patel", "role": "Procurement Officer"}"#
    static let supplier = #""actor": {"id": "p.okafor", "role": "Supplier"}"#

    /// The commands, one JSON object a line, for `svledger apply`.
    public static var commands: String {
        var lines = [
            #"{"command": "policy.adopt", "builtin": "lancashire-2024-28", \#(head)}"#,
            #"{"command": "catalog.publish", "builtin": "portal-003", \#(head)}"#,
            register("EDGE-1", start: "2025-04-01", end: "2025-04-01", supplier: "Late Pledge Ltd"),
            #"{"command": "pledge.record", "contract": "EDGE-1", \#(officer), "effectiveDate": "2025-06-01", "catalog": "portal-003", "lines": [{"measure": "NT68", "quantity": "50"}]}"#,
            #"{"command": "delivery.report", "contract": "EDGE-1", \#(supplier), "quarter": "2025-26-Q1", "attributionConfirmed": true, "lines": [{"measure": "NT68", "quantity": "50", "evidence": "E"}]}"#,
        ]
        for (contract, name, weeks) in [("CAFE-1", composedSupplier, "30"), ("CAFE-2", decomposedSupplier, "12.5")] {
            lines += [
                register(contract, start: "2025-04-01", end: "2026-03-31", supplier: name),
                #"{"command": "pledge.record", "contract": "\#(contract)", \#(officer), "effectiveDate": "2025-03-20", "catalog": "portal-003", "lines": [{"measure": "NT10", "quantity": "100"}]}"#,
                #"{"command": "delivery.report", "contract": "\#(contract)", \#(supplier), "quarter": "2025-26-Q1", "attributionConfirmed": true, "lines": [{"measure": "NT10", "quantity": "\#(weeks)", "evidence": "E"}]}"#,
            ]
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func register(_ contract: String, start: String, end: String, supplier name: String) -> String {
        let quoted = String(decoding: try! JSONSerialization.data(withJSONObject: name, options: .fragmentsAllowed), as: UTF8.self)
        return #"{"command": "contract.register", "contract": "\#(contract)", \#(officer), "effectiveDate": "2025-02-01", "title": "Works", "buyerDepartment": "Highways", "category": "works", "estimatedWholeLifeValueGBP": "90000", "startDate": "\#(start)", "endDate": "\#(end)", "areasServed": ["Wyre"], "policyId": "lancashire-2024-28", "existingSupplier": \#(quoted)}"#
    }

    /// Makes the ledger at `path` (a directory that does not hold one yet).
    public static func make(at path: String, scratch: String) throws {
        let batch = scratch + "/figures-edge.ndjson"
        try commands.write(toFile: batch, atomically: true, encoding: .utf8)
        for arguments in [["init"], ["apply", batch]] {
            let result = try CommandRunner.svledger(arguments + ["--ledger", path])
            guard result.status == 0 else { throw FiguresEdgeLedgerFailure(message: "svledger \(arguments[0]): \(result.stderr)") }
        }
    }
}

public struct FiguresEdgeLedgerFailure: Error, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}
