import Dispatch
import EventStore
import Foundation
import SocialValue
import Synchronization

/// One event of the log decoded ahead: the envelope and, for a contract's stream, its
/// reference and typed event.
struct DecodedEvent: Sendable {
    let envelope: RecordedEvent
    let reference: String?
    let event: ContractEvent?
}

/// Reads and decodes the log from a position on its own thread, a few batches ahead of the
/// caller, so that a rebuild folds and writes on one core while the next events are parsed
/// on the other (decoding is about half of a rebuild's work).
///
/// Each batch is read in a read transaction of its own, never held while waiting for the
/// caller: a writer that must grow the map waits for no more than one batch's decoding.
/// Positions never change once written, so batches from successive snapshots join up.
final class DecodingReader: Sendable {
    static let batchSize = 2_048
    static let batchesAhead = 4

    private let ready = Mutex<[Result<[DecodedEvent], any Error>]>([])
    private let filled = DispatchSemaphore(value: 0)
    private let space = DispatchSemaphore(value: batchesAhead)
    private let stopping = Atomic<Bool>(false)
    private let stopped = DispatchSemaphore(value: 0)

    /// Starts reading at `position`; an empty batch from ``next()`` marks the end of the log.
    init(store: EventStore, from position: UInt64) {
        let thread = Thread { [self] in
            produce(store, from: position)
            stopped.signal()
        }
        thread.name = "svledger decode"
        thread.start()
    }

    /// The next batch in log order: empty once the log is exhausted.
    /// - Throws: what reading or decoding threw.
    func next() throws -> [DecodedEvent] {
        filled.wait()
        let batch = ready.withLock { $0.removeFirst() }
        space.signal()
        return try batch.get()
    }

    /// Stops the reader and waits for its thread to finish. Call it once, on every path.
    func close() {
        stopping.store(true, ordering: .relaxed)
        // Free a slot until the thread has seen the flag, in case it waits for one.
        while stopped.wait(timeout: .now() + .milliseconds(5)) == .timedOut { space.signal() }
    }

    private func produce(_ store: EventStore, from first: UInt64) {
        var position = first
        while !stopping.load(ordering: .relaxed) {
            let batch = Result { try Self.decode(store, from: position) }
            space.wait()
            if stopping.load(ordering: .relaxed) { return }
            ready.withLock { $0.append(batch) }
            filled.signal()
            guard case .success(let events) = batch, let last = events.last else { return }
            position = last.envelope.position + 1
        }
    }

    private static func decode(_ store: EventStore, from position: UInt64) throws -> [DecodedEvent] {
        var batch: [DecodedEvent] = []
        batch.reserveCapacity(batchSize)
        try store.read { reader in
            try reader.forEachEvent(from: position) { envelope in
                let reference = ContractFold.contractReference(ofStream: envelope.streamId)
                let event = try reference.flatMap { _ in try ContractEvent(type: envelope.eventType, payload: envelope.payload) }
                batch.append(DecodedEvent(envelope: envelope, reference: reference, event: event))
                return batch.count < batchSize
            }
        }
        return batch
    }
}
