import Foundation

/// Wall-clock timing on the monotonic clock. Every measured phase is timed with this, so the
/// figures in one table come from the same clock.
enum Stopwatch {
    /// Runs `body` and returns its result with the seconds it took.
    static func time<T>(_ body: () throws -> T) rethrows -> (result: T, seconds: Double) {
        let start = ContinuousClock.now
        let result = try body()
        return (result, seconds(since: start))
    }

    static func seconds(since start: ContinuousClock.Instant) -> Double {
        let elapsed = start.duration(to: .now).components
        return Double(elapsed.seconds) + Double(elapsed.attoseconds) / 1e18
    }
}

/// Progress goes to stderr, so that stdout carries only the table or the JSON.
enum Log {
    static func say(_ message: String) {
        FileHandle.standardError.write(Data(("bench: " + message + "\n").utf8))
    }
}
