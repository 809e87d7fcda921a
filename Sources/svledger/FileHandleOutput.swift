import Foundation

/// Progress lines on stderr, so that they never mix with a command's machine-readable stdout.
enum FileHandleOutput {
    static func progress(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}
