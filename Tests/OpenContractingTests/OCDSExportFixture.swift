import Foundation
import TestSupport

/// A ledger of its own for one test, driven through the built `svledger` as a user would.
final class OCDSLedger: @unchecked Sendable {
    struct CommandFailed: Error, CustomStringConvertible {
        let arguments: [String]
        let result: CommandResult
        var description: String { "svledger \(arguments.joined(separator: " ")) exited \(result.status): \(result.stderr)" }
    }

    let directory = TemporaryDirectory("ocds-export")
    var path: String { directory.child("ledger") }

    static let officer = ["--actor", "a.patel", "--role", "Procurement Officer"]
    static let head = ["--actor", "r.shah", "--role", "Head of Procurement"]
    static let supplier = ["--actor", "p.okafor", "--role", "Supplier Social Value Lead"]

    /// Runs `svledger` on this ledger and returns its standard output; throws unless it succeeds.
    @discardableResult
    func run(_ arguments: [String]) throws -> String {
        let result = try attempt(arguments)
        guard result.status == 0 else { throw CommandFailed(arguments: arguments, result: result) }
        return result.stdout
    }

    /// Runs `svledger` on this ledger, whatever the outcome.
    func attempt(_ arguments: [String]) throws -> CommandResult {
        try CommandRunner.svledger(arguments + ["--ledger", path])
    }

    /// `svledger export ocds` with `arguments`, its output.
    func export(_ arguments: [String] = []) throws -> String { try run(["export", "ocds"] + arguments) }

    /// The releases of an NDJSON export, parsed.
    func releases(_ arguments: [String] = []) throws -> [[String: Any]] {
        try export(["--format", "ndjson"] + arguments).split(separator: "\n").map { try OCDSJSON.object(String($0)) }
    }

    /// The event ids of a stream, in order.
    func eventIds(stream: String) throws -> [(type: String, id: String)] {
        try run(["log", "--stream", stream, "--format", "json"]).split(separator: "\n").map { line in
            let event = try OCDSJSON.object(String(line))
            return (event["eventType"] as! String, event["eventId"] as! String)
        }
    }

    /// Writes a file beside the ledger and returns its path.
    func file(_ name: String, _ text: String) throws -> String {
        let path = directory.child(name)
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// A ledger holding every kind of contract event: T-1 goes from registration through
    /// assessment, weighting, bids, award, pledge, two returns and a correction, a review
    /// refresh to an early closure; T-2 is assessed and granted an exemption. Priced with a
    /// small catalog of the tests' own (P10 at £0.10, P20 at £0.20, JOB at £100, REC record-only).
    static func lifecycle() throws -> OCDSLedger {
        let ledger = OCDSLedger()
        try ledger.run(["init"])
        try ledger.run(["policy", "adopt", "--builtin", "lancashire-2024-28"] + head)
        try ledger.run(["catalog", "publish", try ledger.file("catalog.json", catalog)] + head)
        let t1 = ["--contract", "T-1"]
        try ledger.run(["contract", "register"] + t1 + [
            "--title", "Test works", "--department", "Highways & Transport", "--category", "works", "--value", "£500,000",
            "--start", "2025-04-01", "--end", "2027-03-31", "--area", "Preston", "--area", "South Ribble",
            "--policy", "lancashire-2024-28", "--effective-date", "2025-02-03"] + officer)
        try ledger.run(["threshold", "assess"] + t1 + ["--effective-date", "2025-02-03"] + officer)
        try ledger.run(["weighting", "decide"] + t1 + ["--percent", "12.5", "--basis", "policy-minimum", "--effective-date", "2025-02-10"] + officer)
        let offers = try ledger.file("offers.csv", "bidder,measure,quantity,qualitativeScore\nNorth Roads Ltd,JOB,4,3\nAcme Ltd,JOB,2,2\n")
        try ledger.run(["bids", "evaluate"] + t1 + [
            "--catalog", "ocds-test@1", "--offers", offers, "--score", "North Roads Ltd=8.5", "--score", "Acme Ltd=6",
            "--effective-date", "2025-02-20"] + officer)
        try ledger.run(["contract", "award"] + t1 + ["--supplier", "North Roads Ltd", "--value", "£480,000", "--effective-date", "2025-03-14"] + head)
        try ledger.run(["pledge", "record"] + t1 + [
            "--catalog", "ocds-test@1", "--line", "P10=1", "--line", "P20=1", "--line", "JOB=4", "--line", "REC=3",
            "--effective-date", "2025-03-14"] + officer)
        try ledger.run(["delivery", "report"] + t1 + [
            "--quarter", "2025-26-Q1", "--effective-date", "2025-07-12", "--confirm-attribution",
            "--line", "P10=1@E1", "--line", "P20=1@E2", "--line", "JOB=1@E3"] + supplier)
        let q1 = try ledger.eventIds(stream: "contract/T-1").first { $0.type == "DeliveryReported" }!.id
        try ledger.run(["delivery", "correct"] + t1 + [
            "--corrects", q1, "--line", "JOB=2@E3b", "--effective-date", "2025-08-01", "--reason", "Miscounted"] + supplier)
        try ledger.run(["delivery", "report"] + t1 + [
            "--quarter", "2025-26-Q2", "--effective-date", "2025-10-10", "--confirm-attribution", "--line", "JOB=1@E4"] + supplier)
        try ledger.run(["review", "refresh"] + t1 + [
            "--revise", "JOB=6", "--withdraw", "REC", "--effective-date", "2026-03-20", "--reason", "Annual review"] + officer)
        try ledger.run(["contract", "close"] + t1 + ["--effective-date", "2026-06-30", "--reason", "Ended early by agreement"] + head)
        let t2 = ["--contract", "T-2"]
        try ledger.run(["contract", "register"] + t2 + [
            "--title", "Small goods", "--department", "Libraries", "--category", "goods", "--value", "£150,000",
            "--start", "2025-04-01", "--end", "2026-03-31", "--policy", "lancashire-2024-28", "--effective-date", "2025-02-05"] + officer)
        try ledger.run(["threshold", "assess"] + t2 + ["--effective-date", "2025-02-05"] + officer)
        try ledger.run(["exemption", "request"] + t2 + ["--business-case", "BC-7", "--reason", "Sole supplier", "--effective-date", "2025-02-06"] + officer)
        try ledger.run(["exemption", "decide"] + t2 + ["--granted", "--business-case", "BC-7", "--reason", "Agreed", "--effective-date", "2025-02-07"] + head)
        return ledger
    }

    static let catalog = """
        {"catalogId": "ocds-test", "version": "1", "title": "OCDS export test measures", "effectiveDate": "2024-04-01",
         "source": "made up for the OCDS export tests", "priorityFrameworks": [],
         "measures": [
          {"code": "P10", "theme": "Money", "outcome": null, "description": "Ten pence a unit", "unit": "units", "proxyValueGBP": "0.10", "proxySource": "test", "priorities": {}},
          {"code": "P20", "theme": "Money", "outcome": null, "description": "Twenty pence a unit", "unit": "units", "proxyValueGBP": "0.20", "proxySource": "test", "priorities": {}},
          {"code": "JOB", "theme": "Jobs", "outcome": null, "description": "Local jobs", "unit": "no. people FTE", "proxyValueGBP": "100", "proxySource": "test", "priorities": {}},
          {"code": "REC", "theme": "Jobs", "outcome": null, "description": "Recorded only", "unit": "no. events", "proxyValueGBP": "0", "proxySource": "test", "priorities": {}}
         ]}
        """
}

/// Reading the export back in tests: structure with Foundation's parser; amounts, which must
/// stay exact, from the text itself.
enum OCDSJSON {
    struct NotAnObject: Error { let text: String }

    static func object(_ text: String) throws -> [String: Any] {
        guard let object = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else { throw NotAnObject(text: text) }
        return object
    }

    /// The member at a path of keys and array indexes: `value(release, "contracts", 0, "id")`.
    static func value(_ root: Any?, _ path: Any...) -> Any? {
        var node = root
        for step in path {
            if let key = step as? String { node = (node as? [String: Any])?[key] }
            else if let index = step as? Int, let array = node as? [Any], array.indices.contains(index) { node = array[index] }
            else { return nil }
        }
        return node
    }

    /// The item of an array of objects with this `id`.
    static func item(_ array: Any?, id: String) -> [String: Any]? {
        (array as? [[String: Any]])?.first { ($0["id"] as? String) == id }
    }

    /// Every `"amount":<number>` in the text, in pence, read from its digits.
    static func amountsInPence(_ text: String) -> [Int64] {
        var pence: [Int64] = []
        var rest = Substring(text)
        while let found = rest.range(of: "\"amount\":") {
            rest = rest[found.upperBound...]
            let number = rest.prefix { "-0123456789.".contains($0) }
            let parts = number.split(separator: ".", omittingEmptySubsequences: false)
            let fraction = parts.count > 1 ? String(parts[1]) : ""
            precondition(fraction.count <= 2, "an amount with more than two decimals: \(number)")
            let whole = Int64(parts[0].replacingOccurrences(of: "-", with: ""))!
            let cents = Int64((fraction + "00").prefix(2))!
            pence.append((number.hasPrefix("-") ? -1 : 1) * (whole * 100 + cents))
        }
        return pence
    }
}
