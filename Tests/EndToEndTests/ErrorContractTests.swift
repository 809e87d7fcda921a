import Foundation
import LedgerValues
import Testing
import TestSupport

/// The error contract as a user meets it: every kind of failure ends in one `error:` line that
/// names its kind, with the exit code of its category, and nothing else on stdout.
@Suite("Error contract through the CLI")
struct ErrorContractTests: LedgerCLISuite {
    let directory = TemporaryDirectory("svledger-errors")

    static let head = ["--actor", "r.shah", "--role", "Head of Procurement"]
    static let officer = ["--actor", "a.patel", "--role", "Procurement Officer"]

    /// One failure of each category, caused the way a user would, with the kind it must name.
    struct Case: Sendable, CustomTestStringConvertible {
        let arguments: [String]
        let kind: String
        let category: ErrorCategory
        var testDescription: String { "\(kind) → \(category) (exit \(category.exitCode))" }
    }

    static let register = ["contract", "register", "--contract", "E-1", "--title", "Roads", "--department", "Highways",
        "--category", "works", "--value", "£250,000", "--start", "2025-04-01", "--end", "2027-03-31", "--area", "Preston",
        "--policy", "lancashire-2024-28", "--effective-date", "2025-02-03"] + officer

    static let cases: [Case] = [
        Case(arguments: ["frobnicate"], kind: "unknown-command", category: .usage),
        Case(arguments: ["show", "NOPE-1"], kind: "contract-not-found", category: .notFound),
        Case(arguments: ["log", "--stream", "contract-E-1"], kind: "stream-not-found", category: .notFound),
        Case(arguments: ["reconcile", "--contract", "E-1", "--period", "2025-26-Q1"], kind: "commitment-not-found", category: .notFound),
        Case(arguments: ["weighting", "decide", "--contract", "E-1", "--percent", "9.99", "--basis", "policy-minimum"] + officer,
             kind: "weighting-below-minimum", category: .refused),
        Case(arguments: register, kind: "contract-exists", category: .refused),
        // An end before the start is wrong input (65), like every other, not a rule's refusal (1).
        Case(arguments: ["contract", "register", "--contract", "E-2", "--title", "T", "--department", "Highways", "--category", "works",
                         "--value", "£200,000", "--start", "2026-04-01", "--end", "2025-04-01", "--area", "Preston",
                         "--policy", "lancashire-2024-28"] + officer, kind: "invalid-input", category: .input),
        Case(arguments: ["init"], kind: "ledger-exists", category: .refused),
        Case(arguments: ["append", "--stream", "notes", "--type", "NoteRecorded", "--payload", "{not json"] + officer,
             kind: "invalid-json", category: .input),
        Case(arguments: ["append", "--stream", "notes", "--type", "NoteRecorded", "--payload", "{}", "--expected-version", "no-stream"] + officer,
             kind: "concurrency-conflict", category: .conflict),
        Case(arguments: ["pledge", "record", "--contract", "E-1", "--catalog", "portal-003@003.2", "--line", "NT1=-5"] + officer,
             kind: "invalid-input", category: .input),
        // A value that is not a day or a quarter is wrong input: one line, no usage dump.
        Case(arguments: ["reconcile", "--as-of", "2025-13-01"], kind: "invalid-date", category: .input),
        Case(arguments: ["contracts", "--on", "2025-02-30"], kind: "invalid-date", category: .input),
        Case(arguments: ["report", "cabinet", "--meeting", "8 Feb 2024"], kind: "invalid-date", category: .input),
        Case(arguments: ["figures", "--period", "2025-26-Q5"], kind: "invalid-period", category: .input),
        Case(arguments: ["threshold", "assess", "--contract", "E-1", "--effective-date", "2025-02-30"] + officer, kind: "invalid-input", category: .input),
    ]

    /// A ledger with a policy, a catalog, one contract assessed above threshold, and a note.
    func prepare() throws {
        try svledger(["init"])
        try svledger(["policy", "adopt", "--builtin", "lancashire-2024-28"] + Self.head)
        try svledger(["catalog", "publish", "--builtin", "portal-003"] + Self.head)
        try svledger(Self.register)
        try svledger(["threshold", "assess", "--contract", "E-1", "--effective-date", "2025-02-03"] + Self.officer)
        try svledger(["append", "--stream", "notes", "--type", "NoteRecorded", "--payload", "{}"] + Self.officer)
    }

    @Test("each kind of failure: one error line naming its kind, its category's exit code, the ledger unchanged", arguments: cases)
    func failure(_ failure: Case) throws {
        try prepare()
        let before = try Data(contentsOf: URL(fileURLWithPath: ledger + "/data.mdb"))
        let result = try svledger(failure.arguments, expectSuccess: false)
        #expect(result.status == failure.category.exitCode, "\(result.stderr)")
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 1, "\(result.stderr)")
        #expect(result.stderr.hasPrefix("error: "))
        let named = failure.category == .refused && failure.kind != "ledger-exists" ? "(rule: \(failure.kind))" : "(\(failure.kind))"
        #expect(result.stderr.contains(named), "\(result.stderr)")
        #expect(result.stdout.isEmpty, "\(result.stdout)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: ledger + "/data.mdb")) == before)
    }

    @Test("a directory that holds no ledger is not found")
    func notALedger() throws {
        let result = try CommandRunner.svledger(["verify", "--ledger", directory.child("nothing-here")])
        #expect(result.status == ErrorCategory.notFound.exitCode, "\(result.stderr)")
        #expect(result.stderr.contains("(not-a-ledger)"), "\(result.stderr)")
    }
}
