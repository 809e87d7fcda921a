import Foundation

/// What a finished process said and how it ended.
public struct CommandResult: Sendable {
    public let status: Int32
    /// True when the process ended by a signal (a crash), not by exiting.
    public let wasSignalled: Bool
    public let stdout: String
    public let stderr: String
}

/// Runs the built `svledger` and the repository's tools, as a user would.
public enum CommandRunner {
    /// The repository root, found from this file's place in it.
    public static let repositoryRoot: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()

    /// The `svledger` built beside the test bundle (`$SVLEDGER_BIN` overrides).
    public static let svledgerPath: String = {
        if let override = ProcessInfo.processInfo.environment["SVLEDGER_BIN"] { return override }
        let bundleDirectory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        let candidates = [
            bundleDirectory.appendingPathComponent("svledger").path,
            bundleDirectory.deletingLastPathComponent().appendingPathComponent("svledger").path,
            "\(repositoryRoot)/.build/debug/svledger",
        ]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) } ?? candidates[2]
    }()

    /// Runs `svledger` with `arguments` and waits for it.
    public static func svledger(_ arguments: [String], environment: [String: String] = [:]) throws -> CommandResult {
        try run(svledgerPath, arguments, environment: environment)
    }

    /// Runs `python3 tools/verify_ledger.py` with `arguments`.
    public static func pythonVerifier(_ arguments: [String]) throws -> CommandResult {
        try run("/usr/bin/env", ["python3", "\(repositoryRoot)/tools/verify_ledger.py"] + arguments)
    }

    /// Runs `executable`; output goes through files, so a large output cannot block the child.
    public static func run(
        _ executable: String, _ arguments: [String], environment: [String: String] = [:]
    ) throws -> CommandResult {
        let scratch = TemporaryDirectory("svledger-run")
        let outPath = scratch.child("stdout"), errPath = scratch.child("stderr")
        _ = FileManager.default.createFile(atPath: outPath, contents: nil)
        _ = FileManager.default.createFile(atPath: errPath, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        var merged = ProcessInfo.processInfo.environment
        merged.removeValue(forKey: "SVLEDGER_LEDGER")
        for (key, value) in environment { merged[key] = value }
        process.environment = merged
        process.standardOutput = FileHandle(forWritingAtPath: outPath)
        process.standardError = FileHandle(forWritingAtPath: errPath)
        process.standardInput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return CommandResult(
            status: process.terminationStatus,
            wasSignalled: process.terminationReason == .uncaughtSignal,
            stdout: (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? "",
            stderr: (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? "")
    }
}
