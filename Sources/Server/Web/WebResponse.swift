import HTTPTypes
import Hummingbird
import NIOCore

/// The answers of the web app: a page, a redirect after a form (303, so that reloading does
/// not send the form again), and the two refusals every page may give.
enum WebResponse {
    static func page(status: HTTPResponse.Status = .ok, title: String, session: WebSession? = nil, main: HTML) -> Response {
        html(status: status, WebPage.render(title: title, signedIn: session, main: main))
    }

    static func html(status: HTTPResponse.Status = .ok, _ document: HTML) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/html; charset=utf-8"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: document.markup)))
    }

    static func redirect(_ location: String) -> Response {
        var headers = HTTPFields()
        headers[.location] = location
        return Response(status: .seeOther, headers: headers)
    }

    /// To the sign-in page, which comes back to `uri` (a path of ours) once signed in.
    static func signIn(then path: String, notice: String? = nil) -> Response {
        var query = "next=" + path.addingFormEncoding
        if let notice { query += "&notice=" + notice.addingFormEncoding }
        return redirect("/app/sign-in?" + query)
    }

    /// 403: the form was not ours, or not this session's; nothing was written.
    static func refused(_ reason: String) -> Response {
        page(status: .forbidden, title: "Nothing was done", main: """
            <h1>Nothing was done</h1>
            <p>\(reason)</p>
            <p><a href="/app">Go to the start</a></p>
            """)
    }

    /// 404, the same page whether the contract does not exist or is not the reader's to see.
    static func notFound(session: WebSession?) -> Response {
        page(status: .notFound, title: "Page not found", session: session, main: """
            <h1>Page not found</h1>
            <p>If you typed the address, check it is correct. If you followed a link, the contract may not be one you can see.</p>
            <p><a href="/app">Go to your contracts</a></p>
            """)
    }
}

extension String {
    /// Percent-encoded for a query string value: letters, digits and `-._~` as they are.
    var addingFormEncoding: String {
        var encoded = ""
        for byte in utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                encoded.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                encoded += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
            }
        }
        return encoded
    }

    fileprivate func leftPadded(to width: Int) -> String { count >= width ? self : String(repeating: "0", count: width - count) + self }
}
