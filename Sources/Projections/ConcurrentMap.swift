import Dispatch

/// Work that is the same for every element of a large collection, spread over the machine's
/// cores: a reconciliation of every contract in a portfolio, where each contract's figures
/// depend on its own projection alone.
public enum ConcurrentMap {
    /// `transform(0) … transform(count − 1)`, in order, worked out in contiguous slices on up to
    /// `width` threads. `transform` must be safe to call from several threads at once (it reads
    /// values, and changes nothing shared). Below `minimum` elements, one thread does it all.
    public static func map<T: Sendable>(_ count: Int, width: Int = DecodedLog.width, minimum: Int = 512, _ transform: @Sendable (Int) -> T) -> [T] {
        guard width > 1, count >= minimum else { return (0..<count).map(transform) }
        return [T](unsafeUninitializedCapacity: count) { buffer, initialized in
            let slots = Slots(base: buffer.baseAddress!)
            // A few slices a thread, so that one slow slice does not hold the others up.
            let slices = min(width * 4, count)
            DispatchQueue.concurrentPerform(iterations: slices) { slice in
                for index in (count * slice / slices)..<(count * (slice + 1) / slices) { slots.initialize(index, transform(index)) }
            }
            initialized = count
        }
    }

    /// Each slice writes its own indices of one buffer, which is read only after every slice
    /// has finished (`concurrentPerform` returns then): no index is written twice or shared.
    private struct Slots<T>: @unchecked Sendable {
        let base: UnsafeMutablePointer<T>
        func initialize(_ index: Int, _ value: T) { (base + index).initialize(to: value) }
    }
}

/// A value worked out on another thread while the caller goes on with other work: one of
/// several independent parts of a report, begun first and collected last.
public final class Later<T: Sendable>: @unchecked Sendable {
    // `value` is written once, by the work, before `done` is left; and read only after
    // `wait` on `done` has returned: the group orders the two.
    private var value: T?
    private let done = DispatchGroup()

    public init(_ work: @escaping @Sendable () -> T) {
        done.enter()
        DispatchQueue.global().async {
            self.value = work()
            self.done.leave()
        }
    }

    /// The value, once the work has finished.
    public func wait() -> T {
        done.wait()
        return value!
    }
}
