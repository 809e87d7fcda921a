import Foundation
import LedgerValues

/// `report cabinet --format pdf`: the HTML report printed to an A4 PDF by headless Chromium,
/// as a reader's "print to PDF" would, with the report's own page numbers. Chromium is not a
/// dependency of svledger: when it is not installed, the error says how to get it, or how to
/// print the HTML another way.
enum PrintToPDF {
    static func browser() -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for folder in path.split(separator: ":") {
            for name in ["chromium", "chromium-browser", "google-chrome"] {
                let candidate = "\(folder)/\(name)"
                if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            }
        }
        return nil
    }

    /// Prints `html` to the PDF file `out`, replacing it whole or leaving it as it was.
    static func write(_ html: String, to out: String) throws {
        guard let browser = browser() else {
            throw CLIError(
                .usage, "pdf-needs-chromium",
                "--format pdf prints the HTML report with headless Chromium, which is not installed here (Debian: apt-get install chromium); or write --format html and print it to PDF from any browser")
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("svledger-pdf-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let page = folder + "/report.html", printed = folder + "/report.pdf"
        try html.write(toFile: page, atomically: false, encoding: .utf8)  // a private folder: nothing else reads it part-written
        let process = Process()
        process.executableURL = URL(fileURLWithPath: browser)
        process.arguments = [
            "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--no-default-browser-check", "--user-data-dir=\(folder)/profile",
            "--run-all-compositor-stages-before-draw", "--no-pdf-header-footer", "--print-to-pdf=\(printed)", "file://\(page)",
        ]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0, let bytes = FileManager.default.contents(atPath: printed), bytes.starts(with: Array("%PDF".utf8)) else {
            throw CLIError(.storage, "write-failed", "\(browser) could not print the report to PDF (exit \(process.terminationStatus)); nothing was written to \(out)")
        }
        let file = try AtomicFile(out)
        try file.write(Array(bytes))
        try file.commit()
    }
}
