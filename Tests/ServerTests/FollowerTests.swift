import EventStore
import Foundation
import Ledger
import LedgerValues
import SyntheticData
import TestSupport
import Testing
import Transparency

/// `svledger follow`, `serve --read-only` and `promote`, as an operator runs them: real
/// processes on loopback, a primary served by `svledger serve`, bounded in time.
@Suite("followers: real processes on loopback", .serialized, .timeLimit(.minutes(5)))
struct FollowerTests {
    /// The server fixture's ledger (examples, tokens for every role) grown with a synthetic
    /// portfolio, so that a catch-up takes many pages; served from a copy.
    static func primaryLedger(events: Int = 3_000) throws -> (fixture: ServerFixture, path: String) {
        let fixture = try ServerFixture()
        _ = try SyntheticPortfolio.populate(fixture.ledger, events: events, seed: 2025)
        return (fixture, try LiveServerTests.servedCopy(fixture, name: "primary"))
    }

    static func head(_ path: String) throws -> LedgerHead { try EventStore(path: path, mode: .readOnly).head() }

    /// `svledger follow URL …` with the fixture's auditor token, its output in files.
    static func follow(_ port: Int, _ ledger: String, _ fixture: ServerFixture, _ options: [String] = ["--once"]) throws -> CommandResult {
        try CommandRunner.svledger(
            ["follow", "http://127.0.0.1:\(port)", "--ledger", ledger] + options, environment: ["SVLEDGER_TOKEN": fixture.tokens["auditor"]!])
    }

    static func startFollowing(_ port: Int, _ ledger: String, _ fixture: ServerFixture, log: String, _ options: [String]) throws -> Process {
        try startFollowing(port, into: ["--ledger", ledger] + options, fixture, log: log)
    }

    /// `svledger follow` on the primary at `port`, running, into what `arguments` name (a
    /// ledger, or a hub), its progress lines in `log`.
    static func startFollowing(_ port: Int, into arguments: [String], _ fixture: ServerFixture, log: String) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CommandRunner.svledgerPath)
        process.arguments = ["follow", "http://127.0.0.1:\(port)"] + arguments
        var environment = ProcessInfo.processInfo.environment
        environment["SVLEDGER_TOKEN"] = fixture.tokens["auditor"]!
        process.environment = environment
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        process.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
        process.standardError = FileHandle(forWritingAtPath: log)
        try process.run()
        return process
    }

    /// Waits until `condition` holds, up to `limit`.
    static func wait(_ limit: Duration = .seconds(60), until condition: () throws -> Bool) async throws -> Bool {
        let deadline = ContinuousClock.now + limit
        while ContinuousClock.now < deadline {
            if try condition() { return true }
            try await Task.sleep(for: .milliseconds(20))
        }
        return try condition()
    }

    /// Appends `count` notes to the ledger at `path` in one transaction (the server on it
    /// notices them at its next read).
    static func grow(_ path: String, by count: Int, round: Int) throws {
        let file = path + "-notes-\(round).ndjson"
        let lines = (0..<count).map { n in
            #"{"streamId": "notes-\#(round)", "eventType": "NoteRecorded", "effectiveDate": "2026-01-01", "actor": {"id": "t", "role": "Contract Manager"}, "payload": {"text": "note \#(n)"}}"#
        }
        try lines.joined(separator: "\n").write(toFile: file, atomically: true, encoding: .utf8)
        let appended = try CommandRunner.svledger(["append", "--file", file, "--ledger", path])
        #expect(appended.status == 0, "\(appended.stderr)")
    }

    static func lines(_ path: String) -> [Substring] { ((try? String(contentsOfFile: path, encoding: .utf8)) ?? "").split(separator: "\n") }

    @Test("a follower killed ten times while it catches up resumes each time: every event arrives once, in order, and both ledgers end at the same head and verify")
    func killedTenTimes() async throws {
        let (fixture, primary) = try Self.primaryLedger(events: 1_000)
        let (server, port, _) = try await LiveServerTests.serve(primary)
        defer { kill(server.processIdentifier, SIGKILL) }
        let follower = fixture.directory.child("follower"), log = fixture.directory.child("follow.log")
        var random = SyntheticPortfolio.Random(seed: TestSeed.seed(for: "follower killed ten times"))
        var killedAt: [UInt64] = []
        // Pages of 10 events, each its own synced transaction. A kill counts when it lands
        // before the follower has caught up; a busy machine may let one come too late, so the
        // primary is given more events (a batch of notes, written beside the running server)
        // and the round is run again, up to 40 rounds, instead of guessing at the timing.
        var rounds = 0
        while killedAt.count < 10, rounds < 40 {
            rounds += 1
            let held = FileManager.default.fileExists(atPath: follower + "/data.mdb") ? try Self.head(follower).position : 0
            if try Self.head(primary).position - held < 500 { try Self.grow(primary, by: 1_000, round: rounds) }
            let process = try Self.startFollowing(port, follower, fixture, log: log, ["--page-size", "10", "--interval", "0.05"])
            // Killed once it has appended a page in this run, a little later each time at random.
            let appended = try await Self.wait(.seconds(30)) { Self.lines(log).contains { $0.hasPrefix("appended") } || !process.isRunning }
            try await Task.sleep(for: .milliseconds(Int(random.next() % 20)))
            kill(process.processIdentifier, SIGKILL)
            await process.exit()
            #expect(appended && process.terminationReason == .uncaughtSignal, "\(Self.lines(log).suffix(3))")
            let position = try Self.head(follower).position
            if position < (try Self.head(primary)).position { killedAt.append(position) }
        }
        print("follower killed mid-catch-up at positions \(killedAt), in \(rounds) rounds")
        #expect(killedAt.count == 10, "ten kills landed before the follower caught up")
        let last = try Self.follow(port, follower, fixture)
        #expect(last.status == 0, "\(last.stderr)")
        #expect(try Self.head(follower) == Self.head(primary))
        let verify = try CommandRunner.svledger(["verify", "--ledger", follower])
        let primaryEvents = try Self.head(primary).position
        #expect(verify.status == 0 && verify.stdout.contains("verified \(primaryEvents) events"), "\(verify.stdout)\(verify.stderr)")
        let python = try CommandRunner.pythonVerifier([follower])
        #expect(python.status == 0, "\(python.stdout)\(python.stderr)")
    }

    @Test("a primary that serves an altered event: the follower stops at that position and names it, keeps every event before it, and appends nothing from there")
    func alteredEvent() async throws {
        let (fixture, primary) = try Self.primaryLedger(events: 400)
        // One letter of an actor's id in event 150 changed on disk: the primary still serves it,
        // with the hash it was stored with.
        let altered: UInt64 = 150
        let offset = try EventStore(path: primary, mode: .readOnly).read { reader in
            let event = try #require(try reader.event(at: altered))
            let canonical = ReplicatedEvent(event).canonical
            let marker = Array(#""actor":{"id":""#.utf8)
            let start = try #require((0...(canonical.count - marker.count)).first { Array(canonical[$0..<$0 + marker.count]) == marker })
            return 32 + start + marker.count
        }
        try LedgerTampering.changeByte(primary, position: altered, offset: offset)
        let (server, port, _) = try await LiveServerTests.serve(primary)
        defer { kill(server.processIdentifier, SIGKILL) }
        let follower = fixture.directory.child("follower")
        let result = try Self.follow(port, follower, fixture, ["--once", "--page-size", "100"])
        #expect(result.status == 3, "\(result.stderr)")
        #expect(result.stderr.contains("replication-stopped") && result.stderr.contains("position \(altered)") && result.stderr.contains("altered"), "\(result.stderr)")
        #expect(try Self.head(follower).position == altered - 1)
        #expect(try CommandRunner.svledger(["verify", "--ledger", follower]).status == 0)
        // Asked again, it stops at the same place, and still appends nothing.
        #expect(try Self.follow(port, follower, fixture).status == 3)
        #expect(try Self.head(follower).position == altered - 1)
    }

    @Test("a primary replaced by another ledger (a fork) is refused: the follower keeps its ledger byte for byte")
    func fork() async throws {
        let (fixture, primary) = try Self.primaryLedger(events: 200)
        let (server, port, _) = try await LiveServerTests.serve(primary)
        defer { kill(server.processIdentifier, SIGKILL) }
        let follower = fixture.directory.child("follower")
        #expect(try Self.follow(port, follower, fixture).status == 0)
        let before = try Data(contentsOf: URL(fileURLWithPath: follower + "/data.mdb"))

        // Another ledger made the same way (its own event ids, so its own hashes from the
        // first event on), longer than the first, read with its own auditor's token.
        let other = try ServerFixture()
        _ = try SyntheticPortfolio.populate(other.ledger, events: 400, seed: 7)
        let forked = try LiveServerTests.servedCopy(other, name: "forked")
        let (second, secondPort, _) = try await LiveServerTests.serve(forked)
        defer { kill(second.processIdentifier, SIGKILL) }
        let result = try Self.follow(secondPort, follower, other)
        #expect(result.status == 3, "\(result.stderr)")
        #expect(result.stderr.contains("the two histories differ"), "\(result.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: follower + "/data.mdb")) == before)
    }

    @Test("the primary killed and restarted while the follower tails it: the follower waits, then catches up what was recorded meanwhile")
    func primaryRestarts() async throws {
        let (fixture, primary) = try Self.primaryLedger(events: 200)
        var (server, port, _) = try await LiveServerTests.serve(primary)
        defer { kill(server.processIdentifier, SIGKILL) }
        let follower = fixture.directory.child("follower"), log = fixture.directory.child("follow.log")
        let process = try Self.startFollowing(port, follower, fixture, log: log, ["--interval", "0.05"])
        defer { kill(process.processIdentifier, SIGKILL) }
        let primaryHead = try Self.head(primary)
        #expect(try await Self.wait { FollowerStatusFile.head(follower) == primaryHead.position })

        kill(server.processIdentifier, SIGKILL)
        await server.exit()
        // Recorded while the server is down, by the command line on the primary's ledger.
        let granted = try CommandRunner.svledger(["access", "grant", "n.new", "--role", "auditor", "--actor", "ada", "--ledger", primary])
        #expect(granted.status == 0, "\(granted.stderr)")
        #expect(try await Self.wait { Self.lines(log).contains { $0.contains("trying again") } }, "\(Self.lines(log))")
        (server, port, _) = try await LiveServerTests.serve(primary, ["--listen", "127.0.0.1:\(port)"])
        let newHead = try Self.head(primary)
        #expect(newHead.position == primaryHead.position + 1)
        #expect(try await Self.wait { FollowerStatusFile.head(follower) == newHead.position }, "\(Self.lines(log))")
        #expect(try Self.head(follower) == newHead)
        #expect(process.isRunning)
    }

    @Test("a primary that signs checkpoints: the follower checks each against its own tree and the primary's consistency proof, and keeps it; one signed by a key the ledger never registered stops it")
    func checkpoints() async throws {
        let (fixture, primary) = try Self.primaryLedger(events: 200)
        let keyFile = fixture.directory.child("checkpoint.key")
        let generated = try CommandRunner.svledger(["checkpoint", "key", "generate", "--name", "svledger.test/council", "--out", keyFile])
        let vkey = try #require(generated.stdout.split(separator: "\n").last.map(String.init))
        #expect(try CommandRunner.svledger(["checkpoint", "key", "register", vkey, "--actor", "ada", "--reason", "publishing", "--ledger", primary]).status == 0)
        let follower = fixture.directory.child("follower")
        for round in 1...2 {
            if round == 2 { #expect(try CommandRunner.svledger(["access", "grant", "n.new", "--role", "auditor", "--actor", "ada", "--ledger", primary]).status == 0) }
            let signed = try CommandRunner.svledger(["checkpoint", "sign", "--key", keyFile, "--ledger", primary])
            #expect(signed.status == 0, "\(signed.stderr)")
            let size = try Self.head(primary).position
            let (server, port, _) = try await LiveServerTests.serve(primary)
            let result = try Self.follow(port, follower, fixture)
            kill(server.processIdentifier, SIGKILL)
            await server.exit()
            #expect(result.status == 0 && result.stdout.contains("checked the primary's checkpoint of \(size) events, and kept it"), "\(result.stdout)\(result.stderr)")
            let kept = try EventStore(path: follower, mode: .readOnly).read { try $0.lastCheckpoint() }
            #expect(kept?.checkpoint.size == size)
        }

        // A checkpoint of the right tree, but signed by a key this ledger never registered.
        let grown = try CommandRunner.svledger(["access", "grant", "n.other", "--role", "auditor", "--actor", "ada", "--ledger", primary])
        #expect(grown.status == 0)
        let stranger = try NoteSigningKey(name: "svledger.test/council", type: .ed25519)
        let store = try EventStore(path: primary, mode: .readWrite)
        let (size, root) = try store.read { reader in
            let tree = try reader.merkleTree()
            return (tree.size, try tree.root(size: tree.size))
        }
        let forged = try SignedCheckpoint(try Checkpoint(origin: "svledger.test/council", size: size, root: root), signedBy: stranger)
        #expect(try store.keepPrimaryCheckpoint(forged))
        let (server, port, _) = try await LiveServerTests.serve(primary)
        defer { kill(server.processIdentifier, SIGKILL) }
        let refused = try Self.follow(port, follower, fixture)
        #expect(refused.status == 3 && refused.stderr.contains("checkpoint of \(size) events does not hold"), "\(refused.stderr)")
    }

    @Test("serve --read-only: reads answer with the primary's tokens, a write is 503 read-only-follower with the primary's URL, /healthz gives the lag; promote ends following, and a promoted ledger follows again only with --rejoin")
    func readOnlyServerAndPromotion() async throws {
        let (fixture, primary) = try Self.primaryLedger(events: 200)
        let (server, port, _) = try await LiveServerTests.serve(primary)
        defer { kill(server.processIdentifier, SIGKILL) }
        let follower = fixture.directory.child("follower")
        #expect(try Self.follow(port, follower, fixture).status == 0)

        let (readOnly, readPort, line) = try await LiveServerTests.serve(follower, ["--read-only", "--primary", "http://127.0.0.1:\(port)"])
        defer { kill(readOnly.processIdentifier, SIGKILL) }
        #expect(line.contains("read-only follower"))
        let base = "http://127.0.0.1:\(readPort)"
        let contracts = try Curl.get(base + "/contracts/LCC-2025-014", token: fixture.tokens["po"]!)
        #expect(contracts.status == 200, "\(contracts.body)")
        let write = try Curl.post(base + "/commands", token: fixture.tokens["po"]!, body: #"{"command": "contract.close", "contract": "LCC-2025-014"}"#)
        #expect(write.status == 503 && write.body.contains(#""kind":"read-only-follower""#), "\(write.body)")
        #expect(write.headers.contains("location: http://127.0.0.1:\(port)/commands"), "\(write.headers)")
        let health = try Curl.get(base + "/healthz")
        #expect(health.body.contains(#""lagEvents":0"#) && health.body.contains(#""primary":"http://127.0.0.1:\#(port)""#), "\(health.body)")
        // The follower's own command line records nothing either.
        let local = try CommandRunner.svledger(["access", "grant", "x", "--role", "auditor", "--actor", "ada", "--ledger", follower])
        #expect(local.status == 1 && local.stderr.contains("read-only-follower"), "\(local.stderr)")
        kill(readOnly.processIdentifier, SIGKILL)
        await readOnly.exit()

        let promoted = try CommandRunner.svledger(
            ["promote", "--ledger", follower, "--actor", "ops.lead", "--reason", "drill"], environment: ["SVLEDGER_TOKEN": fixture.tokens["auditor"]!])
        #expect(promoted.status == 0 && promoted.stdout.contains("FollowerPromoted recorded"), "\(promoted.stdout)\(promoted.stderr)")
        let promotedHead = try Self.head(follower)
        #expect(promotedHead.position == (try Self.head(primary)).position + 1)
        // It now takes commands, and follows its former primary only through --rejoin, which
        // refuses it: it holds an event the former primary lacks.
        #expect(try CommandRunner.svledger(["access", "grant", "x", "--role", "auditor", "--actor", "ada", "--ledger", follower]).status == 0)
        let again = try Self.follow(port, follower, fixture)
        #expect(again.status == 1 && again.stderr.contains("not-a-follower"), "\(again.stderr)")
        let rejoin = try Self.follow(port, follower, fixture, ["--once", "--rejoin"])
        #expect(rejoin.status == 3 && rejoin.stderr.contains("lost events"), "\(rejoin.stderr)")
    }
}

/// The head a running follower last reported beside its ledger (follower.json).
enum FollowerStatusFile {
    static func head(_ ledger: String) -> UInt64? {
        guard let data = FileManager.default.contents(atPath: ledger + "/follower.json"),
            case .object(let members)? = try? JSONValue(parsing: Array(data)), case .object(let head)? = members["head"],
            case .integer(let position)? = head["position"]
        else { return nil }
        return UInt64(position)
    }
}

/// curl, as an operator would use it against a running server.
enum Curl {
    struct Answer {
        let status: Int
        let headers: String
        let body: String
    }

    static func get(_ url: String, token: String? = nil) throws -> Answer { try request(["-X", "GET", url], token: token) }

    static func post(_ url: String, token: String, body: String) throws -> Answer {
        try request(["-X", "POST", "-H", "Content-Type: application/json", "--data-binary", body, url], token: token)
    }

    static func request(_ arguments: [String], token: String?) throws -> Answer {
        let scratch = TemporaryDirectory("svledger-curl")
        let headers = scratch.child("headers")
        let auth = token.map { ["-H", "Authorization: Bearer \($0)"] } ?? []
        let result = try CommandRunner.run("/usr/bin/curl", ["-s", "-D", headers, "-o", scratch.child("body"), "-w", "%{http_code}"] + auth + arguments)
        return Answer(
            status: Int(result.stdout) ?? 0,
            headers: ((try? String(contentsOfFile: headers, encoding: .utf8)) ?? "").lowercased(),
            body: (try? String(contentsOfFile: scratch.child("body"), encoding: .utf8)) ?? "")
    }
}
