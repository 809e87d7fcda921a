import Access
import Credentials
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LedgerValues
@testable import Server
import TestSupport
import Testing

/// The web app's gate and pages, in process (HummingbirdTesting's router client, whose requests
/// name the host `localhost`, as a browser's would). The flows in a real browser are
/// tools/web_flows.py.
@Suite("the web app: sessions, forms and pages")
struct WebAppTests {
    static let password = "blue kettle on the moor"

    static let origin = "http://localhost"

    /// The fixture's server with a.patel's invitation open; the test gets its secret.
    func live(_ fixture: ServerFixture, _ test: @escaping @Sendable (any TestClientProtocol, String) async throws -> Void) async throws {
        let credentials = try #require(fixture.server.credentials)
        let secret = try credentials.invite(account: "a.patel", expiresAt: Timestamp(millisecondsSinceEpoch: Timestamp.now().millisecondsSinceEpoch + 3_600_000))
        try await fixture.test { client in try await test(client, secret) }
    }

    static func form(_ fields: [String: String], origin: String?, cookie: String? = nil) -> HTTPFields {
        var headers = HTTPFields()
        headers[.contentType] = "application/x-www-form-urlencoded"
        if let origin { headers[.origin] = origin }
        if let cookie { headers[.cookie] = cookie }
        return headers
    }

    static func body(_ fields: [String: String]) -> ByteBuffer {
        ByteBuffer(string: fields.map { "\($0.key)=\($0.value.addingFormEncoding)" }.sorted().joined(separator: "&"))
    }

    @Test("a form from another origin, or with no origin at all, is refused 403 and writes nothing; from our own it is taken")
    func formsFromElsewhere() async throws {
        let fixture = try ServerFixture()
        let before = try fixture.ledger.store.head()
        try await live(fixture) { client, secret in
            let path = "/app/invitations/" + secret
            let fields = ["password": Self.password, "confirm": Self.password]
            for origin in ["http://attacker.example", "http://localhost:8081", "null", nil] as [String?] {
                let refused = try await client.execute(uri: path, method: .post, headers: Self.form(fields, origin: origin), body: Self.body(fields))
                #expect(refused.status == .forbidden, "\(origin ?? "no origin")")
                #expect(refused.headers[.contentType] == "text/html; charset=utf-8")
            }
            #expect(try fixture.ledger.store.head() == before, "nothing was written")
            let open = try await client.execute(uri: path, method: .get)
            #expect(open.status == .ok, "the invitation is still open")

            let taken = try await client.execute(uri: path, method: .post, headers: Self.form(fields, origin: Self.origin), body: Self.body(fields))
            #expect(taken.status == .seeOther)
            #expect(taken.headers[.location]?.hasPrefix("/app/sign-in?notice=") == true)
        }
        let after = try fixture.ledger.store.head()
        #expect(after.position == before.position + 1, "one fact: the password was set")
        let facts = try fixture.ledger.accessState().signIns["a.patel"]
        #expect(facts?.passwordSetAt != nil)
    }

    @Test("every page carries its security headers, and a page for someone signed in sends everyone else to sign in")
    func headersAndSignIn() async throws {
        let fixture = try ServerFixture()
        try await live(fixture) { client, _ in
            let page = try await client.execute(uri: "/app/sign-in", method: .get)
            #expect(page.status == .ok)
            #expect(page.headers[HTTPField.Name("Content-Security-Policy")!]?.contains("default-src 'none'") == true)
            #expect(page.headers[HTTPField.Name("Content-Security-Policy")!]?.contains("frame-ancestors 'none'") == true)
            #expect(page.headers[HTTPField.Name("X-Content-Type-Options")!] == "nosniff")
            #expect(page.headers[HTTPField.Name("Referrer-Policy")!] == "same-origin")
            #expect(page.headers[.cacheControl] == "no-store")
            #expect(!page.text.contains("<script"), "no script on any page")

            let portfolio = try await client.execute(uri: "/app?rating=good", method: .get)
            #expect(portfolio.status == .seeOther)
            #expect(portfolio.headers[.location] == "/app/sign-in?next=%2Fapp%3Frating%3Dgood")
            // A bearer token is not a session: the pages are for people signed in.
            let withToken = try await client.execute(uri: "/app", method: .get, headers: fixture.headers("po"))
            #expect(withToken.status == .seeOther)
        }
    }

    @Test("signing in makes a new session with HttpOnly and SameSite=Strict; a cookie made up, or sent before, is not one")
    func sessions() async throws {
        let fixture = try ServerFixture()
        try await live(fixture) { client, secret in
            let origin = Self.origin
            let fields = ["password": Self.password, "confirm": Self.password]
            _ = try await client.execute(uri: "/app/invitations/" + secret, method: .post, headers: Self.form(fields, origin: origin), body: Self.body(fields))
            let signIn = ["account": "a.patel", "password": Self.password]
            let planted = "svledger_session=planted-by-someone"
            let answer = try await client.execute(uri: "/app/sign-in", method: .post, headers: Self.form(signIn, origin: origin, cookie: planted), body: Self.body(signIn))
            #expect(answer.status == .seeOther)
            let cookie = try #require(answer.headers[.setCookie])
            #expect(cookie.hasPrefix("svledger_session=") && !cookie.hasPrefix("svledger_session=planted"))
            #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"))
            let session = String(cookie.split(separator: ";")[0])
            let page = try await client.execute(uri: "/app", method: .get, headers: Self.form([:], origin: nil, cookie: session))
            #expect(page.status == .ok)
            #expect(page.text.contains("Signed in as <strong>a.patel</strong>, Procurement Officer"))
            let madeUp = try await client.execute(uri: "/app", method: .get, headers: Self.form([:], origin: nil, cookie: planted))
            #expect(madeUp.status == .seeOther)
        }
    }
}

extension WebAppTests {
    @Test("an administrator invites through the API: the fact is in the log, the link only in the answer, never in the log or its file")
    func inviteThroughTheAPI() async throws {
        let fixture = try ServerFixture()
        try await fixture.test { client in
            var headers = fixture.headers("admin")
            headers[.contentType] = "application/json"
            let answer = try await client.execute(
                uri: "/access", method: .post, headers: headers, body: ByteBuffer(string: #"{"command": "access.invite", "account": "p.okafor", "days": 3}"#))
            #expect(answer.status == .created)
            let path = try #require(answer.json?["invitation"]?["path"]?.stringValue)
            #expect(answer.json?["invitation"]?["lastDay"]?.stringValue == ServerFixture.today.adding(days: 3).description)
            #expect(answer.json?["events"]?.arrayValue?.first?["eventType"] == "AccessInvited")
            let page = try await client.execute(uri: path, method: .get)
            #expect(page.status == .ok)
            #expect(page.text.contains("You have been invited to svledger as <strong>p.okafor</strong>"))

            let secret = String(path.dropFirst("/app/invitations/".count))
            let log = try await client.execute(uri: "/log", method: .get, headers: fixture.headers("auditor"))
            #expect(log.status == .ok && log.text.contains("AccessInvited") && !log.text.contains(secret), "the fact is in the log, the secret is not")
            let file = try Data(contentsOf: URL(fileURLWithPath: fixture.directory.child("ledger/data.mdb")))
            #expect(file.range(of: Data(secret.utf8)) == nil)

            for body in [#"{"command": "access.invite", "account": "p.okafor", "days": 31}"#, #"{"command": "access.invite", "account": "nobody"}"#] {
                let refused = try await client.execute(uri: "/access", method: .post, headers: headers, body: ByteBuffer(string: body))
                #expect(refused.status == .unprocessableContent, "\(body): \(refused.text)")
            }
            let byOfficer = try await client.execute(
                uri: "/access", method: .post, headers: fixture.headers("po", [("Content-Type", "application/json")]),
                body: ByteBuffer(string: #"{"command": "access.invite", "account": "p.okafor"}"#))
            #expect(byOfficer.status == .forbidden)
        }
    }
}

extension WebAppTests {
    @Test("every form of the web app refuses a post without a session, or without its form token, and writes nothing")
    func everyFormNeedsSessionAndToken() async throws {
        let fixture = try ServerFixture()
        let forms = fixture.server.controllers().flatMap(\.routes).flatMap { route in
            route.methods.compactMap { method -> String? in
                guard method == .post, case .page? = route.access[method] else { return nil }
                return route.template.replacingOccurrences(of: "{contract}", with: "LCC-2025-014")
            }
        }
        #expect(forms.count >= 7, "\(forms)")
        try await live(fixture) { client, secret in
            let fields = ["password": Self.password, "confirm": Self.password]
            _ = try await client.execute(uri: "/app/invitations/" + secret, method: .post, headers: Self.form(fields, origin: Self.origin), body: Self.body(fields))
            let signIn = ["account": "a.patel", "password": Self.password]
            let answer = try await client.execute(uri: "/app/sign-in", method: .post, headers: Self.form(signIn, origin: Self.origin), body: Self.body(signIn))
            let session = String(try #require(answer.headers[.setCookie]).split(separator: ";")[0])
            let before = try fixture.ledger.store.head()
            let body = ["account": "x", "role": "auditor", "quarter": "2025-26-Q3", "quantity-NT1": "1", "evidence-NT1": "E", "attribution": "yes", "formToken": "forged"]
            for path in forms {
                let anonymous = try await client.execute(uri: path, method: .post, headers: Self.form(body, origin: Self.origin), body: Self.body(body))
                #expect(anonymous.status == .seeOther && anonymous.headers[.location]?.hasPrefix("/app/sign-in") == true, "\(path) without a session: \(anonymous.status)")
                let forged = try await client.execute(uri: path, method: .post, headers: Self.form(body, origin: Self.origin, cookie: session), body: Self.body(body))
                #expect(forged.status == .forbidden, "\(path) without the form token: \(forged.status)")
            }
            #expect(try fixture.ledger.store.head() == before, "nothing was written")
        }
    }
}

@Suite("second factor: RFC 6238 codes")
struct SecondFactorTests {
    @Test("the RFC 6238 test vector's key gives its codes, one step either side is taken, two steps are not")
    func codes() throws {
        // RFC 6238 appendix B, SHA-1: the key is the ASCII of "12345678901234567890"; at
        // 59 s the eight-digit code is 94287082, whose last six digits an app shows.
        let secret = "12345678901234567890"
        let at59 = Timestamp(millisecondsSinceEpoch: 59_000)
        #expect(SecondFactor.step(of: "287082", secret: secret, now: at59) == 1)
        #expect(SecondFactor.step(of: "287 082", secret: secret, now: Timestamp(millisecondsSinceEpoch: 89_000)) == 1, "a step late, spaces ignored")
        #expect(SecondFactor.step(of: "287082", secret: secret, now: Timestamp(millisecondsSinceEpoch: 120_000)) == nil, "two steps late")
        #expect(SecondFactor.step(of: "28708", secret: secret, now: at59) == nil)
        // 1111111109 s: 07081804 in the RFC.
        #expect(SecondFactor.step(of: "081804", secret: secret, now: Timestamp(millisecondsSinceEpoch: 1_111_111_109_000)) == 37_037_036)
        #expect(SecondFactor.typedKey(secret: secret) == "GEZD GNBV GY3T QOJQ GEZD GNBV GY3T QOJQ")
        #expect(SecondFactor.link(secret: secret, account: "ada").hasPrefix("otpauth://totp/svledger:ada?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"))
    }
}

@Suite("HTML that escapes by default")
struct HTMLTests {
    @Test("text is escaped wherever it is interpolated; markup goes in only as HTML")
    func escapes() {
        let title = "<script>alert('x')</script> & \"quotes\""
        let html: HTML = "<p title=\"\(title)\">\(title)</p>"
        let escaped = "&lt;script&gt;alert(&#39;x&#39;)&lt;&#47;script&gt; &amp; &quot;quotes&quot;"
        #expect(html.markup == "<p title=\"\(escaped)\">\(escaped)</p>")
        let nested: HTML = "<div>\(html)</div>"
        #expect(nested.markup == "<div>" + html.markup + "</div>", "HTML inside HTML is not escaped twice")
    }

    @Test("HTML(trusted:) appears only where markup is joined from escaped parts")
    func trustedOnlyWhereReviewed() throws {
        let folder = CommandRunner.repositoryRoot + "/Sources/Server/Web"
        var uses: [String] = []
        for file in try FileManager.default.contentsOfDirectory(atPath: folder) where file.hasSuffix(".swift") {
            let text = try String(contentsOfFile: folder + "/" + file, encoding: .utf8)
            let count = text.components(separatedBy: "HTML(trusted:").count - 1
            if count > 0 { uses.append("\(file): \(count)") }
        }
        // HTML.swift: the initializer, `empty` and `joined()`; PortfolioPage.swift: `+`, and the
        // first page's content kept as the bytes it rendered. (The contract page keeps its
        // sections as HTML, so it needs none.)
        #expect(uses.sorted() == ["HTML.swift: 3", "PortfolioPage.swift: 2"], "a new use of HTML(trusted:) to review: \(uses)")
    }
}
