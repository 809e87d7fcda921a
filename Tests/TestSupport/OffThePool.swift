import Dispatch
import Foundation

/// Blocking work for async tests, done on a thread of its own. Swift's cooperative pool has a
/// thread per core: a test that blocks one (a socket read, `waitUntilExit`) on a 2-core machine
/// running many tests at once starves every other async test, in-process servers included.
public func offThePool<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
    await withCheckedContinuation { continuation in
        Thread.detachNewThread { continuation.resume(returning: work()) }
    }
}

extension Process {
    /// Waits for the process to exit without holding a cooperative thread.
    public func exit() async {
        let process = UncheckedProcess(process: self)
        await offThePool { process.process.waitUntilExit() }
    }
}

/// `Process` is a class Foundation does not mark Sendable; waiting for it from another thread
/// is what it is for.
private struct UncheckedProcess: @unchecked Sendable {
    let process: Process
}
