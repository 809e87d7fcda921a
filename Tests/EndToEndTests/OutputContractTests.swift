import LedgerValues
import Foundation
import Testing
import TestSupport

/// The output contract of the reads (Schemas/read/, Schemas/README.md "Read outputs"): JSON
/// documents with plain decimal money, the currency named once, dynamic facts as values and the
/// head they were read at; every CSV through the one writer, which defuses spreadsheet formulas.
@Suite("The output contract of the read commands")
struct OutputContractTests: LedgerCLISuite {
    let directory = TemporaryDirectory("svledger-output-contract")

    /// Text a spreadsheet would run as a formula, as a contract title and as a supplier name.
    static let formula = #"=HYPERLINK("http://x","y")"#

    /// One contract whose title and supplier are `formula`, with an actor and a reason that
    /// start formulas too, pledged and delivered for two quarters.
    func makeLedger() throws {
        let head = #""actor": {"id": "r.shah", "role": "Head of Procurement"}"#
        let officer = #""actor": {"id": "a.patel", "role": "Procurement Officer"}"#
        let formula = Self.formula.replacingOccurrences(of: "\"", with: "\\\"")
        let commands = [
            #"{"command": "policy.adopt", "builtin": "lancashire-2024-28", \#(head)}"#,
            #"{"command": "catalog.publish", "builtin": "portal-003", \#(head)}"#,
            #"{"command": "contract.register", "contract": "OC-1", \#(officer), "effectiveDate": "2025-02-01", "title": "\#(formula)", "buyerDepartment": "Highways", "category": "works", "estimatedWholeLifeValueGBP": "900000", "startDate": "2025-04-01", "endDate": "2026-03-31", "areasServed": ["Wyre"], "policyId": "lancashire-2024-28"}"#,
            #"{"command": "threshold.assess", "contract": "OC-1", \#(officer), "effectiveDate": "2025-02-01"}"#,
            #"{"command": "weighting.decide", "contract": "OC-1", "actor": {"id": "=cmd|' /C calc'!A0", "role": "Procurement Officer"}, "percent": "10", "basis": "policy-minimum", "reason": "+cmd|' /C calc'!A0"}"#,
            #"{"command": "contract.award", "contract": "OC-1", \#(head), "supplier": "\#(formula)", "valueGBP": "880000", "awardDate": "2025-03-20"}"#,
            #"{"command": "pledge.record", "contract": "OC-1", \#(officer), "effectiveDate": "2025-03-20", "catalog": "portal-003", "lines": [{"measure": "NT1", "quantity": "4"}, {"measure": "NT10", "quantity": "52"}]}"#,
            #"{"command": "delivery.report", "contract": "OC-1", \#(officer), "quarter": "2025-26-Q1", "attributionConfirmed": true, "lines": [{"measure": "NT1", "quantity": "4", "evidence": "@E1"}, {"measure": "NT29", "quantity": "10", "evidence": "-V1"}]}"#,
            #"{"command": "delivery.report", "contract": "OC-1", \#(officer), "quarter": "2025-26-Q2", "attributionConfirmed": true, "lines": [{"measure": "NT1", "quantity": "4", "evidence": "E2"}, {"measure": "NT10", "quantity": "26", "evidence": "A2"}]}"#,
        ]
        try svledger(["init"])
        let file = directory.child("commands.ndjson")
        try commands.joined(separator: "\n").write(toFile: file, atomically: true, encoding: .utf8)
        try svledger(["apply", file])
    }

    /// Every CSV output, by the command that printed it.
    func csvOutputs() throws -> [(command: String, text: String)] {
        var commands: [[String]] = [
            ["contracts", "--period", "2025-26-Q4", "--format", "csv"],
            ["audit", "OC-1", "--format", "csv"],
            ["report", "cabinet", "--period", "2025-26-Q4", "--format", "csv"],
            ["catalog", "show", "portal-003", "--format", "csv"],
        ]
        for level in ["measure", "contract", "theme", "priority", "supplier"] {
            commands.append(["reconcile", "--period", "2025-26-Q4", "--format", "csv", "--level", level])
        }
        return try commands.map { ($0.joined(separator: " "), try svledger($0).stdout) }
    }

    @Test("no cell of any CSV output starts a formula; the ledger text is still there, behind a quote")
    func csvFormulaGuard() throws {
        try makeLedger()
        for (command, text) in try csvOutputs() {
            let rows = Self.parseCSV(text)
            #expect(rows.count > 1, "\(command) printed no rows")
            for cell in rows.joined() {
                guard let first = cell.unicodeScalars.first else { continue }
                #expect(!"=+@\t\r".unicodeScalars.contains(first), "\(command): the cell \(cell.debugDescription) starts a formula")
                if first == "-" {
                    #expect(cell.wholeMatch(of: /-[0-9]+(\.[0-9]+)?/) != nil, "\(command): \(cell.debugDescription) starts with - and is not a number")
                }
            }
        }
        let contracts = Self.parseCSV(try svledger(["contracts", "--period", "2025-26-Q4", "--format", "csv"]).stdout)
        #expect(contracts.dropFirst().first?[1] == "'" + Self.formula, "the title, defused")
        #expect(contracts.dropFirst().first?[3] == "'" + Self.formula, "the supplier, defused")
        let measures = Self.parseCSV(try svledger(["reconcile", "--period", "2025-26-Q4", "--format", "csv", "--level", "contract"]).stdout)
        let variance = try #require(measures.dropFirst().first?[9])
        #expect(variance == "-67389.82", "a negative figure stays a number")
    }

    @Test("money is a plain decimal string and the currency is named once")
    func plainMoney() throws {
        try makeLedger()
        let contracts = try document(["contracts", "--period", "2025-26-Q4"])
        #expect(contracts["currency"] == "GBP")
        let row = try #require(contracts["contracts"]?.arrayValue?.first)
        #expect(row["committed"] == "134779.64")
        #expect(row["delivered"] == "67389.82")
        let show = try document(["show", "OC-1"])
        #expect(show["contract"]?["estimatedValue"] == "900000.00")
        #expect(show["contract"]?["award"]?["value"] == "880000.00")
        let reconcile = try document(["reconcile", "--period", "2025-26-Q4"])
        #expect(reconcile["portfolio"]?["variance"] == "-67389.82")
        for read in [contracts, show, reconcile] {
            #expect(!read.canonicalText.contains("£"), "no £ in a JSON read")
        }
    }

    @Test("the period rated is a field, and no key is a dynamic fact")
    func periodIsAField() throws {
        try makeLedger()
        let contracts = try document(["contracts", "--period", "2025-26-Q4"])
        #expect(contracts["period"] == "2025-26-Q4")
        #expect(contracts["contracts"]?.arrayValue?.first?["rating"] == "requires improvement")
        let reads = [contracts, try document(["reconcile", "--period", "2025-26-Q4"]), try document(["show", "OC-1"])]
        for read in reads {
            for key in Self.keys(read) {
                #expect(key.wholeMatch(of: /[a-z][A-Za-z]*/) != nil, "\(key) is not a fixed camelCase key")
            }
        }
    }

    @Test("every read document states the head it was read at")
    func heads() throws {
        try makeLedger()
        let verify = try document(["verify"])
        let head = try #require(verify["head"])
        #expect(head["position"] == 9)
        #expect(head["hash"]?.stringValue?.wholeMatch(of: /[0-9a-f]{64}/) != nil)
        for arguments in [["contracts"], ["show", "OC-1"], ["audit", "OC-1"], ["reconcile", "--period", "2025-26-Q4"], ["stats"],
                          ["policy", "list"], ["catalog", "list"]] {
            #expect(try document(arguments)["head"] == head, "\(arguments[0]) states the head")
        }
        let fifth = try JSONValue(parsing: String(try svledger(["log", "--format", "json"]).stdout.split(separator: "\n")[4]))
        for arguments in [["audit", "OC-1", "--at", "5"], ["show", "OC-1", "--at", "5"], ["contracts", "--at", "5"]] {
            let earlier = try document(arguments)
            #expect(earlier["head"]?["position"] == 5, "\(arguments[0]) --at 5")
            #expect(earlier["head"]?["hash"] == fifth["hash"], "\(arguments[0]) --at 5 has the hash of position 5")
        }
    }

    func document(_ arguments: [String]) throws -> JSONValue {
        try JSONValue(parsing: try svledger(arguments + ["--format", "json"]).stdout)
    }

    /// Every object key in `value`, at any depth.
    static func keys(_ value: JSONValue) -> [String] {
        if let object = value.objectValue { return object.keys + object.values.flatMap(keys) }
        if let array = value.arrayValue { return array.flatMap(keys) }
        return []
    }

    /// RFC 4180 as a spreadsheet reads it, written here rather than taken from svledger, so the
    /// test does not trust the code it checks. Works on Unicode scalars: "\r\n" is one Character.
    static func parseCSV(_ text: String) -> [[String]] {
        var rows: [[String]] = [], row: [String] = [], cell = String.UnicodeScalarView()
        var quoted = false, scalars = Array(text.unicodeScalars), index = 0
        scalars.append("\n")
        while index < scalars.count {
            let scalar = scalars[index]
            index += 1
            if quoted {
                if scalar == "\"" {
                    if index < scalars.count, scalars[index] == "\"" { cell.append("\""); index += 1 } else { quoted = false }
                } else {
                    cell.append(scalar)
                }
                continue
            }
            switch scalar {
            case "\"": quoted = true
            case ",": row.append(String(cell)); cell = .init()
            case "\r": continue
            case "\n":
                if !(row.isEmpty && cell.isEmpty) { row.append(String(cell)); rows.append(row) }
                row = []; cell = .init()
            default: cell.append(scalar)
            }
        }
        return rows
    }
}
