import Foundation

/// What the figures were measured on, printed above the table: these machines are noisy and
/// vary, so a figure means little without the machine it came from.
struct Machine: Codable, Sendable {
    let cores: Int
    let cpuModel: String
    let memoryGiB: Double
    let diskFreeGiB: Double
    let date: String

    static func current(temporaryDirectory: String = NSTemporaryDirectory()) -> Machine {
        let cpuinfo = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        let model = cpuinfo.split(separator: "\n").first { $0.hasPrefix("model name") }
            .map { $0.split(separator: ":", maxSplits: 1).last.map { $0.trimmingCharacters(in: .whitespaces) } ?? "" } ?? "unknown"
        var disk = statvfs()
        let freeBytes = statvfs(temporaryDirectory, &disk) == 0 ? Double(disk.f_bavail) * Double(disk.f_frsize) : 0
        let formatter = ISO8601DateFormatter()
        return Machine(
            cores: ProcessInfo.processInfo.activeProcessorCount, cpuModel: model,
            memoryGiB: Double(ProcessInfo.processInfo.physicalMemory) / 1_073_741_824,
            diskFreeGiB: freeBytes / 1_073_741_824, date: formatter.string(from: Date()))
    }

    /// The 1-minute load average (/proc/loadavg).
    static func loadAverage() -> Double {
        let text = (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8)) ?? ""
        return Double(text.split(separator: " ").first ?? "") ?? 0
    }

    var summary: String {
        "\(cores) cores (\(cpuModel)), \(String(format: "%.1f", memoryGiB)) GiB memory, \(String(format: "%.0f", diskFreeGiB)) GiB free in the temp dir, \(date)"
    }
}
