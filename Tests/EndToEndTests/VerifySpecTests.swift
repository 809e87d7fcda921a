import Foundation
import LedgerValues
import Testing
import TestSupport

/// `verify --expect-head` (Schemas/README.md §5, check 12), run through `svledger verify` and
/// the independent `tools/verify_ledger.py`: a head written down earlier must still hold after
/// the ledger has grown, and both verifiers must say the same thing about it, byte for byte.
@Suite("A head written down earlier, checked by both verifiers")
struct VerifySpecTests: LedgerCLISuite {
    let directory = TemporaryDirectory("svledger-verify-spec")

    /// Appends notes numbered `range` through the CLI.
    func appendNotes(_ range: ClosedRange<Int>) throws {
        for n in range {
            try svledger([
                "append", "--stream", "notes-\(n % 2)", "--type", "NoteRecorded", "--actor", "officer",
                "--role", "Contract Manager", "--payload", "{\"text\": \"note-\(n)\"}",
            ])
        }
    }

    /// The head `svledger verify` prints: its `head POSITION HASH` line.
    func currentHead() throws -> (position: Int, hash: String) {
        let line = try #require(try svledger(["verify"]).stdout.split(separator: "\n").first { $0.hasPrefix("head ") })
        let parts = line.split(separator: " ")
        return (try #require(Int(parts[1])), String(parts[2]))
    }

    /// Both verifiers with `--expect-head expected`.
    func verifyBoth(expecting expected: String) throws -> (swift: CommandResult, python: CommandResult) {
        (
            try svledger(["verify", "--expect-head", expected], expectSuccess: false),
            try CommandRunner.pythonVerifier([ledger, "--expect-head", expected])
        )
    }

    /// Both pass, print the same bytes, and end with `finding`.
    func expectBothPass(expecting expected: String, finding: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let (swift, python) = try verifyBoth(expecting: expected)
        #expect(swift.status == 0, "\(swift.stderr)", sourceLocation: sourceLocation)
        #expect(python.status == 0, "\(python.stderr)", sourceLocation: sourceLocation)
        #expect(swift.stdout == python.stdout, sourceLocation: sourceLocation)
        #expect(swift.stdout.split(separator: "\n").last.map(String.init) == finding, "\(swift.stdout)", sourceLocation: sourceLocation)
    }

    /// Both fail at `position` with the same words, which mention `mentioning`.
    func expectBothFail(
        expecting expected: String, at position: UInt64, mentioning: String, sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let (swift, python) = try verifyBoth(expecting: expected)
        #expect(swift.status == ErrorCategory.integrity.exitCode, "\(swift.stdout)", sourceLocation: sourceLocation)
        #expect(swift.stderr.hasPrefix("error: verification failed at position \(position): "), "\(swift.stderr)", sourceLocation: sourceLocation)
        #expect(swift.stderr.hasSuffix(" (verification-failed)\n"), "\(swift.stderr)", sourceLocation: sourceLocation)
        let pythonPrefix = "FAIL position \(position): check 12 (expected head): "
        #expect(python.status == 1, sourceLocation: sourceLocation)
        #expect(python.stderr.hasPrefix(pythonPrefix), "\(python.stderr)", sourceLocation: sourceLocation)
        // The same problem, word for word.
        let problem = python.stderr.dropFirst(pythonPrefix.count).trimmingCharacters(in: .newlines)
        #expect(swift.stderr == "error: verification failed at position \(position): \(problem) (verification-failed)\n", sourceLocation: sourceLocation)
        #expect(problem.contains(mentioning), "\(problem)", sourceLocation: sourceLocation)
    }

    @Test("a head written down before the ledger grew still holds, given by its hash or as POSITION:HASH")
    func grownLedger() throws {
        try svledger(["init"])
        let empty = try currentHead()
        try appendNotes(1...3)
        let earlier = try currentHead()
        #expect(earlier.position == 3)
        try appendNotes(4...6)
        let grown = "the ledger has grown from position 3 (hash still matches there) to 6"
        for form in [earlier.hash, "3:\(earlier.hash)", earlier.hash.uppercased()] {
            try expectBothPass(expecting: form, finding: grown)
        }
        // The empty ledger's head is position 0 and the genesis hash.
        try expectBothPass(expecting: "0:\(empty.hash)", finding: "the ledger has grown from position 0 (hash still matches there) to 6")
        try expectBothPass(expecting: empty.hash, finding: "the ledger has grown from position 0 (hash still matches there) to 6")
    }

    @Test("the head itself matches, and says so")
    func sameHead() throws {
        try svledger(["init"])
        try appendNotes(1...4)
        let head = try currentHead()
        try expectBothPass(expecting: head.hash, finding: "head matches the expected head at position 4")
        try expectBothPass(expecting: "4:\(head.hash)", finding: "head matches the expected head at position 4")
    }

    @Test("a hash that is not at its position, a position past the end, or a hash found nowhere fails clearly")
    func mismatches() throws {
        try svledger(["init"])
        try appendNotes(1...3)
        let earlier = try currentHead()
        try appendNotes(4...6)
        // The hash of position 3, said to be position 2's.
        try expectBothFail(expecting: "2:\(earlier.hash)", at: 2, mentioning: "differs from the expected")
        // A head beyond the end: the ledger lost events since; the first missing one is named.
        try expectBothFail(expecting: "9:\(earlier.hash)", at: 7, mentioning: "the log ends at position 6")
        // A hash of no position (another ledger's, or this one's before a change).
        try expectBothFail(expecting: String(repeating: "ab", count: 32), at: 6, mentioning: "differs from the expected")
    }

    @Test("a shortened, malformed or ambiguous --expect-head is refused, saying where to get the full head", arguments: [
        "3f2a9c01b7e4",  // the 12 digits `svledger log` shows
        "abc", "3:3f2a9c01b7e4", "head 3 " + String(repeating: "a", count: 64), "3:" + String(repeating: "a", count: 64) + ":x",
        "+1:" + String(repeating: "a", count: 64), "x:" + String(repeating: "a", count: 64), String(repeating: "g", count: 64),
        "",
    ])
    func shortOrMalformed(expected: String) throws {
        try svledger(["init"])
        try appendNotes(1...2)
        let (swift, python) = try verifyBoth(expecting: expected)
        #expect(swift.status == 64, "\(swift.stderr)")
        #expect(python.status == 2, "\(python.stderr)")
        for stderr in [swift.stderr, python.stderr] {
            #expect(stderr.hasPrefix("error: "), "\(stderr)")
            #expect(stderr.contains("64 hex digits"), "\(stderr)")
            #expect(stderr.contains("POSITION:HASH"), "\(stderr)")
            #expect(stderr.contains("svledger verify"), "\(stderr)")
            #expect(stderr.contains("svledger stats"), "\(stderr)")
        }
        #expect(swift.stdout.isEmpty && python.stdout.isEmpty)
    }

    @Test("verify --help says a head holds while the ledger grows, and how to give one")
    func help() throws {
        let help = try CommandRunner.svledger(["verify", "--help"]).stdout
        #expect(help.contains("POSITION:HASH"), "\(help)")
        #expect(help.contains("grown"), "\(help)")
        #expect(help.contains("status 3"), "\(help)")
    }
}
