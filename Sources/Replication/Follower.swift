import EventStore
import Foundation
import LedgerValues
import Ledger
import Transparency

/// Why a follower stopped for good: its primary's history is not the one it holds, or an
/// event it sent was altered. What the follower holds is kept, and nothing past it appended.
public struct ReplicationStopped: Error, Sendable, CustomStringConvertible {
    public let position: UInt64
    public let problem: String

    public var description: String { "stopped at position \(position): \(problem). What this follower held is kept, and nothing from there on was appended" }
}

/// A verifying follower (docs/operations.md, "More than one machine"): it pages through its
/// primary's `GET /log` from its own head and appends each event byte for byte, checked hash by
/// hash against its own chain (``Ledger/appendReplicated(_:files:)``), with the evidence files
/// the events cite. Each page is one durable transaction, so a follower killed at any moment
/// resumes from its head with no gap and no duplicate. Where its primary signs checkpoints, it
/// checks each against its own tree and the primary's consistency proof, and keeps it.
public final class Follower: Sendable {
    public let ledger: Ledger
    public let primary: PrimaryClient
    /// The folder of the follower's ledger, where ``FollowerStatus`` is written.
    let directory: String
    /// New events asked for in one `GET /log` (the server gives at most 10,000, the event the
    /// follower holds last among them).
    let pageSize: Int
    /// Called after each page appended: its events, and the follower's head then.
    let onPage: @Sendable ([ReplicatedEvent], LedgerHead) -> Void

    public init(
        ledger: Ledger, primary: PrimaryClient, directory: String, pageSize: Int = 2_000,
        onPage: @escaping @Sendable ([ReplicatedEvent], LedgerHead) -> Void = { _, _ in }
    ) {
        self.ledger = ledger
        self.primary = primary
        self.directory = directory
        self.pageSize = pageSize
        self.onPage = onPage
    }

    /// What one catch-up did.
    public struct CatchUp: Sendable {
        public var appended = 0
        public var head: LedgerHead
        public var primaryHead: UInt64
        /// The size of a checkpoint of the primary's checked in this pass.
        public var checkpointChecked: UInt64?
    }

    /// Catches up with the primary's head as it is when asked, then checks its checkpoint.
    /// - Throws: ``ReplicationStopped`` when the histories differ or an event was altered;
    ///   ``PrimaryUnavailable`` when the primary cannot be read (what was appended stays).
    public func catchUp() async throws -> CatchUp {
        var head = try ledger.store.head()
        let primaryHead = try await primary.head()
        if primaryHead.position < head.position {
            throw ReplicationStopped(
                position: primaryHead.position + 1,
                problem: "the primary holds \(primaryHead.position) events and this follower \(head.position): the primary lost events it had recorded, or is another ledger")
        }
        var pass = CatchUp(head: head, primaryHead: primaryHead.position)
        if primaryHead.position == head.position {
            guard primaryHead.hash == head.hash else { throw Self.fork(at: head, theirs: primaryHead.hash) }
            try adoptPrimary()
        }
        while head.position < primaryHead.position {
            // The page starts at the follower's own head, when it has one, so that the primary
            // shows it still holds that event with that hash before anything is added to it.
            let from = max(head.position, 1)
            var page = try await primary.events(from: from, limit: min(pageSize + (head.position > 0 ? 1 : 0), PrimaryClient.pageLimit))
            if head.position > 0 {
                guard let first = page.first else {
                    throw ReplicationStopped(position: head.position, problem: "the primary no longer gives event \(head.position), which this follower holds")
                }
                guard first.hash == head.hash else { throw Self.fork(at: head, theirs: first.hash) }
                page.removeFirst()
            }
            try adoptPrimary()
            if page.isEmpty { break }
            let files = try await fetchEvidence(page)
            do {
                head = try ledger.appendReplicated(page, files: files)
            } catch let refusal as ReplicationRefusal {
                // What came before the refused event continues the chain: it is kept.
                let good = Int(refusal.position - head.position - 1)
                if good > 0 { head = try ledger.appendReplicated(Array(page.prefix(good)), files: files) }
                pass.appended += good
                throw ReplicationStopped(position: refusal.position, problem: refusal.problem)
            }
            pass.appended += page.count
            pass.head = head
            onPage(page, head)
        }
        pass.head = head
        pass.checkpointChecked = try await checkCheckpoint()
        return pass
    }

    /// Names this primary as the one the ledger follows (`meta`/`follows`), once the primary has
    /// shown it holds the ledger's head: a primary that forks from it never becomes the one
    /// followed, and the ledger is left byte for byte as it was.
    func adoptPrimary() throws {
        let url = primary.url.absoluteString
        if try ledger.store.read({ try $0.followedPrimary() }) != url { try ledger.store.setFollowedPrimary(url) }
    }

    /// Polls the primary every `interval` and catches up, until cancelled; an unreachable primary
    /// is tried again, more slowly, up to `maxBackoff` apart. Writes ``FollowerStatus`` after
    /// each poll.
    /// - Throws: ``ReplicationStopped``, a permanent refusal (a bad token), or a storage error
    ///   (the disk full): each stops the follower with what it holds kept.
    public func run(every interval: Duration, maxBackoff: Duration = .seconds(5), say: @Sendable (String) -> Void) async throws {
        var status = try startingStatus()
        var wait = interval
        var wasDown = false
        while !Task.isCancelled {
            do {
                let pass = try await catchUp()
                let now = Timestamp.now()
                status.head = pass.head
                status.primaryHead = pass.primaryHead
                status.checkedAt = now
                if pass.head.position >= pass.primaryHead { status.caughtUpAt = now }
                if let size = pass.checkpointChecked { status.checkpointSize = size }
                status.problem = nil
                if wasDown { say("the primary answers again; this follower is at \(pass.head.position)") }
                wasDown = false
                wait = interval
            } catch let unavailable as PrimaryUnavailable where !unavailable.isPermanent {
                status.problem = unavailable.description
                status.head = try ledger.store.head()
                if !wasDown { say("\(unavailable); trying again") }
                wasDown = true
                wait = min(maxBackoff, wait * 2)
            } catch {
                status.problem = "\(error)"
                status.head = (try? ledger.store.head()) ?? status.head
                try? status.write(ledgerDirectory: directory)
                throw error
            }
            try? status.write(ledgerDirectory: directory)
            try? await Task.sleep(for: wait)
        }
    }

    func startingStatus() throws -> FollowerStatus {
        let head = try ledger.store.head()
        return FollowerStatus.read(ledgerDirectory: directory)
            .map { var status = $0; status.head = head; return status }
            ?? FollowerStatus(primary: primary.url.absoluteString, head: head, primaryHead: head.position)
    }

    /// Fetches the files `page` cites that this follower does not keep.
    func fetchEvidence(_ page: [ReplicatedEvent]) async throws -> [String: [UInt8]] {
        var files: [String: [UInt8]] = [:]
        for cited in try ledger.evidenceToFetch(page) where files[cited.file.sha256] == nil {
            if let bytes = try await primary.evidence(contract: cited.contract, sha256: cited.file.sha256) { files[cited.file.sha256] = bytes }
        }
        return files
    }

    /// Checks the primary's last checkpoint when this follower holds its size: its signature by
    /// a key the ledger registered, its root against the follower's own tree, and the
    /// primary's consistency proof from the last checkpoint kept. Then keeps it.
    /// - Returns: the size checked, or `nil` when there was none to check yet.
    func checkCheckpoint() async throws -> UInt64? {
        guard let signed = try await primary.checkpoint() else { return nil }
        let size = signed.checkpoint.size
        let held = try ledger.store.head().position
        guard size <= held else { return nil }
        let kept = try ledger.store.read { try $0.lastCheckpoint() }
        if let kept, kept.checkpoint.size >= size { return nil }
        do {
            _ = try ledger.check(signed)
        } catch {
            throw ReplicationStopped(position: size, problem: "the primary's checkpoint of \(size) events does not hold against this follower's ledger: \(error)")
        }
        if let kept, kept.checkpoint.size > 0 {
            let proof = try await primary.consistencyProof(from: kept.checkpoint.size, to: size)
            do {
                try ProofVerification.verifyConsistency(
                    proof, size1: kept.checkpoint.size, size2: size, root1: kept.checkpoint.root, root2: signed.checkpoint.root)
            } catch {
                throw ReplicationStopped(position: size, problem: "the primary's consistency proof from \(kept.checkpoint.size) to \(size) events does not verify: \(error)")
            }
        }
        try ledger.store.keepPrimaryCheckpoint(signed)
        return size
    }

    static func fork(at head: LedgerHead, theirs: ChainHash) -> ReplicationStopped {
        ReplicationStopped(
            position: head.position,
            problem: "the primary's event \(head.position) has hash \(theirs.hex), and this follower's \(head.hash.hex): the two histories differ (a fork). Nothing is overwritten; see docs/operations.md, \"A follower that stops\"")
    }
}

extension ReplicationStopped: CategorizedError {
    public var kind: String { "replication-stopped" }
    public var category: ErrorCategory { .integrity }
}

extension PrimaryUnavailable: CategorizedError {
    public var kind: String { isPermanent ? "primary-refused" : "primary-unavailable" }
    /// A primary that is down is worth trying again (75); a token it refuses is not.
    public var category: ErrorCategory { isPermanent ? .refused : .conflict }
}
