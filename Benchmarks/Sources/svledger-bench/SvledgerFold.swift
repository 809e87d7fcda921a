import Ledger
import Projections

/// `Snapshot.folded`: every contract and the reference data folded from the whole log, as a
/// read of the whole portfolio does and as `svledger serve` does once at start.
enum SvledgerFold {
    struct Outcome {
        let events: UInt64
        let seconds: Double
        /// RssAnon just before the fold, after giving freed heap back (KiB).
        let baselineAnonymousKiB: Int
        /// Highest RssAnon sampled during the fold (KiB): heap plus LMDB's dirty pages.
        let peakAnonymousKiB: Int
        /// VmHWM reset just before the fold: includes the mapped ledger pages read (KiB).
        let peakResidentKiB: Int
    }

    static func run(_ ledger: Ledger) throws -> Outcome {
        ProcessMemory.trimHeap()
        let baseline = ProcessMemory.anonymousKiB() ?? 0
        ProcessMemory.resetPeakResident()
        let sampler = MemorySampler()
        let (snapshot, seconds) = try Stopwatch.time { try Snapshot.folded(store: ledger.store) }
        let peakAnonymous = sampler.stop()
        return Outcome(
            events: snapshot.position, seconds: seconds, baselineAnonymousKiB: baseline,
            peakAnonymousKiB: peakAnonymous, peakResidentKiB: ProcessMemory.peakResidentKiB() ?? 0)
    }
}
