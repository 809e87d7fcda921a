import Credentials
import Hummingbird
import LedgerValues

/// The second step of signing in: the six-digit code from an authenticator app, or, for an
/// administrator who has none yet, setting one up (the key to add to the app, then a code
/// from it to prove it was added). A wrong code counts as a failed sign-in; too many, and the
/// account is slowed down and signing in starts again.
extension LedgerServer {
    func codePage(_ request: Request, _ context: ServerContext, error: String? = nil, status: HTTPResponse.Status = .ok) async throws -> Response {
        guard let session = context.sessions.session, let pending = session.secondFactor else { return WebResponse.redirect("/app/sign-in") }
        let next = Self.localPath(request.uri.queryParameters["next"].map(String.init)) ?? "/app"
        let errors: [WebPage.FieldError] = error.map { [.init(field: "code", message: $0)] } ?? []
        let setUp: HTML
        switch pending {
        case .code:
            setUp = "<p>Enter the six-digit code your authenticator app shows for svledger.</p>"
        case .enrol(let secret):
            setUp = """
                <p>An administrator signs in with a second factor: a code from an authenticator app on your phone, which changes every 30 seconds.</p>
                <ol>
                <li>In your authenticator app, add an account. On this phone, <a href="\(SecondFactor.link(secret: secret, account: session.account))">open this link to add it</a>; elsewhere, choose to type a key and enter:
                <p><code class="link" id="key">\(SecondFactor.typedKey(secret: secret))</code></p></li>
                <li>Enter the six-digit code the app then shows.</li>
                </ol>
                """
        }
        return WebResponse.page(status: status, title: (error == nil ? "" : "Error: ") + "Enter your code", main: """
            \(WebPage.errorSummary(errors))
            <h1>\(pending == .code ? "Enter your code" : "Set up your second factor")</h1>
            \(setUp)
            <form method="post" action="/app/sign-in/code?next=\(next.addingFormEncoding)" novalidate>\(WebPage.formToken(session))
            \(WebPage.field("code", label: "Code", hint: "Six digits, for example 123456", autocomplete: "one-time-code", errors: errors))
            <button type="submit" class="button">Continue</button>
            </form>
            <form method="post" action="/app/sign-out">\(WebPage.formToken(session))<button type="submit" class="link-button">Sign out instead</button></form>
            """)
    }

    func checkCode(_ request: Request, _ context: ServerContext) async throws -> Response {
        guard var session = context.sessions.session, let pending = session.secondFactor, let credentials else { return WebResponse.redirect("/app/sign-in") }
        let form = context.form ?? WebForm([:])
        guard let sent = form["formToken"], WebGate.equal(sent, session.formToken) else {
            return WebResponse.refused("This form has expired or did not come from this session, so nothing was done. Sign in again.")
        }
        let now = Timestamp.now(), account = session.account
        let secret: String
        switch pending {
        case .code: secret = try await offload { try credentials.secondFactor(account: account) } ?? ""
        case .enrol(let new): secret = new
        }
        let step = SecondFactor.step(of: form.text("code"), secret: secret, now: now)
        var accepted = false
        if let step {
            switch pending {
            case .code: accepted = try await offload { try credentials.useSecondFactorStep(account: account, step: step) }
            case .enrol:
                try await offload { try credentials.setSecondFactor(account: account, secret: secret, usedStep: step) }
                accepted = true
            }
        }
        guard accepted else {
            let slowed = try await offload { try credentials.recordFailure(account: account, now: now) }
            logger.notice("second-factor code refused", metadata: ["account": .string(account)])
            if slowed != nil {
                context.sessions.clearSession()
                return WebResponse.signIn(then: "/app", notice: "There have been too many attempts to sign in to this account. Wait 15 minutes, then sign in again.")
            }
            return try await codePage(request, context, error: "That code is not right, or was used already. Enter the code the app shows now.", status: .unauthorized)
        }
        // Signed in: a new session id for the session that may now act.
        if let old = request.cookies[WebSession.cookie]?.value { try? credentials.removeSession(String(old)) }
        session.secondFactor = nil
        session.seenAt = now.millisecondsSinceEpoch
        context.sessions.createSession(session, expiresIn: WebSession.idle)
        logger.notice("signed in", metadata: ["account": .string(account), "role": .string(session.role.rawValue), "second-factor": "yes"])
        return WebResponse.redirect(Self.localPath(request.uri.queryParameters["next"].map(String.init)) ?? "/app")
    }
}
