import Ledger

/// `ledger.projections.rebuild()`: drop the read models and fold the whole log again, in one
/// write transaction, as `svledger rebuild` does.
enum SvledgerRebuild {
    struct Outcome {
        let events: UInt64
        let seconds: Double
        /// RssAnon just before the rebuild, after giving freed heap back (KiB).
        let baselineAnonymousKiB: Int
        /// Highest RssAnon sampled during the rebuild (KiB): heap plus LMDB's dirty pages.
        let peakAnonymousKiB: Int
        /// VmHWM reset just before the rebuild: includes the mapped ledger pages read (KiB).
        let peakResidentKiB: Int
    }

    static func run(_ ledger: Ledger) throws -> Outcome {
        ProcessMemory.trimHeap()
        let baseline = ProcessMemory.anonymousKiB() ?? 0
        ProcessMemory.resetPeakResident()
        let sampler = MemorySampler()
        let (result, seconds) = try Stopwatch.time { try ledger.projections.rebuild() }
        let peakAnonymous = sampler.stop()
        return Outcome(
            events: result.events, seconds: seconds, baselineAnonymousKiB: baseline,
            peakAnonymousKiB: peakAnonymous, peakResidentKiB: ProcessMemory.peakResidentKiB() ?? 0)
    }
}
