import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LedgerValues
import Synchronization
import TestSupport
import Testing

/// SIGKILL the server while many clients write: after each kill every write it acknowledged
/// (answered 201) is in the ledger, and the ledger verifies.
@Suite("server, killed during writes", .timeLimit(.minutes(3)))
struct ServerCrashTests {
    @Test func everyAcknowledgedWriteSurvivesSIGKILL() async throws {
        let fixture = try ServerFixture()
        let ledgerPath = fixture.directory.child("ledger")
        let acknowledged = Acknowledged()
        for round in 0..<3 {
            let (process, port, _) = try await LiveServerTests.serve(ledgerPath)
            defer { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }

            // Killed once this round has had writes acknowledged (its own precondition, not a
            // guess at how long a loaded machine takes to start a server), then a little later
            // each round, so that a kill lands among writes in flight.
            let before = acknowledged.references.withLock { $0.count }
            let pid = process.processIdentifier
            try await withThrowingTaskGroup(of: Void.self) { writers in
                for writer in 0..<8 {
                    writers.addTask {
                        try? await TestClient.withClient(host: "127.0.0.1", port: port, configuration: .init(timeout: .seconds(10))) { client in
                            for n in 0..<10_000 {
                                let reference = "K-\(round)-\(writer)-\(n)"
                                let body = #"{"command": "contract.register", "contract": "\#(reference)", "title": "Crash \#(n)", "buyerDepartment": "Highways", "category": "works", "estimatedWholeLifeValueGBP": "£250,000", "startDate": "2026-04-01", "endDate": "2028-03-31", "areasServed": ["Preston"], "policyId": "lancashire-2024-28"}"#
                                let response = try await client.post(
                                    "/commands", headers: fixture.headers("po", [("Content-Type", "application/json")]), body: ByteBuffer(string: body))
                                if response.status == .created { acknowledged.references.withLock { $0.append(reference) } }
                            }
                        }
                    }
                }
                writers.addTask {
                    let patience = ContinuousClock.now + .seconds(90)
                    while acknowledged.references.withLock({ $0.count }) < before + 20, ContinuousClock.now < patience {
                        try await Task.sleep(for: .milliseconds(10))
                    }
                    try await Task.sleep(for: .milliseconds(30 * round))
                    kill(pid, SIGKILL)
                }
                try await writers.waitForAll()
            }
            await process.exit()
        }
        let references = acknowledged.references.withLock { $0 }
        print("server killed 3 times during writes: \(references.count) acknowledged registrations")
        #expect(references.count >= 60, "each round waits for 20 acknowledged writes before the kill")
        for reference in references {
            #expect(try fixture.ledger.contractState(reference).version == 1, "\(reference) was acknowledged but is not in the ledger")
        }
        let verify = try CommandRunner.svledger(["verify", "--ledger", ledgerPath])
        #expect(verify.status == 0, "\(verify.stderr)")
    }
}

/// The references the server answered 201 for, from every writer.
final class Acknowledged: Sendable {
    let references = Mutex<[String]>([])
}
