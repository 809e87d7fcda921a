import Projections
import Glibc
import Synchronization
import Testing

/// Work spread over cores must give what one thread gives: every element once, in order.
@Suite("Concurrent map")
struct ConcurrentMapTests {
    @Test("every index is worked out once and answered in order, whatever the width and count", arguments: [0, 1, 511, 512, 513, 10_007])
    func inOrder(count: Int) {
        for width in [1, 2, 3, 8] {
            let calls = Mutex([Int](repeating: 0, count: count))
            let mapped = ConcurrentMap.map(count, width: width) { index in
                calls.withLock { $0[index] += 1 }
                return index * 3 + 1
            }
            #expect(mapped == (0..<count).map { $0 * 3 + 1 }, "width \(width)")
            #expect(calls.withLock { $0.allSatisfy { $0 == 1 } }, "width \(width)")
        }
    }

    @Test("past the minimum the work runs on more than one thread", .enabled(if: DecodedLog.width > 1, "one core"))
    func spread() {
        // Each call waits until another thread has started one too, or gives up after 20 s
        // (other tests may hold the pool's threads a while): on one thread alone the first
        // call would wait it out.
        let started = Mutex(0)
        let sawAnother = ConcurrentMap.map(2, width: 2, minimum: 2) { _ in
            started.withLock { $0 += 1 }
            for _ in 0..<20_000 {
                if started.withLock({ $0 }) >= 2 { return true }
                usleep(1_000)
            }
            return false
        }
        #expect(sawAnother == [true, true])
    }

    @Test("a value begun elsewhere is the work's, once it is waited for")
    func later() {
        let value = Later { (1...1_000).reduce(0, +) }
        #expect(value.wait() == 500_500)
        #expect(value.wait() == 500_500)
    }
}
