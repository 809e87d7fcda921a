import Foundation

/// A readers–writer lock held shared by every transaction of an environment and exclusively by
/// a map resize: `mdb_env_set_mapsize` may only run while this process has no transaction open.
///
/// A `pthread_rwlock_t` rather than a Swift lock because it must be shared by many readers at
/// once. Every return code is checked: taking the lock can fail (`EAGAIN` when too many
/// readers hold it, `EDEADLK`) and is thrown; releasing a held lock cannot fail unless
/// svledger has a bug, which stops the process rather than run on with a broken lock.
final class ResizeGate {
    private let lock: UnsafeMutablePointer<pthread_rwlock_t>

    /// - Throws: ``LMDBError`` with the code of `pthread_rwlock_init`.
    init() throws(LMDBError) {
        lock = .allocate(capacity: 1)
        let code = pthread_rwlock_init(lock, nil)
        guard code == 0 else {
            lock.deallocate()
            throw LMDBError(code: code, operation: "pthread_rwlock_init")
        }
    }

    deinit {
        let code = pthread_rwlock_destroy(lock)
        assert(code == 0, "pthread_rwlock_destroy returned \(code): the gate is still held")
        lock.deallocate()
    }

    /// Takes the gate shared (`pthread_rwlock_rdlock`), as every transaction does.
    func enterShared() throws(LMDBError) {
        let code = pthread_rwlock_rdlock(lock)
        guard code == 0 else { throw LMDBError(code: code, operation: "pthread_rwlock_rdlock") }
    }

    /// Takes the gate exclusively (`pthread_rwlock_wrlock`), as a map resize does.
    func enterExclusive() throws(LMDBError) {
        let code = pthread_rwlock_wrlock(lock)
        guard code == 0 else { throw LMDBError(code: code, operation: "pthread_rwlock_wrlock") }
    }

    /// Releases the gate (`pthread_rwlock_unlock`).
    func leave() {
        let code = pthread_rwlock_unlock(lock)
        precondition(code == 0, "pthread_rwlock_unlock returned \(code): the resize gate was not held")
    }
}
