import HTTPTypes
import Hummingbird
import HummingbirdTesting
@testable import Server
import Synchronization
import Testing

/// Reads that fold or scan the ledger are bounded: so many run, so many wait in order, and
/// any more are refused at once (503, `Retry-After`) instead of piling up work.
@Suite("server, bounded reads", .timeLimit(.minutes(1)))
struct ReadLimiterTests {
    /// A gate a test opens by hand.
    final class Gate: Sendable {
        let opened = Atomic<Bool>(false)
        func wait() async { while !opened.load(ordering: .relaxed) { try? await Task.sleep(for: .milliseconds(5)) } }
    }

    @Test("past the running and the waiting, a read is refused with 503 and Retry-After; those waiting run in turn")
    func boundedQueue() async throws {
        let limiter = ReadLimiter(concurrent: 1, queued: 1)
        let gate = Gate()
        let first = Task { try await limiter.run(on: nil) { await gate.wait(); return 1 } }
        while limiter.load.running < 1 { try await Task.sleep(for: .milliseconds(5)) }
        let second = Task { try await limiter.run(on: nil) { 2 } }
        while limiter.load.waiting < 1 { try await Task.sleep(for: .milliseconds(5)) }
        let refused = await #expect(throws: Problem.self) { try await limiter.run(on: nil) { 3 } }
        #expect(refused?.status == .serviceUnavailable)
        #expect(refused?.kind == "busy")
        #expect(refused?.headers[.retryAfter] == "1")
        gate.opened.store(true, ordering: .relaxed)
        #expect(try await first.value == 1)
        #expect(try await second.value == 2)
        #expect(limiter.load.running == 0 && limiter.load.waiting == 0)
    }
}

/// Reads under writes: each write moves the ledger's state, and a replay per read would pile
/// up. At most one replay of a read point is under way, and reads meanwhile take the last
/// view completed.
@Suite("server, reads under writes", .timeLimit(.minutes(2)))
struct ReadsUnderWritesTests {
    @Test("sixty-four reads while commands are written start one replay at a time")
    func oneReplayAtATime() async throws {
        let fixture = try ServerFixture()
        let server = fixture.server
        let statuses = try await fixture.test { client in
            try await withThrowingTaskGroup(of: Int.self) { tasks in
                tasks.addTask {
                    for n in 1...30 {
                        let body = #"{"command": "delivery.correct", "contract": "LCC-2025-014", "quarter": "2025-26-Q1", "measure": "NT1", "lines": [{"measure": "NT1", "quantity": "\#(n)", "evidence": "W-\#(n)"}], "reason": "restated"}"#
                        let answer = try await client.execute(
                            uri: "/commands", method: .post, headers: fixture.headers("cm", [("Content-Type", "application/json")]), body: ByteBuffer(string: body))
                        #expect(answer.status == .created)
                    }
                    return 201
                }
                for _ in 0..<64 {
                    // The list: a whole-portfolio read (a read of one contract reconciles it alone, with no shared view).
                    tasks.addTask { Int(try await client.execute(uri: "/contracts", method: .get, headers: fixture.headers("auditor")).status.code) }
                }
                return try await tasks.reduce(into: [Int]()) { $0.append($1) }
            }
        }
        #expect(statuses.allSatisfy { $0 == 200 || $0 == 201 }, "\(statuses)")
        #expect(server.figureViews.peakReplaying.load(ordering: .relaxed) == 1)
        #expect(server.figureViews.replays.load(ordering: .relaxed) <= 31)
    }
}
