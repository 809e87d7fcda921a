import Foundation

/// The seed of a test that draws at random: `SVLEDGER_TEST_SEED` when set, so that a failure can
/// be replayed exactly, else a fresh one. Either way it is printed with the test's name, so the
/// log of a failed run says how to replay it.
public enum TestSeed {
    public static func seed(for test: String) -> UInt64 {
        let given = ProcessInfo.processInfo.environment["SVLEDGER_TEST_SEED"].flatMap { UInt64($0) }
        let seed = given ?? UInt64.random(in: 1...UInt64.max)
        print("\(test): seed \(seed) (replay with SVLEDGER_TEST_SEED=\(seed))")
        return seed
    }
}
