import Foundation
import LedgerValues
import Testing
import TestSupport

/// A council publishes checkpoints and an auditor holds it to them, with the real executable
/// and the independent Python verifier (issue 25).
@Suite("Checkpoints through the CLI")
struct CheckpointCLITests: LedgerCLISuite {
    let directory = TemporaryDirectory("svledger-checkpoint")
    static let origin = "council.example/svledger"

    func note(_ text: String, ledger path: String? = nil) throws {
        let result = try CommandRunner.svledger([
            "append", "--stream", "notes", "--type", "NoteRecorded", "--actor", "a", "--role", "Contract Manager", "--reason", "r",
            "--payload", #"{"text": "\#(text)"}"#, "--ledger", path ?? ledger])
        #expect(result.status == 0, "\(result.stderr)")
    }

    /// The vkey a `checkpoint key generate` printed (its last line).
    func generate(_ file: String, witness: Bool = false) throws -> String {
        let result = try CommandRunner.svledger(["checkpoint", "key", "generate", "--name", Self.origin, "--out", file] + (witness ? ["--witness"] : []))
        #expect(result.status == 0, "\(result.stderr)")
        return String(result.stdout.split(separator: "\n").last ?? "")
    }

    @Test("publish, grow, then prove: the ledger extends last quarter's checkpoint and includes a return")
    func publishAndProve() throws {
        try svledger(["init"])
        try svledger(["access", "grant", "ada", "--role", "administrator", "--actor", "installer", "--reason", "set-up"])
        let keyFile = directory.child("checkpoint.key")
        let vkey = try generate(keyFile)
        let mode = try #require(try FileManager.default.attributesOfItem(atPath: keyFile)[.posixPermissions] as? NSNumber)
        #expect(mode.intValue & 0o777 == 0o600)
        // Never over an existing key, never inside the ledger, registered only by an administrator.
        #expect(try CommandRunner.svledger(["checkpoint", "key", "generate", "--name", Self.origin, "--out", keyFile]).stderr.contains("key-file-exists"))
        #expect(try CommandRunner.svledger(["checkpoint", "key", "generate", "--name", Self.origin, "--out", ledger + "/k"]).stderr.contains("key-inside-ledger"))
        let stranger = try svledger(["checkpoint", "key", "register", vkey, "--actor", "mallory"], expectSuccess: false)
        #expect(stranger.status == 1 && stranger.stderr.contains("not-an-administrator"), "\(stranger.stderr)")
        try svledger(["checkpoint", "key", "register", vkey, "--actor", "ada", "--reason", "publishing"])

        for text in ["pledge", "return Q1"] { try note(text) }
        let q1 = directory.child("q1.checkpoint")
        try svledger(["checkpoint", "sign", "--key", keyFile, "--out", q1])
        let again = try svledger(["checkpoint", "sign", "--key", keyFile], expectSuccess: false)
        #expect(again.status == 1 && again.stderr.contains("checkpoint-not-newer"))
        for text in ["return Q2", "return Q3"] { try note(text) }
        let q2 = directory.child("q2.checkpoint")
        try svledger(["checkpoint", "sign", "--key", keyFile, "--out", q2])

        let verified = try svledger(["checkpoint", "verify", q1, "--vkey", vkey])
        #expect(verified.stdout.contains("the ledger extends it"), "\(verified.stdout)")
        let inclusion = try JSONValue(parsing: try svledger(["prove", "inclusion", "4", "--checkpoint", q1, "--format", "json"]).stdout)
        #expect(inclusion["treeSize"] == 4)
        #expect(inclusion["leafIndex"] == 3)
        let consistency = try JSONValue(parsing: try svledger(["prove", "consistency", "--from", q1, "--to", q2, "--format", "json"]).stdout)
        #expect(consistency["fromSize"] == 4 && consistency["toSize"] == 6)
        let beyond = try svledger(["prove", "inclusion", "5", "--checkpoint", q1], expectSuccess: false)
        #expect(beyond.status == 65 && beyond.stderr.contains("proof-out-of-range"), "\(beyond.stderr)")

        // The independent verifier agrees, from the spec alone.
        let python = try CommandRunner.pythonVerifier([ledger, "--checkpoint", q1, "--vkey", vkey])
        #expect(python.status == 0, "\(python.stderr)")
        #expect(python.stdout.contains("holds: the ledger extends it"), "\(python.stdout)")
    }

    @Test("a ledger rebuilt from a changed history, or truncated, is refused against the published checkpoint by both verifiers")
    func rebuiltAndTruncated() throws {
        let keyFile = directory.child("checkpoint.key")
        let vkey = try generate(keyFile)
        func ledger(_ name: String, notes: [String]) throws -> String {
            let path = directory.child(name)
            #expect(try CommandRunner.svledger(["init", "--ledger", path]).status == 0)
            #expect(try CommandRunner.svledger(["checkpoint", "key", "register", vkey, "--actor", "ada", "--ledger", path]).status == 0)
            for text in notes { try note(text, ledger: path) }
            return path
        }
        let original = try ledger("original", notes: ["pledge 100", "delivered 40"])
        let published = directory.child("published.checkpoint")
        #expect(try CommandRunner.svledger(["checkpoint", "sign", "--key", keyFile, "--out", published, "--ledger", original]).status == 0)

        let rebuilt = try ledger("rebuilt", notes: ["pledge 100", "delivered 90"])
        #expect(try CommandRunner.svledger(["verify", "--ledger", rebuilt]).status == 0, "the rebuilt ledger agrees with itself")
        let refused = try CommandRunner.svledger(["checkpoint", "verify", published, "--vkey", vkey, "--ledger", rebuilt])
        #expect(refused.status == 3 && refused.stderr.contains("checkpoint-fork"), "\(refused.stderr)")
        let python = try CommandRunner.pythonVerifier([rebuilt, "--checkpoint", published, "--vkey", vkey])
        #expect(python.status == 1, "\(python.stdout)\(python.stderr)")

        let truncated = try ledger("truncated", notes: ["pledge 100"])
        let short = try CommandRunner.svledger(["checkpoint", "verify", published, "--vkey", vkey, "--ledger", truncated])
        #expect(short.status == 3 && short.stderr.contains("checkpoint-beyond-ledger"), "\(short.stderr)")

        // A checkpoint altered after signing, and one checked against another council's key.
        let altered = directory.child("altered.checkpoint")
        try (try String(contentsOfFile: published, encoding: .utf8)).replacingOccurrences(of: "\n3\n", with: "\n2\n").write(toFile: altered, atomically: true, encoding: .utf8)
        let bad = try CommandRunner.svledger(["checkpoint", "verify", altered, "--vkey", vkey, "--ledger", original])
        #expect(bad.status == 3 && bad.stderr.contains("does not verify"), "\(bad.stderr)")
        let otherKey = try generate(directory.child("other.key"))
        let wrongKey = try CommandRunner.svledger(["checkpoint", "verify", published, "--vkey", otherKey, "--ledger", original])
        #expect(wrongKey.status == 3 && wrongKey.stderr.contains("not signed by this key"), "\(wrongKey.stderr)")
    }

    @Test("the Cabinet report states the tree root it was read at and the council's last signed checkpoint")
    func reportStatesTheCheckpoint() throws {
        let head = ["--actor", "r.shah", "--role", "Head of Procurement"]
        try svledger(["init"])
        try svledger(["policy", "adopt", "--builtin", "lancashire-2024-28"] + head)
        try svledger(["catalog", "publish", "--builtin", "portal-003"] + head)
        try svledger(["apply", CommandRunner.repositoryRoot + "/tools/demo-data/portfolio.ndjson"])
        let before = try svledger(["report", "cabinet", "--period", "2025-26-Q2", "--council", "lancashire", "--format", "csv"]).stdout
        #expect(before.contains("head,ledger,tree_root,"), "a report states its tree root even before any checkpoint")
        #expect(!before.contains("checkpoint,ledger,"))

        let keyFile = directory.child("checkpoint.key")
        try svledger(["checkpoint", "key", "register", try generate(keyFile), "--actor", "ada"])
        let signed = try svledger(["checkpoint", "sign", "--key", keyFile]).stdout.split(separator: "\n")
        let csv = try svledger(["report", "cabinet", "--period", "2025-26-Q2", "--council", "lancashire", "--format", "csv"]).stdout
        // A root is base64, and one in 64 starts with "+", which the CSV guards as a formula would be.
        let root = (signed[2].hasPrefix("+") ? "'" : "") + signed[2]
        #expect(csv.contains("head,ledger,tree_root,\(root)"), "the report's root is the checkpoint's, read at the same head")
        #expect(csv.contains("checkpoint,ledger,tree_size,\(signed[1])"))
        #expect(csv.contains("checkpoint,ledger,origin,\(Self.origin)"))
        let html = try svledger(["report", "cabinet", "--period", "2025-26-Q2", "--council", "lancashire"]).stdout
        #expect(html.contains("it is the state this report was read at"), "the HTML says how the report and the checkpoint relate")
        // The figures file and the OCDS package state the same root, so each can be matched
        // with the signed checkpoint without the ledger.
        let figures = try svledger(["figures", "--period", "2025-26-Q2"]).stdout.split(separator: "\n")
        #expect(figures[1].hasPrefix("head,\(signed[1]),") && figures[2] == "tree,\(signed[2])", "\(figures.prefix(3))")
        let exported = directory.child("ocds.json")
        let export = try svledger(["export", "ocds", "--out", exported])
        #expect(export.stdout.contains("it is the state this export was read at"), "\(export.stdout)")
        #expect(try String(contentsOfFile: exported, encoding: .utf8).contains(":tree:\(signed[2])\""))
        // One event later the figures move on, and the signed root no longer matches them.
        try svledger(["checkpoint", "key", "register", try generate(directory.child("next.key")), "--actor", "ada"])
        let later = try svledger(["figures", "--period", "2025-26-Q2"]).stdout.split(separator: "\n")
        #expect(later[2].hasPrefix("tree,") && later[2] != "tree,\(signed[2])")
    }
}
