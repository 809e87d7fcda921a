import Dispatch
import EventStore
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
        case other(RecordedEvent)
    }

    /// The cores there are, at most 8 (LMDB's reader table has 126 slots, shared with every reader).
    public static let width: Int = max(1, min(8, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))))

    /// Calls `body` with each event from `from` through `target`, in order.
    public static func forEach(
        store: EventStore, from: UInt64 = 1, through target: UInt64, width: Int = DecodedLog.width, chunk: UInt64 = DecodedLog.chunk,
        _ body: (Decoded) throws -> Void
    ) throws {
        var start = max(from, 1)
        while start <= target {
            let first = start
            let workers = Int(min(UInt64(width), (target - first) / chunk + 1))
            var decoded = [Result<[Decoded], any Error>](repeating: .success([]), count: workers)
            decoded.withUnsafeMutableBufferPointer { results in
                let results = UncheckedResults(base: results.baseAddress!)
                DispatchQueue.concurrentPerform(iterations: workers) { index in
                    let low = first + UInt64(index) * chunk
                    let high = min(target, low + chunk - 1)
                    results.set(index, Result { try decode(store: store, from: low, through: high) })
                }
            }
            for result in decoded {
                for event in try result.get() { try body(event) }
            }
            start = first + UInt64(workers) * chunk
        }
    }

    static func decode(store: EventStore, from low: UInt64, through high: UInt64) throws -> [Decoded] {
        try store.read { reader in
            var events: [Decoded] = []
            events.reserveCapacity(Int(high - low + 1))
            try reader.forEachEvent(from: low, through: high) { event in
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
        let base: UnsafeMutablePointer<Result<[Decoded], any Error>>
        func set(_ index: Int, _ value: Result<[Decoded], any Error>) { base[index] = value }
    }
}
