#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Foundation

/// Where a command's answer goes: standard output, or a file named by `--out`.
///
/// Every byte goes through C stdio or `write(2)` with its result checked, so that a full disk,
/// `/dev/full` or an I/O error becomes `write-failed` (exit 74) instead of a silent success or
/// a trap in Foundation's `FileHandle.write`. A closed pipe (`| head`) still ends the process
/// quietly by SIGPIPE, as it does for any Unix tool.
protocol OutputSink: AnyObject {
    func write(_ bytes: UnsafeRawBufferPointer) throws
}

extension OutputSink {
    func write(_ text: String) throws {
        var text = text
        try text.withUTF8 { try write(UnsafeRawBufferPointer($0)) }
    }

    func write(_ bytes: [UInt8]) throws { try bytes.withUnsafeBytes { try write($0) } }
}

/// C's `stdout` and `stderr` streams, which `print` and the C library lock internally.
nonisolated(unsafe) let cStandardOutput = stdout
nonisolated(unsafe) let cStandardError = stderr

/// Standard output, the same C stream that `print` writes to, so the two never reorder.
final class StandardOutput: OutputSink, Sendable {
    static let shared = StandardOutput()

    func write(_ bytes: UnsafeRawBufferPointer) throws {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return }
        if fwrite(base, 1, bytes.count, cStandardOutput) != bytes.count { throw Self.failure(errno) }
    }

    /// Flushes what `print` and ``write(_:)`` buffered, and turns any write that failed on
    /// the way into an error: run once, after the command.
    static func finish() throws {
        errno = 0
        let flushed = fflush(cStandardOutput) == 0
        let code = errno
        if !flushed || ferror(cStandardOutput) != 0 { throw failure(code) }
    }

    /// Writes a line and flushes it at once (progress a watcher reads as it comes).
    static func writeNow(_ line: String) throws {
        try shared.write(line + "\n")
        if fflush(cStandardOutput) != 0 { throw failure(errno) }
    }

    private static func failure(_ code: Int32) -> CLIError {
        let reason = code == 0 ? "a write failed" : String(cString: strerror(code))
        return CLIError(.storage, "write-failed", "cannot write to standard output: \(reason)")
    }
}

/// A file written whole or not at all: the bytes go to a temporary file beside it, which is
/// synced and renamed over the target only when complete. A failure (a full disk, a kill)
/// leaves the target as it was and no partial file behind.
final class AtomicFile: OutputSink {
    let path: String
    private let temporaryPath: String
    private var descriptor: Int32
    private var committed = false

    /// Refuses a target inside a ledger's directory (or a ledger's own files: an export once
    /// overwrote `data.mdb`), a directory, or a folder that does not exist.
    init(_ path: String) throws {
        self.path = path
        let folder = (path as NSString).deletingLastPathComponent.isEmpty ? "." : (path as NSString).deletingLastPathComponent
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw CLIError(.notFound, "directory-not-found", "cannot write \(path): there is no directory \(folder)")
        }
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            throw CLIError(.input, "output-is-directory", "cannot write \(path): it is a directory; name a file")
        }
        if LedgerDirectory.holdsLedger(folder) {
            throw CLIError(.refused, "output-in-ledger", "refusing to write \(path): \(folder) holds a ledger, whose directory is for its own files only; write elsewhere")
        }
        var template = Array("\(folder)/.\((path as NSString).lastPathComponent).partial-XXXXXX".utf8CString)
        descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard descriptor >= 0 else { throw Self.failure(path, errno) }
        temporaryPath = String(filledTemplate: template)
    }

    func write(_ bytes: UnsafeRawBufferPointer) throws {
        var offset = 0
        while offset < bytes.count {
            let written = Glibc.write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                throw Self.failure(path, errno)
            }
            offset += written
        }
    }

    /// Syncs the temporary file, renames it over the target and syncs the folder.
    func commit() throws {
        guard fsync(descriptor) == 0 else { throw Self.failure(path, errno) }
        // The file is private to mkstemp (0600); an output is as readable as any other file.
        let mask = umask(0)
        umask(mask)
        fchmod(descriptor, 0o666 & ~mask)
        close(descriptor)
        descriptor = -1
        guard rename(temporaryPath, path) == 0 else { throw Self.failure(path, errno) }
        committed = true
        let folder = Glibc.open((path as NSString).deletingLastPathComponent.isEmpty ? "." : (path as NSString).deletingLastPathComponent, O_RDONLY | O_DIRECTORY)
        if folder >= 0 {
            fsync(folder)
            close(folder)
        }
    }

    /// Writes `text` to `path` whole or not at all.
    static func write(_ text: String, to path: String) throws {
        let file = try AtomicFile(path)
        try file.write(text)
        try file.commit()
    }

    deinit {
        if descriptor >= 0 { close(descriptor) }
        if !committed { unlink(temporaryPath) }
    }

    private static func failure(_ path: String, _ code: Int32) -> CLIError {
        CLIError(.storage, "write-failed", "cannot write \(path): \(String(cString: strerror(code))); nothing was written there")
    }
}

/// What makes a directory a ledger's, for refusing to write other files into it.
enum LedgerDirectory {
    static func holdsLedger(_ folder: String) -> Bool {
        ["data.mdb", "lock.mdb"].contains { FileManager.default.fileExists(atPath: "\(folder)/\($0)") }
    }
}

/// A backup's folder while it is being made: hidden beside the target, renamed to it only
/// when the copy is complete and verified, and removed otherwise.
final class BackupStaging {
    let target: String
    let path: String
    private var committed = false

    /// Refuses a target that is a file, a folder that is not empty, or a place inside a ledger.
    init(target: String) throws {
        self.target = target
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: target, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else {
                throw CLIError(.refused, "backup-target-not-empty", "\(target) is a file; back up into a new directory")
            }
            if let contents = try? FileManager.default.contentsOfDirectory(atPath: target), !contents.isEmpty {
                throw CLIError(.refused, "backup-target-not-empty", "\(target) is not empty; back up into a new directory")
            }
        }
        let trimmed = target.hasSuffix("/") && target.count > 1 ? String(target.dropLast()) : target
        let parent = (trimmed as NSString).deletingLastPathComponent.isEmpty ? "." : (trimmed as NSString).deletingLastPathComponent
        guard FileManager.default.fileExists(atPath: parent, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw CLIError(.notFound, "directory-not-found", "cannot back up to \(target): there is no directory \(parent)")
        }
        if LedgerDirectory.holdsLedger(parent) {
            throw CLIError(.refused, "output-in-ledger", "refusing to back up into \(parent): it holds a ledger, whose directory is for its own files only")
        }
        var template = Array("\(parent)/.\((trimmed as NSString).lastPathComponent).partial-XXXXXX".utf8CString)
        guard template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) != nil else {
            throw CLIError(.storage, "write-failed", "cannot back up to \(target): \(String(cString: strerror(errno)))")
        }
        path = String(filledTemplate: template)
        // mkdtemp makes it 0700; a backup folder is as readable as the folder it copies.
        let mask = umask(0)
        umask(mask)
        chmod(path, 0o777 & ~mask)
    }

    /// Syncs the copy and renames it to the target.
    func commit() throws {
        for name in ["data.mdb", "."] {
            let descriptor = Glibc.open("\(path)/\(name)", O_RDONLY)
            if descriptor >= 0 {
                fsync(descriptor)
                close(descriptor)
            }
        }
        guard rename(path, target) == 0 else {
            throw CLIError(.storage, "write-failed", "cannot back up to \(target): \(String(cString: strerror(errno)))")
        }
        committed = true
    }

    deinit {
        if !committed { try? FileManager.default.removeItem(atPath: path) }
    }
}

extension String {
    /// The path `mkstemp` or `mkdtemp` wrote into a NUL-terminated template.
    init(filledTemplate template: [CChar]) {
        self.init(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
