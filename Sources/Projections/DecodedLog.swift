import Dispatch
import EventStore
import Synchronization
import Glibc
import SocialValue

/// The log read in order with its decoding spread over the machine's cores. Decoding (the
/// envelope's JSON, then the typed contract event) is most of what a fold costs; applying a
/// decoded event to a projection is not. So consecutive chunks of positions are decoded side by
/// side, each in its own read transaction, and handed to `body` in log order: a contract event
/// as its ``EventFacts`` and typed event, its parsed JSON freed by the thread that made it
/// (glibc frees another thread's allocations slowly); any other event whole.
///
/// The log up to a position never changes once written, so every transaction reads the same
/// events there. Memory is bounded by the chunks in flight: ``chunk`` events a core.
public enum DecodedLog {
    /// Events decoded by one worker at a time.
    public static let chunk: UInt64 = 8_192

    /// One event as decoded: a contract event's facts and typed event, or another event whole.
    public enum Decoded: Sendable {
        case contract(EventFacts, ContractEvent)
        /// Boxed, as such events are few: a decoded event is then the size of a contract's.
        indirect case other(RecordedEvent)
    }

    /// The cores there are, at most 8 (LMDB's reader table has 126 slots, shared with every reader).
    public static let width: Int = max(1, min(8, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))))

    /// Calls `body` with each event from `from` through `target`, in order.
    ///
    /// Decoding runs ahead of `body`: while `body` applies one round of chunks, the workers
    /// decode the next (at most ``roundsAhead`` rounds are held), so applying, which is one
    /// thread's work, overlaps decoding instead of waiting for it. When `body` throws, the
    /// decoding stops and this returns only after every worker has finished with `store`.
    public static func forEach(
        store: EventStore, from: UInt64 = 1, through target: UInt64, width: Int = DecodedLog.width, chunk: UInt64 = DecodedLog.chunk,
        _ body: (consuming Decoded) throws -> Void
    ) throws {
        let first = max(from, 1)
        guard first <= target else { return }
        let rounds = Rounds(capacity: roundsAhead)
        let producer = DispatchGroup()
        DispatchQueue.global().async(group: producer) {
            var start = first
            while start <= target, rounds.waitForRoom() {
                let round = start
                let workers = Int(min(UInt64(width), (target - round) / chunk + 1))
                var decoded = [Result<Chunk, any Error>](repeating: .success(Chunk(capacity: 0)), count: workers)
                decoded.withUnsafeMutableBufferPointer { results in
                    let results = UncheckedResults(base: results.baseAddress!)
                    DispatchQueue.concurrentPerform(iterations: workers) { index in
                        let low = round + UInt64(index) * chunk
                        let high = min(target, low + chunk - 1)
                        results.set(index, Result { try decode(store: store, from: low, through: high) })
                    }
                }
                rounds.put(decoded)
                start = round + UInt64(workers) * chunk
            }
            rounds.finish()
        }
        defer {
            rounds.stop()
            producer.wait()
        }
        while let round = rounds.take() {
            for result in round {
                // Each event moved out to `body`, which owns it: nothing is copied, or freed twice.
                let events = try result.get()
                while let event = events.take() { try body(event) }
            }
        }
    }

    /// Rounds decoded and not yet applied, at most: two keeps a round ready while one is
    /// decoded, so neither side waits for long, and bounds the memory held.
    static let roundsAhead = 2

    /// The rounds handed from the decoding thread to the applying one, in order, with room for
    /// `capacity`: a small blocking queue (`room` counts free places, `ready` rounds to take).
    private final class Rounds: Sendable {
        private struct State {
            var queue: [[Result<Chunk, any Error>]] = []
            var stopped = false
        }
        private let state = Mutex(State())
        private let room = DispatchSemaphore(value: 0)
        private let ready = DispatchSemaphore(value: 0)

        init(capacity: Int) {
            // Made at zero and signalled up: libdispatch traps when a semaphore is freed below
            // the value it was made with, which `room` is whenever a round is still held.
            for _ in 0..<capacity { room.signal() }
        }

        /// Waits for a free place; false once the applying side has stopped.
        func waitForRoom() -> Bool {
            room.wait()
            return state.withLock { !$0.stopped }
        }

        func put(_ round: [Result<Chunk, any Error>]) {
            state.withLock { $0.queue.append(round) }
            ready.signal()
        }

        /// No more rounds will come: the next `take` after the last round answers nil.
        func finish() { ready.signal() }

        /// The next round, or nil when every round was taken.
        func take() -> [Result<Chunk, any Error>]? {
            ready.wait()
            let next = state.withLock { $0.queue.isEmpty ? nil : $0.queue.removeFirst() }
            if next != nil { room.signal() }
            return next
        }

        /// The applying side is done (finished, or it threw): a decoder waiting for room, or
        /// about to, wakes and ends.
        func stop() {
            state.withLock { $0.stopped = true }
            room.signal()
        }
    }

    static func decode(store: EventStore, from low: UInt64, through high: UInt64) throws -> Chunk {
        try store.read { reader in
            let events = Chunk(capacity: Int(high - low + 1))
            var strings = RecentStrings()
            try reader.forEachStoredValue(from: low, through: high) { stored in
                // Returns and corrections, most of a log, typed straight from their bytes;
                // anything else, or anything off the canonical layout, the general way.
                var typed: (event: ContractEvent, effectiveDateDefaulted: Bool?)?
                if let (fields, hash) = EnvelopeLayout.fields(storedValue: stored, strings: &strings, payload: { parser, type in
                    typed = CanonicalDeliveryPayload.read(type: type, &parser)
                    return typed != nil
                }), let (event, defaulted) = typed, ContractFold.contractReference(ofStream: fields.streamId) != nil {
                    events.append(.contract(EventFacts(fields, hash: hash, effectiveDateDefaulted: defaulted == true), event))
                    return true
                }
                let event = try RecordedEvent(storedValue: stored)
                if ContractFold.contractReference(ofStream: event.streamId) != nil, let typed = try ContractEvent(type: event.eventType, payload: event.payload) {
                    events.append(.contract(EventFacts(event), typed))
                } else {
                    events.append(.other(event))
                }
                return true
            }
            return events
        }
    }

    /// Each worker writes its own slot of one array, and the caller reads them only after every
    /// worker has finished (`concurrentPerform` returns then): no slot is shared.
    private struct UncheckedResults: @unchecked Sendable {
        let base: UnsafeMutablePointer<Result<Chunk, any Error>>
        func set(_ index: Int, _ value: Result<Chunk, any Error>) { base[index] = value }
    }

    /// The events of one chunk, decoded by one thread and then taken in order by the applying
    /// one, each moved out: from an array each was copied out and then freed with the array,
    /// twice the reference counting of every string an event holds.
    final class Chunk: @unchecked Sendable {
        // One thread fills it and, once `concurrentPerform` has returned, another takes from
        // it; the two never overlap, and the queue of rounds orders them.
        private let events: UnsafeMutablePointer<Decoded>
        private let capacity: Int
        private var count = 0
        private var taken = 0

        init(capacity: Int) {
            self.capacity = capacity
            events = .allocate(capacity: max(capacity, 1))
        }

        func append(_ event: consuming Decoded) {
            precondition(count < capacity, "a chunk holds at most the events it was made for")
            (events + count).initialize(to: event)
            count += 1
        }

        /// The next event, moved out; `nil` after the last.
        func take() -> Decoded? {
            guard taken < count else { return nil }
            defer { taken += 1 }
            return (events + taken).move()
        }

        deinit {
            (events + taken).deinitialize(count: count - taken)
            events.deallocate()
        }
    }
}
