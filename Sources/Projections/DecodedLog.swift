import Dispatch
import EventStore
import Synchronization
import Glibc
import LedgerValues
import SocialValue

/// The log read in order with its decoding spread over the machine's cores. Decoding (the
/// envelope's JSON, then the typed contract event) is most of what a fold costs; applying a
/// decoded event to a projection is not. So consecutive chunks of positions are decoded side by
/// side, each in its own read transaction, and handed to `body` in log order: a contract event
/// as its ``EventFacts`` and typed event, its parsed JSON freed by the thread that made it
/// (glibc frees another thread's allocations slowly); any other event whole.
///
/// The log up to a position never changes once written, so every transaction reads the same
/// events there. Memory is bounded by the chunks in flight (``ahead``).
public enum DecodedLog {
    /// Events decoded by one worker at a time: few enough that the chunks in flight stay in the
    /// processor's cache until they are applied (8,192 a chunk cost a fold of 1M events a tenth
    /// more time, in misses on memory just written), and enough that the read transaction and
    /// the hand-over of each chunk cost nothing by comparison.
    public static let chunk: UInt64 = 1_024

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
    /// Decoding runs ahead of `body`: each of `width` workers takes the next chunk not yet
    /// taken, decodes it and leaves it in its slot, while `body` applies the chunks in order,
    /// so applying, which is one thread's work, overlaps decoding instead of waiting for it.
    /// A worker never waits for another (a round of chunks decoded together left a core idle
    /// whenever one chunk took longer); at most ``ahead`` chunks are decoded and not
    /// yet applied, which bounds the memory held. When `body` throws, the decoding stops and
    /// this returns only after every worker has finished with `store`.
    ///
    /// - Parameter chained: give each contract event's ``EventFacts/previousHash``, for a fold that
    ///   checks that each event follows the one before it (``LiveFold``'s); a read's fold does
    ///   not, and is spared reading 64 hex digits an event.
    public static func forEach(
        store: EventStore, from: UInt64 = 1, through target: UInt64, width: Int = DecodedLog.width, chunk: UInt64 = DecodedLog.chunk,
        chained: Bool = true, _ body: (consuming Decoded) throws -> Void
    ) throws {
        let first = max(from, 1)
        guard first <= target else { return }
        let chunks = Int((target - first) / chunk + 1)
        let pipeline = Pipeline(slots: ahead)
        let workers = DispatchGroup()
        for _ in 0..<min(width, chunks) {
            DispatchQueue.global().async(group: workers) {
                // Kept from chunk to chunk: the stream ids, types and reasons read before, and the
                // evidence references and measure codes.
                var strings = RecentStrings(keepingStreams: true)
                var known = KnownStrings(places: 1_024)
                while let index = pipeline.claim(below: chunks) {
                    let low = first + UInt64(index) * chunk
                    pipeline.fill(index, Result { try decode(store: store, from: low, through: min(target, low + chunk - 1), chained: chained, strings: &strings, known: &known) })
                }
            }
        }
        defer {
            pipeline.stop(workers: width)
            workers.wait()
        }
        for index in 0..<chunks {
            // Each event moved out to `body`, which owns it: nothing is copied, or freed twice.
            let events = try pipeline.take(index).get()
            while let event = events.take() { try body(event) }
        }
    }

    /// Chunks decoded or being decoded and not yet applied, at most: 64, about 65,000 events
    /// (some 20 MB more memory for a report at 1M events).
    ///
    /// Two a worker was once enough in a quiet run, but with three threads on two cores the
    /// scheduler often left the applying thread waiting for one slow chunk while the workers
    /// waited for room: a report at 1M events then used both cores only four fifths of the
    /// time. With room for 64, the workers run ahead through such stalls (median of 8
    /// alternating runs: 2.60 s with 4 slots, 2.43 s with 64, 2.38 s with 128).
    static let ahead = 64

    /// The chunks handed from the decoding workers to the applying thread, through a ring of
    /// `slots`. A worker claims chunk k only once a place is free (`room`), so chunks claimed
    /// and not yet taken never outnumber the slots: by then chunk k − slots, which used the
    /// same slot, has been taken. Each slot's semaphore says its chunk is there.
    private final class Pipeline: @unchecked Sendable {
        // `results[k % slots]` is written by the one worker that claimed k, before it signals
        // `filled[k % slots]`, and read by the applying thread after waiting on that signal;
        // `room` keeps the next writer of the slot out until the reader has signalled it.
        private let results: UnsafeMutablePointer<Result<Chunk, any Error>?>
        private let filled: [DispatchSemaphore]
        private let room = DispatchSemaphore(value: 0)
        private let state = Mutex((next: 0, stopped: false))
        private let slots: Int

        init(slots: Int) {
            self.slots = slots
            results = .allocate(capacity: slots)
            results.initialize(repeating: nil, count: slots)
            filled = (0..<slots).map { _ in DispatchSemaphore(value: 0) }
            // Made at zero and signalled up: libdispatch traps when a semaphore is freed below
            // the value it was made with, which `room` is whenever a chunk is still held.
            for _ in 0..<slots { room.signal() }
        }

        deinit {
            results.deinitialize(count: slots)
            results.deallocate()
        }

        /// The next chunk to decode, once there is room for it; nil when every chunk below
        /// `count` is claimed or the applying side has stopped.
        func claim(below count: Int) -> Int? {
            room.wait()
            let index: Int? = state.withLock { state in
                guard !state.stopped, state.next < count else { return nil }
                defer { state.next += 1 }
                return state.next
            }
            // The place goes back for another worker to see that nothing is left.
            if index == nil { room.signal() }
            return index
        }

        func fill(_ index: Int, _ result: Result<Chunk, any Error>) {
            results[index % slots] = result
            filled[index % slots].signal()
        }

        /// Chunk `index`, once decoded; its place is then free for the chunk `slots` later.
        func take(_ index: Int) -> Result<Chunk, any Error> {
            filled[index % slots].wait()
            let result = results[index % slots].take()!
            room.signal()
            return result
        }

        /// The applying side is done (finished, or it threw): workers waiting for room, or
        /// about to, wake and end.
        func stop(workers: Int) {
            state.withLock { $0.stopped = true }
            for _ in 0..<workers { room.signal() }
        }
    }

    static func decode(
        store: EventStore, from low: UInt64, through high: UInt64, chained: Bool, strings: inout RecentStrings, known: inout KnownStrings
    ) throws -> Chunk {
        try store.read { reader in
            let events = Chunk(capacity: Int(high - low + 1))
            // The last stream read and its contract: a contract's events mostly come together,
            // and its stream id is then the very string read before (``RecentStrings``), which
            // compares equal at once, where finding the reference made a new string each time.
            // Passed on as `inout`, not read by a local function: a variable a local function
            // captures is checked for overlapping access at run time, twice an event.
            var last: (stream: String, contract: String?) = ("", nil)
            try reader.forEachStoredValue(from: low, through: high) { stored in
                // Returns and corrections, most of a log, typed straight from their bytes; other
                // events' payloads parsed in the same walk of the envelope. Anything off the
                // canonical layout, or of another stream than a contract's, the general way.
                var typed: (event: ContractEvent, effectiveDateDefaulted: Bool?)?
                var payload: JSONValue?
                if let (fields, hash) = EnvelopeLayout.fields(storedValue: stored, strings: &strings, chained: chained, payload: { parser, type in
                    guard let kind = CanonicalDeliveryPayload.Kind(type) else {
                        payload = try? parser.parseValue(depth: 1)
                        return payload != nil
                    }
                    typed = CanonicalDeliveryPayload.read(kind, &parser, known: &known)
                    return typed != nil
                }), let contract = Self.contract(ofStream: fields.streamId, last: &last) {
                    if let (event, defaulted) = typed {
                        events.append(.contract(EventFacts(fields, contract: contract, hash: hash, effectiveDateDefaulted: defaulted == true), event))
                        return true
                    }
                    // What the general way does with the same payload (an event type svledger
                    // does not know is kept whole, below).
                    if let payload, let event = try ContractEvent(type: fields.eventType, payload: payload) {
                        let defaulted = ContractEvent.effectiveDateDefaulted(in: payload) == true
                        events.append(.contract(EventFacts(fields, contract: contract, hash: hash, effectiveDateDefaulted: defaulted), event))
                        return true
                    }
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

    /// The contract whose stream `stream` is, found again without a look at the name when it is
    /// the last one's.
    private static func contract(ofStream stream: String, last: inout (stream: String, contract: String?)) -> String? {
        if stream != last.stream { last = (stream, ContractFold.contractReference(ofStream: stream)) }
        return last.contract
    }

    /// The events of one chunk, decoded by one thread and then taken in order by the applying
    /// one, each moved out: from an array each was copied out and then freed with the array,
    /// twice the reference counting of every string an event holds.
    final class Chunk: @unchecked Sendable {
        // One thread fills it and, once it has signalled the chunk's slot, another takes from
        // it; the two never overlap, and the slot's semaphore orders them.
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
