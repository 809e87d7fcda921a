internal import CLMDB
import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// An LMDB environment: one directory holding `data.mdb` and `lock.mdb` (`MDB_env`).
///
/// Rules from `lmdb.h` that this type enforces so that callers cannot get them wrong:
/// - one environment per directory per process (a second open throws);
/// - `mdb_reader_check` on open, clearing readers left by crashed processes;
/// - default, fully synced durability: no `MDB_NOSYNC`, `MDB_WRITEMAP` or `MDB_MAPASYNC`;
/// - `MDB_NOTLS`, so read transactions are not tied to a thread's slot;
/// - one write transaction at a time in this process, run synchronously on the caller's
///   thread from begin to commit (the closure cannot `await`);
/// - `MDB_MAP_FULL` aborts, grows the map and retries the write; a failed
///   `mdb_txn_commit` is never aborted again, because LMDB has already freed it.
///
/// `@unchecked Sendable`: the `MDB_env *` is a C pointer, which Swift cannot check; LMDB allows an
/// environment to be shared by every thread of the process (`MDB_NOTLS` above), and this type
/// serialises its writers itself (`writerLock`) and its resizes (`ResizeGate`).
public final class Environment: @unchecked Sendable {
    /// The raw `MDB_env *`.
    package let handle: OpaquePointer
    /// The directory holding `data.mdb`.
    public let path: String
    public let isReadOnly: Bool
    /// Opened read-only without `lock.mdb` (`MDB_NOLOCK`), because this user may not write it.
    /// Reads are then consistent only if no other process writes the environment meanwhile.
    public let isLockless: Bool

    /// Held shared by every transaction and exclusively by a map resize, because
    /// `mdb_env_set_mapsize` may only run while this process has no transaction open.
    private let resizeGate: ResizeGate
    /// Serialises this process's writers before they reach LMDB's own lock.
    private let writerLock = NSLock()

    /// Options for ``init(path:options:)``.
    public struct Options: Sendable {
        /// Initial map size in bytes; the map doubles whenever a write fills it.
        public var mapSize: Int = 1 << 30
        /// How many named databases the environment may hold.
        public var maxDatabases: UInt32 = 16
        /// Open with `MDB_RDONLY`: no write transaction can begin.
        public var readOnly = false
        /// Create the directory when it is missing.
        public var createDirectory = true
        public init() {}
    }

    private static let openPaths = Mutex<Set<String>>([])

    /// Opens (and, unless read-only, creates) the environment in directory `path`.
    /// - Throws: ``LMDBError`` from `mdb_env_*`, or `EBUSY` if this process already has the
    ///   environment open, or `ENOENT` if it does not exist and may not be created.
    public init(path: String, options: Options = Options()) throws {
        if options.createDirectory && !options.readOnly {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        }
        guard let canonical = realpath(path, nil) else {
            throw LMDBError(code: ENOENT, operation: "open \(path)")
        }
        let canonicalPath = String(cString: canonical)
        free(canonical)
        resizeGate = try ResizeGate()
        let claimed = Self.openPaths.withLock { $0.insert(canonicalPath).inserted }
        guard claimed else { throw LMDBError(code: EBUSY, operation: "open \(path): already open in this process") }

        var env: OpaquePointer?
        var lockless = false
        do {
            try Self.checkFiles(in: canonicalPath, writable: !options.readOnly)
            while true {
                try check(mdb_env_create(&env), "mdb_env_create")
                try check(mdb_env_set_maxdbs(env, MDB_dbi(options.maxDatabases)), "mdb_env_set_maxdbs")
                try check(mdb_env_set_mapsize(env, options.mapSize), "mdb_env_set_mapsize")
                var flags = UInt32(MDB_NOTLS)
                if options.readOnly { flags |= UInt32(MDB_RDONLY) }
                if lockless { flags |= UInt32(MDB_NOLOCK) }
                let code = mdb_env_open(env, canonicalPath, flags, 0o644)
                // A reader who may not write lock.mdb (a copy owned by someone else) can still
                // read: without a lock, which is sound only while nothing writes the copy.
                if code == EACCES, options.readOnly, !lockless {
                    mdb_env_close(env)
                    env = nil
                    lockless = true
                    continue
                }
                try check(code, "mdb_env_open(\(path))")
                break
            }
            try Self.checkLength(env!, dataFile: canonicalPath + "/data.mdb")
            if !lockless {
                var cleared: Int32 = 0
                try check(mdb_reader_check(env, &cleared), "mdb_reader_check")
            }
        } catch {
            if let env { mdb_env_close(env) }
            Self.openPaths.withLock { _ = $0.remove(canonicalPath) }
            throw error
        }
        self.isLockless = lockless
        self.handle = env!
        self.path = canonicalPath
        self.isReadOnly = options.readOnly
    }

    deinit {
        mdb_env_close(handle)
        let path = self.path
        Self.openPaths.withLock { _ = $0.remove(path) }
    }

    // MARK: - Files

    /// Refuses a `data.mdb` or `lock.mdb` that is not a plain, singly linked file, and gives a
    /// writable environment's `lock.mdb` its space up front (see ``EnvironmentFileProblem``).
    private static func checkFiles(in directory: String, writable: Bool) throws(EnvironmentFileProblem) {
        for name in ["data.mdb", "lock.mdb"] {
            let file = directory + "/" + name
            var status = stat()
            guard lstat(file, &status) == 0 else { continue }  // absent: LMDB creates it
            let type = status.st_mode & S_IFMT
            if type != S_IFREG {
                let found = type == S_IFLNK ? "a symbolic link" : type == S_IFDIR ? "a directory" : "not a plain file"
                throw .notARegularFile(path: file, found: found)
            }
            if status.st_nlink > 1 { throw .hardLinked(path: file, links: Int(status.st_nlink)) }
        }
        guard writable else { return }
        // LMDB sizes lock.mdb with ftruncate and maps it: on a full file system the first
        // touch of a page that has no block behind it raises SIGBUS. Allocating the blocks
        // now turns that into an error (8 KiB is LMDB's default table of 126 reader slots).
        let lockFile = directory + "/lock.mdb"
        let descriptor = Glibc.open(lockFile, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o644)
        guard descriptor >= 0 else { return }  // LMDB reports its own error on open
        defer { Glibc.close(descriptor) }
        var status = stat()
        let size = fstat(descriptor, &status) == 0 ? Int(status.st_size) : 0
        let code = posix_fallocate(descriptor, 0, off_t(max(size, 8192)))
        if code != 0 && code != EOPNOTSUPP && code != EINVAL { throw .lockFileSpace(path: lockFile, errno: code) }
    }

    /// Refuses a `data.mdb` shorter than the last page its newest meta page names, before any
    /// page past the meta pages is touched (which would fault with SIGBUS).
    private static func checkLength(_ env: OpaquePointer, dataFile: String) throws(EnvironmentFileProblem) {
        var info = MDB_envinfo()
        var statistics = MDB_stat()
        guard mdb_env_info(env, &info) == MDB_SUCCESS, mdb_env_stat(env, &statistics) == MDB_SUCCESS else { return }
        let needed = (Int64(info.me_last_pgno) + 1) * Int64(statistics.ms_psize)
        var status = stat()
        guard stat(dataFile, &status) == 0 else { return }
        if Int64(status.st_size) < needed { throw .truncated(path: dataFile, size: Int64(status.st_size), needed: needed) }
    }

    // MARK: - Transactions

    /// Runs `body` in a read-only snapshot transaction, then ends it.
    /// Whatever `body` returns must not borrow from the map.
    public func read<T>(_ body: (Transaction) throws -> T) throws -> T {
        while true {
            try resizeGate.enterShared()
            var txn: OpaquePointer?
            let code = mdb_txn_begin(handle, nil, UInt32(MDB_RDONLY), &txn)
            if code == MDB_MAP_RESIZED {
                resizeGate.leave()
                try adoptMapSizeGrownElsewhere()
                continue
            }
            defer { resizeGate.leave() }
            try check(code, "mdb_txn_begin(read)")
            defer { mdb_txn_abort(txn) }
            return try body(Transaction(handle: txn!, isReadOnly: true))
        }
    }

    /// Runs `body` in a write transaction: commits (durably) when it returns, aborts when it
    /// throws. When the map fills, the transaction is aborted, the map doubled and `body`
    /// run again from the start, so `body` must depend only on what it reads.
    /// - Throws: what `body` throws, or ``LMDBError`` from begin or commit.
    public func write<T>(_ body: (Transaction) throws -> T) throws -> T {
        writerLock.lock()
        defer { writerLock.unlock() }
        while true {
            try resizeGate.enterShared()
            var txn: OpaquePointer?
            let beginCode = mdb_txn_begin(handle, nil, 0, &txn)
            if beginCode == MDB_MAP_RESIZED {
                resizeGate.leave()
                try adoptMapSizeGrownElsewhere()
                continue
            }
            if beginCode != MDB_SUCCESS {
                resizeGate.leave()
                throw LMDBError(code: beginCode, operation: "mdb_txn_begin(write)")
            }
            let transaction = Transaction(handle: txn!, isReadOnly: false)
            let result: T
            do {
                result = try body(transaction)
            } catch {
                mdb_txn_abort(txn)
                resizeGate.leave()
                if transaction.hitMapFull { try growMap(); continue }
                throw error
            }
            if transaction.hitMapFull {
                // The body swallowed MDB_MAP_FULL; the transaction is unusable.
                mdb_txn_abort(txn)
                resizeGate.leave()
                try growMap()
                continue
            }
            // mdb_txn_commit frees the transaction whether or not it succeeds: never abort it after.
            let commitCode = mdb_txn_commit(txn)
            resizeGate.leave()
            if commitCode == MDB_MAP_FULL { try growMap(); continue }
            if commitCode != MDB_SUCCESS { throw commitFailure(commitCode) }
            return result
        }
    }

    /// Why a commit failed. LMDB reports a short write as `EIO`, and a write to a full file
    /// system is usually short before it is refused: so an `EIO` while the ledger's file system
    /// has less than ``fullMargin`` bytes free is reported as the full disk it is (`ENOSPC`).
    public func commitFailure(_ code: Int32) -> LMDBError {
        guard code == EIO, let free = freeBytes(), free < Self.fullMargin else { return LMDBError(code: code, operation: "mdb_txn_commit") }
        return LMDBError(code: ENOSPC, operation: "mdb_txn_commit (an I/O error with \(free) bytes free where the ledger is: the disk is full)")
    }

    /// Less free space than this where the ledger is, and a failed write is taken for a full disk.
    static let fullMargin: Int64 = 16 << 20

    /// Bytes free to this process on the ledger's file system, if it can be told.
    func freeBytes() -> Int64? {
        var status = statvfs()
        guard statvfs(path, &status) == 0 else { return nil }
        return Int64(status.f_bavail) * Int64(status.f_frsize)
    }

    // MARK: - Databases

    /// Opens the named database, creating it when `flags` contain ``DatabaseFlags/create``.
    ///
    /// The opening transaction is committed even when it is read-only: LMDB closes a handle
    /// opened in a transaction that ends by abort.
    /// - Throws: ``LMDBError/notFound`` when it does not exist and may not be created.
    public func openDatabase(_ name: String, flags: DatabaseFlags = []) throws -> Database {
        if !isReadOnly {
            return try write { txn in try Self.open(name, flags: flags, in: txn) }
        }
        try resizeGate.enterShared()
        defer { resizeGate.leave() }
        var txn: OpaquePointer?
        try check(mdb_txn_begin(handle, nil, UInt32(MDB_RDONLY), &txn), "mdb_txn_begin(read)")
        let database: Database
        do {
            database = try Self.open(name, flags: flags, in: Transaction(handle: txn!, isReadOnly: true))
        } catch {
            mdb_txn_abort(txn)
            throw error
        }
        try check(mdb_txn_commit(txn), "mdb_txn_commit(read)")
        return database
    }

    private static func open(_ name: String, flags: DatabaseFlags, in txn: Transaction) throws(LMDBError) -> Database {
        var dbi: MDB_dbi = 0
        try check(mdb_dbi_open(txn.handle, name, flags.rawValue, &dbi), "mdb_dbi_open(\(name))")
        return Database(handle: dbi, name: name)
    }

    // MARK: - Map size and copies

    /// The current map size in bytes.
    public var mapSize: Int {
        var info = MDB_envinfo()
        mdb_env_info(handle, &info)
        return info.me_mapsize
    }

    /// What changes whenever the environment's contents may have: the id of the last committed
    /// write transaction (moved by every writer, in this process or another) and the data file's
    /// modification time, size and inode (moved by a write that bypassed LMDB, or a file
    /// replaced). Two equal stamps mean nothing was written in between, so a cache of what was
    /// read and checked may be reused.
    public struct ChangeStamp: Hashable, Sendable {
        public let transaction: Int
        public let modified: Int
        public let modifiedNanoseconds: Int
        public let size: Int64
        public let inode: UInt64
    }

    /// The environment's ``ChangeStamp`` now.
    public func changeStamp() -> ChangeStamp {
        var info = MDB_envinfo()
        mdb_env_info(handle, &info)
        var status = stat()
        _ = stat(path + "/data.mdb", &status)
        return ChangeStamp(
            transaction: info.me_last_txnid, modified: status.st_mtim.tv_sec, modifiedNanoseconds: status.st_mtim.tv_nsec,
            size: Int64(status.st_size), inode: UInt64(status.st_ino))
    }

    /// Writes a compacted copy of the environment into the empty directory `directory`
    /// (`mdb_env_copy2` with `MDB_CP_COMPACT`). Safe while the environment is in use.
    public func copyCompacted(to directory: String) throws(LMDBError) {
        try check(mdb_env_copy2(handle, directory, UInt32(MDB_CP_COMPACT)), "mdb_env_copy2(\(directory))")
    }

    private func growMap() throws(LMDBError) {
        try resizeGate.enterExclusive()
        defer { resizeGate.leave() }
        try check(mdb_env_set_mapsize(handle, mapSize * 2), "mdb_env_set_mapsize")
    }

    /// Another process grew the map: adopt its size (`mdb_env_set_mapsize(env, 0)`).
    private func adoptMapSizeGrownElsewhere() throws(LMDBError) {
        try resizeGate.enterExclusive()
        defer { resizeGate.leave() }
        try check(mdb_env_set_mapsize(handle, 0), "mdb_env_set_mapsize")
    }
}
