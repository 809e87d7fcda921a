import Foundation
import Testing
import TestSupport

/// The server on a disk that fills while it writes: the client is told 507 `storage-full`
/// (what the README promises), the log line says what LMDB said, and every write acknowledged
/// before is kept.
@Suite("Faults: the server", .serialized, Fault.needsRoot)
struct ServerFaultTests {
    let directory = TemporaryDirectory("svledger-fault-server")

    @Test("a full disk under the server is 507 storage-full, and what was acknowledged is kept")
    func fullDiskIs507() throws {
        let disk = try Mount.tmpfs(at: directory.child("disk"), size: "8m")
        let ledger = disk.path + "/ledger"
        try Fault.demoLedger(ledger)
        _ = try Fault.succeed(["access", "grant", "ada", "--role", "administrator", "--actor", "installer", "--ledger", ledger])
        _ = try Fault.succeed(["access", "grant", "a.patel", "--role", "procurement-officer", "--actor", "ada", "--ledger", ledger])
        let issued = try Fault.succeed(["access", "token", "issue", "a.patel", "--role", "procurement-officer", "--actor", "ada", "--ledger", ledger])
        let token = try #require(issued.split(separator: "\n").last.map(String.init))
        let output = directory.child("serve.out"), log = directory.child("serve.log")
        let server = Process()
        server.executableURL = URL(fileURLWithPath: CommandRunner.svledgerPath)
        server.arguments = ["serve", "--ledger", ledger, "--listen", "127.0.0.1:0"]
        _ = FileManager.default.createFile(atPath: output, contents: nil)
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        server.standardOutput = FileHandle(forWritingAtPath: output)
        server.standardError = FileHandle(forWritingAtPath: log)
        try server.run()
        defer { if server.isRunning { kill(server.processIdentifier, SIGKILL) } }
        let listening = try #require(Fault.port(listeningIn: output), "the server did not say where it listens")
        var statuses: [String] = []
        var body = ""
        for n in 1...200 {
            let command = #"{"command": "contract.register", "contract": "LCC-FULL-\#(n)", "effectiveDate": "2025-02-03", "title": "Filler \#(n)", "buyerDepartment": "Highways", "category": "works", "estimatedWholeLifeValueGBP": "£4,250,000", "startDate": "2025-04-01", "endDate": "2027-03-31", "areasServed": ["Preston"], "policyId": "lancashire-2024-28"}"#
            let answer = try Fault.shell(
                "curl -s -o \(directory.child("body")) -w '%{http_code}' -H 'Authorization: Bearer \(token)' -H 'Content-Type: application/json' --data-binary @- http://127.0.0.1:\(listening)/commands <<'JSON'\n\(command)\nJSON")
            statuses.append(answer.stdout)
            if n == 5 { try disk.fill() }      // some acknowledged first
            if answer.stdout != "201" {
                body = (try? String(contentsOfFile: directory.child("body"), encoding: .utf8)) ?? ""
                break
            }
        }
        #expect(statuses.last == "507", "\(statuses)")
        #expect(statuses.prefix(5).allSatisfy { $0 == "201" }, "\(statuses)")
        #expect(body.contains(#""kind":"storage-full""#), "\(body)")
        let acknowledged = statuses.filter { $0 == "201" }.count
        kill(server.processIdentifier, SIGTERM)
        server.waitUntilExit()
        let logged = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        // LMDB's own words: "No space left on device", or a short write (EIO) on a full disk, said as such.
        #expect(logged.contains("commit failed") && (logged.contains("No space left") || logged.contains("disk is full")), "\(logged.suffix(2000))")
        // Room again: every acknowledged registration is there, and the ledger verifies.
        _ = try Fault.shell("rm -f '\(disk.path)/filler'")
        let contracts = try Fault.succeed(["contracts", "--format", "json", "--ledger", ledger])
        for n in 0..<acknowledged + 1 where n > 0 { #expect(contracts.contains("LCC-FULL-\(n)\""), "LCC-FULL-\(n) was acknowledged but is not there") }
        _ = try Fault.succeed(["verify", "--ledger", ledger])
    }

    @Test("a follower on a full disk stops with storage-full, keeps the events it holds (verified), and with room again resumes to its primary's head")
    func followerOnAFullDisk() throws {
        let primary = directory.child("primary")
        try Fault.demoLedger(primary)
        _ = try Fault.succeed(["generate", "--events", "1500", "--ledger", primary])
        _ = try Fault.succeed(["access", "grant", "ada", "--role", "administrator", "--actor", "installer", "--ledger", primary])
        _ = try Fault.succeed(["access", "grant", "i.audit", "--role", "auditor", "--actor", "ada", "--ledger", primary])
        let issued = try Fault.succeed(["access", "token", "issue", "i.audit", "--role", "auditor", "--actor", "ada", "--ledger", primary])
        let token = try #require(issued.split(separator: "\n").last.map(String.init))
        let output = directory.child("primary.out")
        let server = try Fault.start(["serve", "--ledger", primary, "--listen", "127.0.0.1:0"], output: output)
        defer { if server.isRunning { kill(server.processIdentifier, SIGKILL) } }
        let url = "http://127.0.0.1:\(try #require(Fault.port(listeningIn: output), "the primary did not say where it listens"))"

        // Room for the first pages of the demo ledger, not for all of it.
        let disk = try Mount.tmpfs(at: directory.child("disk"), size: "300k")
        let follower = disk.path + "/follower"
        let full = try Fault.svledger(["follow", url, "--ledger", follower, "--once", "--page-size", "50"], environment: ["SVLEDGER_TOKEN": token])
        Fault.expectFailure(full, kind: "storage-full", exit: 74)
        let kept = try Fault.succeed(["verify", "--ledger", follower])
        #expect(kept.contains("verified") && !kept.contains("verified 0 events"), "\(kept)")

        let remount = try CommandRunner.run("/bin/mount", ["-o", "remount,size=64m", disk.path])
        #expect(remount.status == 0, "\(remount.stderr)")
        let resumed = try Fault.svledger(["follow", url, "--ledger", follower, "--once"], environment: ["SVLEDGER_TOKEN": token])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        let primaryHead = try Fault.succeed(["verify", "--ledger", primary]).split(separator: "\n").last
        let followerHead = try Fault.succeed(["verify", "--ledger", follower]).split(separator: "\n").last
        #expect(primaryHead != nil && primaryHead == followerHead)
    }
}
