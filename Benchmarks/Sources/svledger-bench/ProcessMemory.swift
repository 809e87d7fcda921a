import Foundation
import Synchronization

/// Memory figures of this process from /proc/self/status (Linux).
///
/// Why two figures: VmHWM (peak resident set) counts the ledger's memory-mapped file pages as
/// they are read, so at 1M events it mostly measures the size of the file. RssAnon counts only
/// anonymous memory (heap, stacks, LMDB's dirty pages of a write transaction), which is what
/// a fold really allocates; the kernel keeps no peak of it, so ``MemorySampler`` polls it.
enum ProcessMemory {
    /// Resident anonymous memory now, in KiB.
    static func anonymousKiB() -> Int? { field("RssAnon:") }

    /// Peak resident set since start or since ``resetPeakResident()``, in KiB.
    static func peakResidentKiB() -> Int? { field("VmHWM:") }

    /// Resets VmHWM to the current resident set (writing "5" to /proc/self/clear_refs,
    /// Linux 4.0+), so that the peak of one phase can be read on its own.
    @discardableResult
    static func resetPeakResident() -> Bool {
        let fd = open("/proc/self/clear_refs", O_WRONLY)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        return write(fd, "5", 1) == 1
    }

    /// Gives freed heap back to the kernel, so that a phase's baseline is not inflated by
    /// what earlier phases freed but malloc kept.
    /// glibc's `malloc_trim` is not in Swift's Glibc module, so it is looked up at run time.
    static func trimHeap() {
        typealias MallocTrim = @convention(c) (Int) -> Int32
        guard let process = dlopen(nil, RTLD_NOW), let symbol = dlsym(process, "malloc_trim") else { return }
        _ = unsafeBitCast(symbol, to: MallocTrim.self)(0)
    }

    /// Reads one `Name:   1234 kB` line into a stack buffer: the sampler calls this every few
    /// milliseconds and must not itself grow the heap it is measuring.
    private static func field(_ name: StaticString) -> Int? {
        let fd = open("/proc/self/status", O_RDONLY)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 8192) { buffer -> Int? in
            var length = 0
            while length < buffer.count {
                let count = read(fd, buffer.baseAddress! + length, buffer.count - length)
                if count <= 0 { break }
                length += count
            }
            let text = UnsafeBufferPointer(rebasing: buffer[..<length])
            let key = UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount)
            var lineStart = 0
            while lineStart < text.count {
                var lineEnd = lineStart
                while lineEnd < text.count, text[lineEnd] != 0x0A { lineEnd += 1 }
                if lineEnd - lineStart > key.count, text[lineStart..<(lineStart + key.count)].elementsEqual(key) {
                    var value = 0
                    for byte in text[(lineStart + key.count)..<lineEnd] where byte >= 0x30 && byte <= 0x39 {
                        value = value * 10 + Int(byte - 0x30)
                    }
                    return value
                }
                lineStart = lineEnd + 1
            }
            return nil
        }
    }
}

/// Polls RssAnon on its own thread while a phase runs and keeps the highest value seen.
/// With 2 cores the sampler runs beside the measured work instead of inside it.
final class MemorySampler: Sendable {
    private let peakKiB = Atomic<Int>(0)
    private let running = Atomic<Bool>(true)
    private let finished = DispatchSemaphore(value: 0)
    private let interval: Duration

    init(every interval: Duration = .milliseconds(5)) {
        self.interval = interval
        record()
        let thread = Thread { [self] in
            while running.load(ordering: .relaxed) {
                record()
                Thread.sleep(forTimeInterval: Double(interval.components.attoseconds) / 1e18 + Double(interval.components.seconds))
            }
            finished.signal()
        }
        thread.start()
    }

    private func record() {
        if let now = ProcessMemory.anonymousKiB() { peakKiB.raise(toAtLeast: now) }
    }

    /// Stops the thread and returns the peak RssAnon seen, in KiB (one last sample included).
    func stop() -> Int {
        running.store(false, ordering: .relaxed)
        finished.wait()
        record()
        return peakKiB.load(ordering: .relaxed)
    }
}

extension Atomic where Value == Int {
    func raise(toAtLeast candidate: Int) {
        var current = load(ordering: .relaxed)
        while candidate > current {
            let (exchanged, original) = compareExchange(expected: current, desired: candidate, ordering: .relaxed)
            if exchanged { return }
            current = original
        }
    }
}
