import Foundation
import Testing
import TestSupport

/// What the fault suite does to svledger, with the tools Debian gives: a small tmpfs, `/dev/full`,
/// `faketime`, bind mounts, `kill -9`, another user. It runs as root (CI does); a test that
/// cannot set its fault up fails, so that no case passes by not being tried.
enum Fault {
    /// The trait of a suite whose faults need root (a mount, another user): without root it is
    /// skipped, saying why, so that `swift test` as anyone else still passes. CI runs as root.
    static let needsRoot: ConditionTrait = .enabled(if: getuid() == 0, "mounts file systems or acts as another user: run as root, as CI does")

    /// Runs `svledger` with `arguments`.
    static func svledger(_ arguments: [String], environment: [String: String] = [:]) throws -> CommandResult {
        try CommandRunner.svledger(arguments, environment: environment)
    }

    /// Runs `script` with `sh -c`, `$SVLEDGER` naming the built executable: for redirections.
    static func shell(_ script: String) throws -> CommandResult {
        try CommandRunner.run("/bin/sh", ["-c", script], environment: ["SVLEDGER": CommandRunner.svledgerPath])
    }

    /// Runs `svledger` under libfaketime, its clock reading `time` (faketime's syntax).
    static func svledger(at time: String, _ arguments: [String], environment: [String: String] = [:]) throws -> CommandResult {
        try CommandRunner.run("/usr/bin/faketime", [time, CommandRunner.svledgerPath] + arguments, environment: environment)
    }

    /// Runs a command that must succeed, and returns its standard output.
    @discardableResult
    static func succeed(_ arguments: [String], sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        let result = try svledger(arguments)
        #expect(result.status == 0 && !result.wasSignalled, "\(arguments.prefix(3)) failed: \(result.stderr)", sourceLocation: sourceLocation)
        return result.stdout
    }

    /// Checks that a command failed as the error contract says: its exit code, the kind named
    /// on its one stderr line, no crash.
    static func expectFailure(
        _ result: CommandResult, kind: String, exit code: Int32, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(!result.wasSignalled, "crashed by a signal (\(result.status)): \(result.stderr.prefix(300))", sourceLocation: sourceLocation)
        #expect(result.status == code, "exit \(result.status), expected \(code): \(result.stderr.prefix(300))", sourceLocation: sourceLocation)
        #expect(result.stderr.contains("\(kind))"), "expected the kind \(kind): \(result.stderr.prefix(300))", sourceLocation: sourceLocation)
    }

    /// A new ledger at `path` holding the demo council's policy, catalogs and its portfolio
    /// of contracts (pledges, returns, a correction and a refresh).
    static func demoLedger(_ path: String) throws {
        let head = ["--actor", "r.shah", "--role", "Head of Procurement", "--ledger", path]
        try succeed(["init", "--ledger", path])
        try succeed(["policy", "adopt", "--builtin", "lancashire-2024-28"] + head)
        try succeed(["catalog", "publish", "--builtin", "portal-003"] + head)
        try succeed(["apply", CommandRunner.repositoryRoot + "/tools/demo-data/portfolio.ndjson", "--ledger", path])
    }

    /// The bytes of a file, to show that a refused command changed nothing.
    static func bytes(_ path: String) -> Data? { FileManager.default.contents(atPath: path) }

    /// Appends one note to `stream` of `ledger`.
    static func note(_ ledger: String, stream: String = "notes-1", environment: [String: String] = [:]) throws -> CommandResult {
        try svledger(noteArguments(ledger, stream: stream), environment: environment)
    }

    static func noteArguments(_ ledger: String, stream: String = "notes-1") -> [String] {
        ["append", "--ledger", ledger, "--stream", stream, "--type", "NoteRecorded", "--actor", "a.auditor",
         "--role", "Contract Manager", "--reason", "fault suite", "--payload", #"{"text": "note"}"#]
    }

    /// The port a `svledger serve` names on the first line it writes to `output`, waited for
    /// up to 30 s; `nil` if it names none by then.
    static func port(listeningIn output: String) -> Int? {
        for _ in 0..<600 {
            let line = (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
            if let port = line.split(separator: "\n").first.flatMap({ $0.split(separator: ":").last }).flatMap({ Int($0.prefix { $0.isNumber }) }) {
                return port
            }
            usleep(50_000)
        }
        return nil
    }

    /// Starts `svledger` without waiting for it.
    static func start(_ arguments: [String], output: String? = nil) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CommandRunner.svledgerPath)
        process.arguments = arguments
        if let output {
            _ = FileManager.default.createFile(atPath: output, contents: nil)
            process.standardOutput = FileHandle(forWritingAtPath: output)
        } else {
            process.standardOutput = FileHandle.nullDevice
        }
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }
}

/// A file system mounted for one test and unmounted when released.
final class Mount {
    let path: String

    /// A tmpfs of `size` (mount's syntax: `64k`, `2m`) at `path`.
    static func tmpfs(at path: String, size: String) throws -> Mount {
        try Mount(path: path, arguments: ["-t", "tmpfs", "-o", "size=\(size)", "tmpfs", path])
    }

    /// `source` bound at `path`, read-only when `readOnly`.
    static func bind(_ source: String, at path: String, readOnly: Bool = false) throws -> Mount {
        let mount = try Mount(path: path, arguments: ["--bind", source, path])
        if readOnly {
            let remount = try CommandRunner.run("/bin/mount", ["-o", "remount,bind,ro", path])
            guard remount.status == 0 else { throw MountFailure(message: remount.stderr) }
        }
        return mount
    }

    private init(path: String, arguments: [String]) throws {
        self.path = path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        let result = try CommandRunner.run("/bin/mount", arguments)
        guard result.status == 0 else { throw MountFailure(message: "mount \(arguments.joined(separator: " ")): \(result.stderr) (the fault suite runs as root)") }
    }

    /// Fills the file system: a file grows until a write fails.
    func fill() throws {
        _ = try CommandRunner.run("/bin/sh", ["-c", "cat /dev/zero > '\(path)/filler' 2>/dev/null; true"])
    }

    deinit { _ = try? CommandRunner.run("/bin/umount", ["-l", path]) }
}

struct MountFailure: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
