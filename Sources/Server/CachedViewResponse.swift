import CompressNIO
import Foundation
import HTTPTypes
import Hummingbird
import Queries

extension CachedView {
    /// The answer named `key`, gzipped when the request takes gzip and the answer is large
    /// enough to gain from it (the Cabinet report is megabytes at scale): compressed once per
    /// view, as the answer itself is rendered once.
    func response(_ key: String, type: String, request: Request, render: (FigureView) throws -> Rendered) throws -> Response {
        let plain = try rendered(key, render)
        var headers = HTTPFields()
        headers[.contentType] = type
        headers[.vary] = "Accept-Encoding"
        guard plain.body.count >= Self.compressFrom, Self.takesGzip(request.headers[.acceptEncoding]) else {
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: plain.body)))
        }
        let zipped = try rendered(key + " gzip") { _ in
            var buffer = ByteBuffer(bytes: plain.body)
            return Rendered(body: Array(buffer: try buffer.compress(with: .gzip())), version: plain.version)
        }
        headers[.contentEncoding] = "gzip"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: zipped.body)))
    }

    /// Below this, an answer goes as it is: gzip would save little and cost a step.
    static let compressFrom = 16 * 1024

    /// Whether an `Accept-Encoding` header admits gzip (named, or `*`, without `q=0`).
    static func takesGzip(_ header: String?) -> Bool {
        guard let header else { return false }
        return header.split(separator: ",").contains { item in
            let parts = item.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            guard let coding = parts.first, coding == "gzip" || coding == "*" else { return false }
            let weight = parts.dropFirst().first { $0.hasPrefix("q=") }.flatMap { Double($0.dropFirst(2)) } ?? 1
            return weight > 0
        }
    }
}
