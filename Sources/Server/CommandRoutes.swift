import Access
import Dispatch
import Foundation
import EventStore
import HTTPTypes
import Hummingbird
import LedgerValues
import Ledger
import SocialValue
import Synchronization

/// A finished answer, kept so that a retry with the same `Idempotency-Key` gets it again.
struct StoredAnswer: Sendable {
    let status: HTTPResponse.Status
    let headers: HTTPFields
    let body: [UInt8]

    init(_ response: (status: HTTPResponse.Status, headers: HTTPFields, body: [UInt8])) {
        status = response.status
        headers = response.headers
        body = response.body
    }

    init(_ problem: Problem) {
        var headers = problem.headers
        headers[.contentType] = "application/problem+json"
        self.init((problem.status, headers, problem.json.canonicalBytes))
    }

    func response() -> Response {
        Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }

    /// The same answer, marked as given again to a retry.
    func replayed() -> StoredAnswer {
        var headers = headers
        headers[HTTPField.Name("Idempotent-Replayed")!] = "true"
        return StoredAnswer((status, headers, body))
    }
}

/// The first answer to each `Idempotency-Key`, per account, with a digest of the request it
/// answered. Held in memory, the most recent ``limit`` keys: the fast path, and the one place
/// that can tell a retry from a key reused for another request. The log is the source of
/// truth: a key this memory does not know (evicted, from before a restart, or sent to another
/// process on the same ledger) is looked up in the log's correlation index inside the commit.
final class IdempotencyStore: Sendable {
    let limit: Int

    init(limit: Int) { self.limit = max(1, limit) }

    private struct Entry {
        let request: String
        let answer: StoredAnswer
    }

    private struct Storage {
        var entries: [String: Entry] = [:]
        var order: [String] = []
    }

    private let storage = Mutex(Storage())

    static let reused = Problem(
        .idempotencyKeyReused,
        "this Idempotency-Key was used for a different request; use a new key for a new command")

    func answer(key: String, request: String) throws(Problem) -> StoredAnswer? {
        guard let entry = storage.withLock({ $0.entries[key] }) else { return nil }
        guard entry.request == request else { throw Self.reused }
        return entry.answer
    }

    func remember(key: String, request: String, answer: StoredAnswer) {
        let limit = self.limit
        storage.withLock { storage in
            if storage.entries.updateValue(Entry(request: request, answer: answer), forKey: key) == nil { storage.order.append(key) }
            if storage.order.count > limit {
                let dropped = storage.order.count - limit
                for old in storage.order.prefix(dropped) { storage.entries[old] = nil }
                storage.order.removeFirst(dropped)
            }
        }
    }
}

/// A command waiting for the next commit, parsed and checked as far as it can be without the ledger.
struct PendingCommand: Sendable {
    /// One command, or the several of an import: decided and recorded all or none.
    let commands: [AnyLedgerCommand]
    let identity: AccessState.Identity
    /// The contract's stream, whose new version the answer gives as its `ETag`.
    let stream: String?
    let expectedVersions: [String: UInt64]
    /// `Idempotency-Key`, scoped to the account, and a digest of what it asked.
    let key: String?
    let digest: String
    /// The bytes of the evidence files the command's lines cite, sent with it.
    var evidence: [[UInt8]] = []
}

/// The one writer, committing in groups: commands that arrive while a commit is under way
/// wait for the next one, and are then decided in arrival order and committed together in one
/// durable transaction (``Ledger/executeGroup(_:today:)``), each with its own outcome. Every
/// request is answered only after the commit that holds it. With `maxGroup` 1 it is one
/// commit per request (the peer a benchmark compares against).
final class GroupCommitter: Sendable {
    private let queue = DispatchQueue(label: "svledger.writer")
    private let waiting = Mutex<[(command: PendingCommand, answer: CheckedContinuation<StoredAnswer, Never>)]>([])
    let maxGroup: Int
    private let commit = Mutex<(@Sendable ([PendingCommand]) -> [StoredAnswer])?>(nil)

    /// The most commands one commit holds; past it, the rest wait for the next.
    static let largestGroup = 256

    init(maxGroup: Int) { self.maxGroup = max(1, maxGroup) }

    /// What commits a group (the server's ``LedgerServer/commitGroup(_:)``), set once.
    func committing(with commit: @escaping @Sendable ([PendingCommand]) -> [StoredAnswer]) {
        self.commit.withLock { existing in
            precondition(existing == nil, "a GroupCommitter's commit is set once")
            existing = commit
        }
    }

    /// Commands waiting for a commit to take them.
    var waitingCount: Int { waiting.withLock { $0.count } }

    /// Runs `body` on the writer's queue, between group commits: a write that is not a domain
    /// command (an access change) is serialised with the commits rather than racing them.
    func exclusive<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async { continuation.resume(with: Result { try body() }) }
        }
    }

    func submit(_ command: PendingCommand) async -> StoredAnswer {
        await withCheckedContinuation { continuation in
            waiting.withLock { $0.append((command, continuation)) }
            queue.async { self.commitWaiting() }
        }
    }

    /// On the writer's queue: takes what has arrived (up to `maxGroup`) and commits it as one group.
    private func commitWaiting() {
        // A committer without its commit would take waiters and never answer them.
        guard let commit = commit.withLock({ $0 }) else { preconditionFailure("GroupCommitter used before committing(with:) was called") }
        let group = waiting.withLock { waiting in
            let taken = Array(waiting.prefix(maxGroup))
            waiting.removeFirst(taken.count)
            return taken
        }
        guard !group.isEmpty else { return }
        let answers = commit(group.map(\.command))
        precondition(answers.count == group.count, "a group commit must answer every command it took")
        for (waiter, answer) in zip(group, answers) { waiter.answer.resume(returning: answer) }
    }
}

extension LedgerServer {
    /// `POST /commands`: one command in the JSON form of `svledger apply` (Schemas/commands/),
    /// without `actor`: the actor and role recorded are the authenticated identity's, and a
    /// body that names an actor is refused (400 `actor-in-body`), never silently overridden.
    func addCommandRoutes(_ routes: RouteTable) {
        routes.add(.post, "/commands", access: .operation(.command)) { request, context in try await self.command(request, context) }
    }

    func command(_ request: Request, _ context: ServerContext) async throws -> Response {
        let identity = try context.requireIdentity()
        let contentType = request.headers[.contentType]
        let boundary = WebForm.multipartBoundary(contentType)
        if boundary == nil { try ContentType.require(contentType, ["application/json", "multipart/form-data"], what: "the command") }
        let key = try Self.idempotencyKey(request)
        let ifMatch = try Self.ifMatch(request)
        var json: JSONValue, evidence: [[UInt8]] = []
        if let boundary {
            // A return with its evidence files: the command in part `command`, each file in a
            // part of its own (curl -F command=@return.json -F file=@payslip.pdf).
            let body = try await collectBody(request, what: "a command with its evidence files", limit: settings.evidenceBodyLimit)
            guard let form = WebForm(multipart: body, boundary: boundary), let text = form["command"] else {
                throw Problem(.malformedBody, "a multipart command has a part named command, holding the command as JSON, and a part for each evidence file")
            }
            (json, evidence) = try EvidenceUpload.complete(try Self.commandJSON(Array(text.utf8), identity: identity), files: form.allFiles)
        } else {
            json = try Self.commandJSON(try await collectBody(request, what: "a command"), identity: identity)
        }
        let digest = AccessToken.sha256(json.canonicalText + "\u{0}" + (ifMatch.map(String.init) ?? ""))
        let scopedKey = key.map { identity.account + "\u{0}" + $0 }
        // Refused here, before the ledger is asked, a retry is refused the same way again.
        var pending = try prepare(json, identity: identity, ifMatch: ifMatch, key: scopedKey, digest: digest)
        pending.evidence = evidence
        return await committer.submit(pending).response()
    }

    /// Parses the command and applies what a role may never do, without reading the ledger.
    func prepare(_ json: JSONValue, identity: AccessState.Identity, ifMatch: UInt64?, key: String?, digest: String) throws -> PendingCommand {
        let command = try AnyLedgerCommand.parse(json, today: today(), builtin: BuiltinReference.document)
        var stream: String?
        var expected: [String: UInt64] = [:]
        switch command {
        case .ledger(.contract(let contractCommand)):
            stream = ContractEvent.stream(contract: contractCommand.contract)
            // Erasure has a route of its own, an administrator's alone.
            if case .eraseEvidence = contractCommand.action {
                throw Problem.forbidden("an evidence file is erased by an Administrator, with POST /contracts/{contract}/evidence/{sha256}/erasure")
            }
            if identity.role == .supplier {
                switch contractCommand.action {
                case .reportDelivery, .correctDelivery, .correctQuarter, .answerQuery: break
                default: throw Problem.forbidden("a Supplier records delivery returns, corrections and answers to queries only")
                }
            }
            if let ifMatch, let stream { expected[stream] = ifMatch }
        case .ledger(.adoptPolicy), .ledger(.publishCatalog), .describeCouncil:
            if identity.role == .supplier { throw Problem.forbidden("a Supplier records delivery returns and corrections only") }
            if ifMatch != nil { throw Problem(.ifMatchUnsupported, "If-Match applies to contract commands, whose stream version GET /contracts/{contract} gives as its ETag") }
        }
        return PendingCommand(commands: [command], identity: identity, stream: stream, expectedVersions: expected, key: key, digest: digest)
    }

    /// On the writer's queue: one group of commands, decided in order and committed together.
    ///
    /// A keyed request is answered from memory when this server answered it before; otherwise
    /// the ledger looks its correlation id up in the log's index inside the commit's write
    /// transaction (``Ledger/executeGroup(_:today:)``), so a retry is never recorded twice:
    /// not after any number of later requests, not after a restart, and not when another
    /// server or the CLI on the same ledger recorded it.
    func commitGroup(_ group: [PendingCommand]) -> [StoredAnswer] {
        var answers = [StoredAnswer?](repeating: nil, count: group.count)
        var requests: [Ledger.Request] = []
        var requestOf: [Int] = []              // request → its place in the group
        var digestOfKey: [String: String] = [:]
        for (index, pending) in group.enumerated() {
            do {
                if let key = pending.key {
                    if let first = try idempotency.answer(key: key, request: pending.digest) {
                        answers[index] = first.replayed()
                        continue
                    }
                    // The same key twice in one group: the ledger answers the second as a retry
                    // of the first, which it is only if it asks the same.
                    if let earlier = digestOfKey.updateValue(pending.digest, forKey: key), earlier != pending.digest {
                        digestOfKey[key] = earlier
                        throw IdempotencyStore.reused
                    }
                }
                for case .ledger(.contract(let command)) in pending.commands where pending.identity.role == .supplier {
                    if (try? Self.existingReference(command.contract)) != nil, try !supplierOwns(command.contract, pending.identity) {
                        // Another supplier's contract, or none: the same 404 either way.
                        throw Problem.contractNotFound(command.contract)
                    }
                }
            } catch {
                answers[index] = StoredAnswer(Problem.from(error))
                continue
            }
            requests.append(Ledger.Request(
                pending.commands, expectedVersions: pending.expectedVersions, correlationId: pending.key.map(Ledger.correlationId(idempotencyKey:)),
                evidence: pending.evidence))
            requestOf.append(index)
        }
        guard !requests.isEmpty else { return answers.map { $0! } }
        let results: [Result<Ledger.Outcome, any Error>]
        do {
            results = try ledger.executeGroup(requests, today: today())
        } catch {
            // The commit itself failed: nothing of the group was recorded.
            log(commitFailure: error, commands: requests.count)
            for index in requestOf { answers[index] = StoredAnswer(Problem.from(error)) }
            return answers.map { $0! }
        }
        let recorded = results.compactMap { try? $0.get() }.filter { !$0.wasAlreadyRecorded }
        if !recorded.isEmpty { metrics.commit(commands: recorded.count) }
        // Folded in before any request of the group is answered: a read that follows its own
        // write finds it without folding anything.
        live.committed(recorded.flatMap(\.recorded).sorted { $0.position < $1.position })
        for (request, result) in results.enumerated() {
            let index = requestOf[request], pending = group[index]
            let answer: StoredAnswer
            switch result {
            case .success(let outcome):
                let created = Self.created(outcome, stream: pending.stream, scopedToSupplier: pending.identity.role == .supplier)
                answer = outcome.wasAlreadyRecorded ? created.replayed() : created
                if let key = pending.key { idempotency.remember(key: key, request: pending.digest, answer: created) }
            case .failure(let error):
                answer = StoredAnswer(Problem.from(error))
                if let key = pending.key, Self.isLasting(answer, ifMatch: !pending.expectedVersions.isEmpty) {
                    idempotency.remember(key: key, request: pending.digest, answer: answer)
                }
            }
            answers[index] = answer
        }
        return answers.map { $0! }
    }

    /// Whether a refusal is the answer a retry would get again, and so may be replayed under its
    /// key: a rule's refusal or bad input is; a server fault (5xx) is not, nor a conflict the
    /// client did not ask for (with no `If-Match`, a conflict can only come from state that
    /// moved, and the retry is decided afresh).
    static func isLasting(_ answer: StoredAnswer, ifMatch: Bool) -> Bool {
        switch answer.status.code {
        case 500...: false
        case 409: ifMatch
        default: true
        }
    }

    /// A commit that failed, logged with what the ledger said (the answer gives the kind only).
    func log(commitFailure error: any Error, commands: Int) {
        let problem = Problem.from(error)
        logger.error("commit failed", metadata: [
            "kind": .string(problem.kind), "status": .stringConvertible(problem.status.code), "commands": .stringConvertible(commands),
            "error": .string(String(describing: error)),
        ])
    }

    /// 201: the events recorded and the head, with the contract's new version as its ETag.
    /// - Parameter scopedToSupplier: a supplier is given the versions of the streams written
    ///   instead of the ledger's head (``SupplierScope``).
    static func created(_ outcome: Ledger.Outcome, stream: String?, scopedToSupplier: Bool = false) -> StoredAnswer {
        let events = outcome.recorded
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        if let stream, let last = events.last(where: { $0.streamId == stream }) { headers[.eTag] = "\"\(last.streamVersion)\"" }
        return StoredAnswer((.created, headers, SupplierScope.commandAnswer(outcome, forSupplier: scopedToSupplier).canonicalBytes))
    }

    /// The body as a command's JSON object, with the authenticated actor put in.
    static func commandJSON(_ bytes: [UInt8], identity: AccessState.Identity) throws -> JSONValue {
        guard !bytes.isEmpty else { throw PlainError(.input, kind: "empty-input", "the body is empty; send one command as a JSON object") }
        let parsed: JSONValue
        do {
            parsed = try JSONValue(parsing: bytes)
        } catch {
            // JSON by RFC 8259 that svledger's stricter form refuses (a fraction such as 0.0, an
            // exponent, an integer beyond ±(2^53 − 1), a repeated key): the request reads, a
            // value in it is wrong, so 422 (400 is for bytes that are not JSON at all).
            let problem = Problem.from(error)
            guard problem.kind == "invalid-json", (try? JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed])) != nil else { throw problem }
            throw Problem(.unprocessableContent, kind: problem.kind, category: problem.category, problem.detail)
        }
        guard case .object(var members) = parsed else {
            throw PlainError(.input, kind: "invalid-json", "the body must be one command, a JSON object")
        }
        if members["actor"] != nil {
            throw Problem(
                .actorInBody,
                "leave out \"actor\": the actor and role recorded are those of the bearer token (\(identity.account), \(identity.role.rawValue))")
        }
        members["actor"] = ["id": .string(identity.account), "role": .string(identity.role.rawValue)]
        return .object(members)
    }

    /// `Idempotency-Key`: 1 to 200 printable ASCII characters.
    static func idempotencyKey(_ request: Request) throws(Problem) -> String? {
        guard let key = request.headers[HTTPField.Name("Idempotency-Key")!] else { return nil }
        guard (1...200).contains(key.utf8.count), key.utf8.allSatisfy({ (0x21...0x7E).contains($0) }) else {
            throw Problem(.invalidIdempotencyKey, "Idempotency-Key is 1 to 200 printable ASCII characters without spaces")
        }
        return key
    }

    /// `If-Match: "VERSION"` (the ETag of `GET /contracts/{contract}`; 0 for a contract not yet registered).
    static func ifMatch(_ request: Request) throws(Problem) -> UInt64? {
        guard let text = request.headers[.ifMatch] else { return nil }
        var tag = Substring(text.trimmingCharacters(in: " \t"))
        if tag.hasPrefix("W/") { tag = tag.dropFirst(2) }
        if tag.hasPrefix("\""), tag.hasSuffix("\""), tag.count >= 2 { tag = tag.dropFirst().dropLast() }
        guard let version = UInt64(tag), tag.utf8.count <= 16 else {
            throw Problem(.invalidIfMatch, "If-Match takes one ETag of GET /contracts/{contract}, such as \"7\", got \(DisplayText.quoted(text))")
        }
        return version
    }
}
