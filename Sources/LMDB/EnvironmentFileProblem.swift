import Foundation

/// A file of the environment that LMDB must not be given, found before it is opened.
///
/// LMDB's single-writer guarantee rests on one `lock.mdb` per `data.mdb`: a `data.mdb` reached
/// through a symbolic or hard link from a second directory would get a second lock file, and
/// two writers would each believe they hold the only write lock (appends were lost that way).
/// And a `data.mdb` shorter than the pages its meta page names (a copy cut short) would be
/// mapped and then fault with SIGBUS on the first read past its end.
public enum EnvironmentFileProblem: Error, Equatable, Sendable, CustomStringConvertible {
    /// `data.mdb` or `lock.mdb` is a symbolic link, a directory or another non-regular file.
    case notARegularFile(path: String, found: String)
    /// `data.mdb` or `lock.mdb` has more than one hard link.
    case hardLinked(path: String, links: Int)
    /// `data.mdb` is shorter than the last page its newest meta page names.
    case truncated(path: String, size: Int64, needed: Int64)
    /// `lock.mdb` could not be given its space (a full file system): LMDB would map it anyway
    /// and fault on the first reader slot it touches.
    case lockFileSpace(path: String, errno: Int32)

    public var description: String {
        switch self {
        case .notARegularFile(let path, let found):
            "\(path) is \(found), not a regular file: a ledger's data.mdb and lock.mdb must be plain files in its directory, so that every process shares one lock (point --ledger at the directory that holds the real files)"
        case .hardLinked(let path, let links):
            "\(path) has \(links) hard links: a ledger's data.mdb and lock.mdb must have one, so that every process shares one lock (point --ledger at one directory; copy with `svledger backup`)"
        case .truncated(let path, let size, let needed):
            "\(path) is cut short: it has \(size) bytes but its meta page names pages up to byte \(needed); it is an incomplete copy (restore a complete backup)"
        case .lockFileSpace(let path, let code):
            "cannot make room for \(path): \(String(cString: strerror(code)))"
        }
    }
}
