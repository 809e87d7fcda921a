import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LedgerValues
import TestSupport
import Testing

/// The built `svledger serve` on a random loopback port: health, an authenticated read and
/// write over a real socket, and a graceful stop on SIGTERM that keeps what was acknowledged.
@Suite("server, live", .timeLimit(.minutes(2)))
struct LiveServerTests {
    @Test func servesOnARandomLoopbackPortAndStopsOnSIGTERM() async throws {
        let fixture = try ServerFixture()
        let ledgerPath = try Self.servedCopy(fixture)
        let (process, port, line) = try await Self.serve(ledgerPath)
        defer { if process.isRunning { process.interrupt(); kill(process.processIdentifier, SIGKILL) } }
        #expect(line.hasPrefix("svledger serve: listening on http://127.0.0.1:"))

        try await TestClient.withClient(host: "127.0.0.1", port: port, configuration: .init(timeout: .seconds(20))) { client in
            let health = try await client.get("/healthz")
            #expect(health.status == .ok)
            // Ready once the start's work is done: 503 "warming" until then, never anything else.
            var ready = try await client.get("/readyz")
            let warmed = ContinuousClock.now + .seconds(30)
            while ready.status == .serviceUnavailable, ContinuousClock.now < warmed {
                #expect(String(buffer: ready.body ?? ByteBuffer()) == #"{"status":"warming"}"#)
                try await Task.sleep(for: .milliseconds(50))
                ready = try await client.get("/readyz")
            }
            #expect(ready.status == .ok && String(buffer: ready.body ?? ByteBuffer()) == #"{"status":"ready"}"#)
            let unauthenticated = try await client.get("/contracts")
            #expect(unauthenticated.status == .unauthorized)
            let show = try await client.get("/contracts/LCC-2025-014", headers: fixture.headers("north"))
            #expect(show.status == .ok)
            let written = try await client.post(
                "/commands", headers: fixture.headers("north", [("Content-Type", "application/json")]),
                body: ByteBuffer(string: #"{"command": "delivery.report", "contract": "LCC-2025-014", "quarter": "2025-26-Q3", "lines": [{"measure": "NT1", "quantity": "2", "evidence": "LIVE-1"}], "attributionConfirmed": true}"#))
            // The live server's today is the machine's: 2025-26-Q3 has started whenever this runs.
            #expect(written.status == .created, "\(String(buffer: written.body ?? ByteBuffer()))")

            // A write by another process on the same file (the CLI) is folded in at the next read.
            let outside = try CommandRunner.svledger([
                "delivery", "report", "--ledger", ledgerPath, "--contract", "LCC-2025-014", "--quarter", "2025-26-Q3", "--line", "NT10=5@CLI-OUTSIDE",
                "--confirm-attribution", "--actor", "p.okafor", "--role", "Supplier Social Value Lead",
            ])
            #expect(outside.status == 0, "\(outside.stderr)")
            let seen = try await client.get("/contracts/LCC-2025-014", headers: fixture.headers("auditor"))
            #expect(String(buffer: seen.body ?? ByteBuffer()).contains("CLI-OUTSIDE"))

            // Reads of figures fold the log. A copy of old projections written behind the
            // server's back (by another process, while it runs) is never shown.
            try LedgerTampering.writeObsoleteProjection(ledgerPath, contract: "LCC-2025-014", contents: "North Roads Plc")
            let after = try await client.get("/contracts/LCC-2025-014", headers: fixture.headers("auditor"))
            let answer = String(buffer: after.body ?? ByteBuffer())
            #expect(after.status == .ok && answer.contains("North Roads Ltd") && !answer.contains("North Roads Plc"), "\(after.status) \(answer.prefix(300))")
        }

        kill(process.processIdentifier, SIGTERM)
        let deadline = ContinuousClock.now + .seconds(20)
        while process.isRunning, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(50)) }
        #expect(!process.isRunning, "still running 20 s after SIGTERM")
        #expect(process.terminationStatus == 0)

        // What was acknowledged is there, attributed to the token's account, and the ledger verifies.
        let log = try CommandRunner.svledger(["log", "--stream", "contract/LCC-2025-014", "--format", "json", "--ledger", ledgerPath])
        #expect(log.stdout.contains(#""evidence":"LIVE-1""#))
        #expect(log.stdout.contains(#""actor":{"id":"p.okafor","role":"Supplier"}"#))
        let verify = try CommandRunner.svledger(["verify", "--ledger", ledgerPath])
        #expect(verify.status == 0, "\(verify.stderr)")
    }

    /// A copy of the fixture's ledger for a server process, which this process never opens:
    /// a test can then alter it behind the server's back as another process would (LMDB allows
    /// one open per process).
    static func servedCopy(_ fixture: ServerFixture, name: String = "served") throws -> String {
        let ledgerPath = fixture.directory.child(name)
        try FileManager.default.createDirectory(atPath: ledgerPath, withIntermediateDirectories: false)
        try FileManager.default.copyItem(atPath: fixture.directory.child("ledger") + "/data.mdb", toPath: ledgerPath + "/data.mdb")
        return ledgerPath
    }

    /// Starts the built `svledger serve` on `ledgerPath` and a free loopback port, and waits
    /// for the first line of its standard output, which names the port bound. The caller
    /// stops the process.
    static func serve(_ ledgerPath: String, _ options: [String] = []) async throws -> (process: Process, port: Int, line: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CommandRunner.svledgerPath)
        // Deadlines far beyond any test's pace on a loaded machine, unless a test sets its own
        // (the last value of an option wins): a test about something else must not trip them.
        let patient = ["--header-timeout", "120", "--idle-timeout", "120", "--body-timeout", "120"]
        process.arguments = ["serve", "--ledger", ledgerPath, "--listen", "127.0.0.1:0"] + patient + options
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle(forWritingAtPath: "/dev/null")
        try process.run()
        do {
            let line = try await firstLine(output.fileHandleForReading, within: .seconds(30), orKill: process.processIdentifier)
            let port = try #require(line.split(separator: ":").last.flatMap { Int($0.prefix { $0.isNumber }) }, "no port in \(line)")
            return (process, port, line)
        } catch {
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            throw error
        }
    }

    /// The first line `handle` gives; past `limit`, the process is killed (which ends the read) and the test fails.
    static func firstLine(_ handle: FileHandle, within limit: Duration, orKill pid: Int32) async throws -> String {
        try await withThrowingTaskGroup(of: String.self) { group in
            group.addTask {
                let reading = UncheckedHandle(handle: handle)
                return await offThePool {
                    var bytes: [UInt8] = []
                    while true {
                        let chunk = reading.handle.availableData
                        if chunk.isEmpty { break }
                        bytes += chunk
                        if let newline = bytes.firstIndex(of: 10) { return String(decoding: bytes[..<newline], as: UTF8.self) }
                    }
                    return String(decoding: bytes, as: UTF8.self)
                }
            }
            group.addTask {
                try await Task.sleep(for: limit)
                kill(pid, SIGKILL)
                throw CancellationError()
            }
            let line = try await group.next()!
            group.cancelAll()
            return line
        }
    }
}

/// A pipe's reading end, read on a thread of its own (``offThePool(_:)``).
struct UncheckedHandle: @unchecked Sendable {
    let handle: FileHandle
}
