import Hummingbird
import NIOCore
import Synchronization

/// Bounds the reads that fold or scan the ledger: at most `concurrent` run at once, at most
/// `queued` wait their turn in arrival order, and any more are refused at once with 503 and
/// `Retry-After` rather than piling up work nobody may wait for. A request whose client has
/// gone while it waited is dropped from the queue, and one whose client has gone by its turn
/// is not started.
final class ReadLimiter: Sendable {
    let concurrent: Int
    let queued: Int

    private struct Waiter {
        let id: UInt64
        let continuation: CheckedContinuation<Void, any Error>
    }

    private struct State {
        var running = 0
        var waiting: [Waiter] = []
        var nextId: UInt64 = 0
    }

    private let state = Mutex(State())

    init(concurrent: Int, queued: Int) {
        self.concurrent = max(1, concurrent)
        self.queued = max(0, queued)
    }

    static let busy: Problem = {
        var headers = HTTPFields()
        headers[.retryAfter] = "1"
        return Problem(.busy, "the server is answering as many reads as it takes at once; try again in a second", headers: headers)
    }()

    /// The client went away before its read began: answered (to nobody) as 499, never counted
    /// as a fault of the server's.
    static let clientGone = Problem(
        .clientClosed,
        "the client closed the connection before its read began")

    /// Runs `body` once a place is free, while `channel` (the client's connection) is open.
    func run<T: Sendable>(on channel: (any Channel)?, _ body: () async throws -> T) async throws -> T {
        let client = ClientConnection()
        let id = state.withLock { state in
            state.nextId += 1
            return state.nextId
        }
        // The client gone, a waiting read gives up its place in the queue at once.
        channel?.closeFuture.whenComplete { _ in
            client.closed.store(true, ordering: .relaxed)
            self.abandon(id)
        }
        try await acquire(id)
        defer { release() }
        if client.closed.load(ordering: .relaxed) { throw Self.clientGone }
        return try await body()
    }

    /// Whether a client's connection has closed (its close future completed; a connection
    /// that never opened, as in the in-process tests, never closes).
    private final class ClientConnection: Sendable {
        let closed = Atomic<Bool>(false)
    }

    /// Reads running and waiting, for the metrics.
    var load: (running: Int, waiting: Int) { state.withLock { ($0.running, $0.waiting.count) } }

    private func acquire(_ id: UInt64) async throws {
        enum Entry { case run, wait, refuse }
        let entry: Entry = state.withLock { state in
            if state.running < concurrent {
                state.running += 1
                return .run
            }
            return state.waiting.count < queued ? .wait : .refuse
        }
        switch entry {
        case .run: return
        case .refuse: throw Self.busy
        case .wait:
            try await withCheckedThrowingContinuation { continuation in
                state.withLock { $0.waiting.append(Waiter(id: id, continuation: continuation)) }
            }
        }
    }

    /// Hands the place on to the first waiter, or frees it.
    private func release() {
        let next: Waiter? = state.withLock { state in
            if state.waiting.isEmpty {
                state.running -= 1
                return nil
            }
            return state.waiting.removeFirst()
        }
        next?.continuation.resume()
    }

    private func abandon(_ id: UInt64) {
        let waiter: Waiter? = state.withLock { state in
            guard let index = state.waiting.firstIndex(where: { $0.id == id }) else { return nil }
            return state.waiting.remove(at: index)
        }
        waiter?.continuation.resume(throwing: Self.clientGone)
    }
}
