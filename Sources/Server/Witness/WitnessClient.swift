import EventStore
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Logging
import Synchronization
import Transparency

/// Why a witness gave no cosignature: its HTTP status (0 when it was not reached) and answer.
public struct WitnessFailure: Error, Sendable, CustomStringConvertible {
    public let status: Int
    public let reason: String
    init(status: Int, _ reason: String) {
        self.status = status
        self.reason = reason
    }
    public var description: String { status == 0 ? reason : "\(status): \(reason)" }
}

/// A witness the server asks for cosignatures: where it listens, and its cosigning key.
public struct WitnessEndpoint: Sendable, Equatable {
    /// The witness's submission prefix (`POST <url>/add-checkpoint`).
    public let url: URL
    public let key: NoteVerifierKey

    /// Reads `URL=VKEY`.
    public init(_ text: String) throws {
        guard let equals = text.firstIndex(of: "="), let url = URL(string: String(text[..<equals])), url.scheme == "http" || url.scheme == "https" else {
            throw NoteError.badKey("a witness is URL=VKEY, such as http://witness.example:8090=witness.example/w1+1234abcd+BAg…, got \(text.debugDescription)")
        }
        self.url = url
        key = try NoteVerifierKey(vkey: String(text[text.index(after: equals)...]))
        guard key.type == .cosignatureV1 else { throw NoteError.badKey("\(key.name) is not a witness's cosigning key (type 0x04)") }
    }
}

/// Asks the configured witnesses to cosign the ledger's last signed checkpoint, and keeps
/// their cosignatures with it (C2SP tlog-witness). Each witness is sent a consistency proof
/// from the size it last cosigned (learnt from its 409 answer when not known), so it never
/// cosigns a history that forks from what it saw.
public final class WitnessCollector: Sendable {
    let store: EventStore
    public let witnesses: [WitnessEndpoint]
    /// How many of them make a checkpoint witnessed.
    public let quorum: Int
    let logger: Logger
    /// Per witness (by vkey): the size it last cosigned, as far as this server knows.
    private let known = Mutex<[String: UInt64]>([:])
    /// The checkpoint last collected for, whether it reached the quorum, and when.
    private let lastCollected = Mutex<(size: UInt64, quorum: Bool, at: ContinuousClock.Instant)?>(nil)
    /// How long before asking again, for a checkpoint that did not reach the quorum (a witness
    /// down, or refusing): often enough to recover, seldom enough not to flood its log.
    static let retryAfter: Duration = .seconds(10)

    /// - Parameter logger: where refusals and failures are logged (`nil`: nowhere, for a
    ///   command that prints them itself).
    public init(store: EventStore, witnesses: [WitnessEndpoint], quorum: Int, logger: Logger? = nil) {
        self.store = store
        self.witnesses = witnesses
        self.quorum = quorum
        self.logger = logger ?? Logger(label: "svledger.witness-client") { _ in SwiftLogNoOpLogHandler() }
    }

    /// Polls for a newer signed checkpoint every `interval` and collects its cosignatures,
    /// until cancelled.
    public func run(every interval: Duration = .seconds(1)) async {
        while !Task.isCancelled {
            await collectIfNew()
            try? await Task.sleep(for: interval)
        }
    }

    /// Collects cosignatures for the last signed checkpoint if it has not been collected.
    public func collectIfNew() async {
        guard let signed = try? store.read({ try $0.lastCheckpoint() }) else { return }
        let due = lastCollected.withLock { last in
            guard let last, last.size == signed.checkpoint.size else { return true }
            return !last.quorum && ContinuousClock.now - last.at >= Self.retryAfter
        }
        if due { _ = await collect(signed) }
    }

    /// Asks every witness to cosign `signed`, keeps the cosignatures with it, and says what
    /// each witness answered.
    public func collect(_ signed: SignedCheckpoint) async -> [(witness: WitnessEndpoint, answer: Result<NoteSignature, WitnessFailure>)] {
        var answers: [(WitnessEndpoint, Result<NoteSignature, WitnessFailure>)] = []
        for witness in witnesses {
            let answer = await cosign(signed, by: witness)
            if case .failure(let failure) = answer {
                logger.warning("witness did not cosign", metadata: ["witness": .string(witness.key.name), "reason": .string(failure.description)])
            }
            answers.append((witness, answer))
        }
        let cosignatures = answers.compactMap { try? $0.1.get() }
        do {
            let kept = try store.addCosignatures(cosignatures, to: signed.checkpoint)
            let quorum = kept.map { witnessed($0).quorum } ?? true    // a newer checkpoint was signed meanwhile
            lastCollected.withLock { $0 = (signed.checkpoint.size, quorum, ContinuousClock.now) }
            logger.info("checkpoint witnessed", metadata: [
                "size": .stringConvertible(signed.checkpoint.size), "cosignatures": .stringConvertible(cosignatures.count),
                "quorum": .stringConvertible(quorum)])
        } catch {
            logger.error("cosignatures not kept", metadata: ["error": .string("\(error)")])
        }
        return answers
    }

    /// One witness's cosignature, verified, or why there is none.
    func cosign(_ signed: SignedCheckpoint, by witness: WitnessEndpoint) async -> Result<NoteSignature, WitnessFailure> {
        var oldSize = known.withLock { $0[witness.key.vkey] } ?? 0
        for _ in 0..<2 {
            do {
                let proof = oldSize == 0 ? [] : try store.read { try $0.merkleTree().consistencyProof(from: oldSize, to: signed.checkpoint.size) }
                let request = AddCheckpointRequest(oldSize: oldSize, proof: proof, checkpoint: signed)
                let (status, body) = try await post(request.body, to: witness.url.appendingPathComponent("add-checkpoint"))
                switch status {
                case 200:
                    var withLine = signed
                    withLine.add(cosignatures: try SignedNote(parsing: signed.note.text + "\n" + body).signatures)
                    guard let line = withLine.note.signatures.first(where: witness.key.signed), try withLine.cosigners(among: [witness.key]).count == 1 else {
                        return .failure(WitnessFailure(status: status, "the witness answered without a good cosignature by its key"))
                    }
                    known.withLock { $0[witness.key.vkey] = signed.checkpoint.size }
                    return .success(line)
                case 409:
                    // The witness holds another size: prove consistency from that one instead.
                    guard let size = UInt64(body.trimmingCharacters(in: .whitespacesAndNewlines)), size <= signed.checkpoint.size, size != oldSize else {
                        return .failure(WitnessFailure(status: status, "the witness holds size \(body.trimmingCharacters(in: .whitespacesAndNewlines)), which this checkpoint (size \(signed.checkpoint.size)) cannot extend"))
                    }
                    oldSize = size
                default:
                    return .failure(WitnessFailure(status: status, body.trimmingCharacters(in: .whitespacesAndNewlines)))
                }
            } catch {
                return .failure(WitnessFailure(status: 0, "not reached: \(error)"))
            }
        }
        return .failure(WitnessFailure(status: 409, "the witness's size kept changing"))
    }

    func post(_ body: String, to url: URL) async throws -> (Int, String) {
        var request = URLRequest(url: url, timeoutInterval: 10)
        request.httpMethod = "POST"
        request.httpBody = Data(body.utf8)
        request.setValue("text/plain; charset=utf-8", forHTTPHeaderField: "Content-Type")
        let (data, response) = try await URLSession.shared.data(for: request)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: data, as: UTF8.self))
    }

    /// How many of the configured witnesses cosigned `signed`, and whether that is a quorum.
    public func witnessed(_ signed: SignedCheckpoint) -> (count: Int, quorum: Bool) {
        let count = (try? signed.cosigners(among: witnesses.map(\.key)).count) ?? 0
        return (count, count >= quorum)
    }
}
