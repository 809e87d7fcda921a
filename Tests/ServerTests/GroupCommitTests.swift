import Access
import Dispatch
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LedgerValues
@testable import Server
import SocialValue
import Synchronization
import Testing

@Suite("server, group commit", .timeLimit(.minutes(2)))
struct ServerGroupCommitTests {
    /// Commands that arrive while a commit is under way wait, and go into the next commit together.
    @Test func commandsArrivingDuringACommitShareTheNext() async throws {
        let committer = GroupCommitter(maxGroup: GroupCommitter.largestGroup)
        let firstCommitStarted = DispatchSemaphore(value: 0)
        let releaseFirstCommit = DispatchSemaphore(value: 0)
        let groups = Mutex<[Int]>([])
        committer.committing { group in
            let isFirst = groups.withLock { groups in
                groups.append(group.count)
                return groups.count == 1
            }
            if isFirst {
                firstCommitStarted.signal()
                releaseFirstCommit.wait()
            }
            return group.map { _ in StoredAnswer((.created, [:], [])) }
        }
        let pending = try ServerGroupCommitTests.pending()
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { _ = await committer.submit(pending) }
            await withCheckedContinuation { continuation in
                DispatchQueue.global().async {
                    firstCommitStarted.wait()
                    continuation.resume()
                }
            }
            for _ in 0..<20 { tasks.addTask { _ = await committer.submit(pending) } }
            // Wait until all 20 are queued behind the first commit, then let it finish.
            while committer.waitingCount < 20 { try await Task.sleep(for: .milliseconds(5)) }
            releaseFirstCommit.signal()
            try await tasks.waitForAll()
        }
        #expect(groups.withLock { $0 } == [1, 20])
    }

    static func pending() throws -> PendingCommand {
        let command = try LedgerCommand.parse(
            try JSONValue(parsing: #"{"command": "contract.close", "contract": "X-1", "actor": {"id": "a", "role": "Procurement Officer"}}"#), today: ServerFixture.today)
        return PendingCommand(
            commands: [.ledger(command)], identity: AccessState.Identity(account: "a", role: .procurementOfficer, supplier: nil, tokenId: "tok-1"),
            stream: nil, expectedVersions: [:], key: nil, digest: "")
    }

    /// Many writers at once: each gets its own answer (a refusal fails only its own request),
    /// every acknowledged command is in the ledger, and the metrics count the commits.
    @Test func concurrentWritersEachGetTheirOwnOutcome() async throws {
        let fixture = try ServerFixture()
        let before = try fixture.ledger.store.head()
        let statuses = try await fixture.test { client in
            try await withThrowingTaskGroup(of: (Int, Int).self) { tasks in
                for index in 0..<32 {
                    tasks.addTask {
                        // Every fourth asks for an assessment of a contract that does not exist: refused.
                        let body = index % 4 == 3
                            ? #"{"command": "threshold.assess", "contract": "NOPE-\#(index)"}"#
                            : #"{"command": "contract.register", "contract": "GC-\#(index)", "title": "Group \#(index)", "buyerDepartment": "Highways", "category": "works", "estimatedWholeLifeValueGBP": "£250,000", "startDate": "2026-04-01", "endDate": "2028-03-31", "areasServed": ["Preston"], "policyId": "lancashire-2024-28"}"#
                        let response = try await client.execute(
                            uri: "/commands", method: .post, headers: fixture.headers("po", [("Content-Type", "application/json")]), body: ByteBuffer(string: body))
                        return (index, Int(response.status.code))
                    }
                }
                var statuses: [Int: Int] = [:]
                for try await (index, status) in tasks { statuses[index] = status }
                return statuses
            }
        }
        for (index, status) in statuses { #expect(status == (index % 4 == 3 ? 422 : 201), "request \(index)") }
        let head = try fixture.ledger.store.head()
        #expect(head.position == before.position + 24)
        for index in 0..<32 where index % 4 != 3 { #expect(try fixture.ledger.contractState("GC-\(index)").version == 1) }
        _ = try fixture.ledger.verifyAll()
        let metrics = fixture.server.metrics.exposition()
        let sum = Self.value(metrics, "svledger_commit_batch_commands_sum")
        let commits = Self.value(metrics, "svledger_commit_batch_commands_count")
        #expect(sum == 24)
        #expect(commits >= 1 && commits <= 24)
        print("group commit: 24 commands in \(Int(commits)) commits, \(String(format: "%.1f", sum / max(commits, 1))) per commit")
    }

    static func value(_ exposition: String, _ name: String) -> Double {
        exposition.split(separator: "\n").first { $0.hasPrefix(name + " ") }.flatMap { Double($0.split(separator: " ").last ?? "") } ?? -1
    }
}
