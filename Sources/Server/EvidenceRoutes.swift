import Access
import Foundation
import HTTPTypes
import Hummingbird
import Ledger
import LedgerValues
import SocialValue

/// A command sent with its evidence files (`multipart/form-data`): each line names its files
/// by their names as sent (`"evidenceFiles": [{"name": "payslips-q1.pdf"}]`), and the server
/// completes what the event records of each (``EvidenceFile/completing(_:files:)``). Every
/// file sent goes to the ledger, which refuses one that no line cites.
enum EvidenceUpload {
    static func complete(_ command: JSONValue, files: [WebForm.File]) throws -> (JSONValue, [[UInt8]]) {
        let completed = try EvidenceFile.completing(command) { name throws(DomainError) in
            let sent = files.filter { $0.filename == name }
            guard sent.count <= 1 else { throw DomainError(.evidenceFile, "\(DisplayText.quoted(name)) is sent \(sent.count) times") }
            return sent.first?.bytes
        }
        return (completed.command, files.map(\.bytes))
    }
}

extension LedgerServer {
    func addEvidenceRoutes(_ routes: RouteTable) {
        routes.add(.get, "/contracts/{contract}/evidence", access: .operation(.listEvidence)) { request, context in
            _ = try Query(request.uri.query, allowed: [])
            let reference = try self.contractParameter(context)
            let entries = try await offload { try self.ledger.evidence(contract: reference) }
            return Self.json(EvidenceAudit.json(entries))
        }
        routes.add(.get, "/contracts/{contract}/evidence/{sha256}", access: .operation(.readEvidence), produces: ["application/octet-stream"]) { request, context in
            _ = try Query(request.uri.query, allowed: [])
            return try await self.evidenceDownload(context)
        }
        routes.add(.post, "/contracts/{contract}/evidence/{sha256}/erasure", access: .operation(.eraseEvidence)) { request, context in
            try await self.eraseEvidence(request, context)
        }
    }

    /// One evidence file as a download, for the API and the web app alike.
    func evidenceDownload(_ context: ServerContext) async throws -> Response {
        let reference = try self.contractParameter(context)
        let sha256 = (context.parameters.get("sha256") ?? "").lowercased()
        let (file, bytes) = try await offload { try self.ledger.evidenceBytes(contract: reference, sha256: sha256) }
        var headers = HTTPFields()
        headers[.contentType] = file.mediaType
        // Always a download, never shown in the page: a file is the supplier's, not ours to
        // render, and the browser is told not to guess another type.
        headers[.contentDisposition] = Self.attachment(file.name)
        headers[.init("X-Content-Type-Options")!] = "nosniff"
        headers[.contentSecurityPolicy] = "default-src 'none'; sandbox"
        headers[.cacheControl] = "private, no-store"
        headers[.eTag] = "\"\(file.sha256)\""
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    /// `POST /contracts/{contract}/evidence/{sha256}/erasure` with `{"reason": "…"}`: the
    /// command `evidence.erase`, recorded as the administrator, committed as any other.
    func eraseEvidence(_ request: Request, _ context: ServerContext) async throws -> Response {
        let identity = try context.requireIdentity()
        try ContentType.require(request.headers[.contentType], ["application/json"], what: "the erasure")
        let reference = try contractParameter(context)
        let body = try await collectBody(request, what: "an erasure")
        guard case .object(let members)? = try? JSONValue(parsing: body), Set(members.keys).isSubset(of: ["reason"]) else {
            throw PlainError(.input, kind: "invalid-json", "the body is one JSON object with the erasure's reason: {\"reason\": \"…\"}")
        }
        var command: JSONObject = [
            "command": "evidence.erase", "contract": .string(reference), "sha256": .string((context.parameters.get("sha256") ?? "").lowercased()),
            "actor": ["id": .string(identity.account), "role": .string(identity.role.rawValue)],
        ]
        if let reason = members["reason"] { command["reason"] = reason }
        let json = JSONValue.object(command)
        guard case .ledger(let parsed) = try AnyLedgerCommand.parse(json, today: today()) else { preconditionFailure("evidence.erase is a ledger command") }
        let pending = PendingCommand(
            commands: [.ledger(parsed)], identity: identity, stream: ContractEvent.stream(contract: reference), expectedVersions: [:], key: nil,
            digest: AccessToken.sha256(json.canonicalText))
        return await committer.submit(pending).response()
    }

    /// `attachment; filename="…"; filename*=UTF-8''…` (RFC 6266): an ASCII fallback with quotes
    /// and backslashes replaced, and the name as given, percent-encoded.
    static func attachment(_ name: String) -> String {
        let fallback = String(name.unicodeScalars.map { $0.isASCII && $0 != "\"" && $0 != "\\" && $0.value >= 0x20 ? Character($0) : "_" })
        // RFC 5987's attr-char, ASCII only: every other byte of the UTF-8 name is percent-encoded.
        let attributeCharacters = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$&+-.^_`|~")
        let encoded = name.addingPercentEncoding(withAllowedCharacters: attributeCharacters) ?? fallback
        return "attachment; filename=\"\(fallback)\"; filename*=UTF-8''\(encoded)"
    }
}
