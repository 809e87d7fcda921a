import Access
import LedgerValues
import Queries

/// The frame of every page of the web app: the header with who is signed in, the main
/// content, and one style sheet of our own (no script, nothing from elsewhere). Plain HTML that
/// works without script, in British English, following the GOV.UK Design System's patterns
/// that council staff already know: labels above fields, an error summary that links to each
/// field in error, a visible focus.
enum WebPage {
    /// A whole page. `signedIn` names the person and role in the header, with the sign-out
    /// button (a form, so that it carries the session's form token).
    static func render(title: String, signedIn: WebSession? = nil, main: HTML) -> HTML {
        let header: HTML
        if let session = signedIn {
            let report: HTML = Authorization.allows(.cabinetReport, session.role) ? "<a href=\"/app/reports/cabinet\">Cabinet report</a>" : .empty
            let audit: HTML = Authorization.allows(.verify, session.role) ? "<a href=\"/app/audit\">Audit</a>" : .empty
            let people: HTML = Authorization.allows(.accessList, session.role) ? "<a href=\"/app/admin\">People and roles</a>" : .empty
            let due: HTML = Authorization.allows(.due, session.role) ? "<a href=\"/app/due\">Returns due</a>" : .empty
            header = """
                <nav class="account" aria-label="Account"><a href="/app">Contracts</a>\(due)\(report)\(audit)\(people)<a href="/app/account">Signed in as <strong>\(session.account)</strong>, \(session.role.rawValue)</a>
                <form method="post" action="/app/sign-out">\(formToken(session))<button type="submit" class="link-button">Sign out</button></form></nav>
                """
        } else {
            header = .empty
        }
        return """
            <!DOCTYPE html>
            <html lang="en-GB">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(title) – svledger</title>
            <link rel="stylesheet" href="/app/style.css">
            </head>
            <body>
            <a class="skip-link" href="#main">Skip to main content</a>
            <header class="site-header"><div class="width"><a class="service" href="/app">svledger: social value</a>\(header)</div></header>
            <main id="main" class="width" tabindex="-1">
            \(main)
            </main>
            <footer class="site-footer"><div class="width">Every figure here is worked out from the council's tamper-evident ledger.</div></footer>
            </body>
            </html>
            """
    }

    /// The hidden field every form of a session carries (the synchronizer token).
    /// A day typed into a page: a date svledger can work out quarters around (1 April 1001 to
    /// 31 March 9998), or `nil`, for the page to say so beside its field.
    static func day(_ text: String) -> CalendarDate? {
        CalendarDate(text).flatMap { ReadRange.contains($0) ? $0 : nil }
    }

    /// How a page asks again for a day it could not take.
    static func dayMessage(_ what: String, example: String = "2026-03-31") -> String {
        "Enter \(what) as a date from 1001-04-01 to 9998-03-31, for example \(example)"
    }

    static func formToken(_ session: WebSession) -> HTML {
        "<input type=\"hidden\" name=\"formToken\" value=\"\(session.formToken)\">"
    }

    /// A field in error: its name (the input's id) and what to do about it.
    struct FieldError: Sendable, Equatable {
        let field: String
        let message: String
    }

    /// The error summary at the top of a form: a heading, then each error linking to its field.
    static func errorSummary(_ errors: [FieldError]) -> HTML {
        guard !errors.isEmpty else { return .empty }
        let items = errors.map { error -> HTML in "<li><a href=\"#\(error.field)\">\(error.message)</a></li>" }
        return """
            <div class="error-summary" role="alert" tabindex="-1">
            <h2>There is a problem</h2>
            <ul>\(items)</ul>
            </div>
            """
    }

    /// A refusal that names no field of the form, above it: nothing was recorded.
    static func refusal(_ message: String?) -> HTML {
        message.map { "<div class=\"error-summary\" role=\"alert\"><h2>There is a problem</h2><p>\($0)</p><p>Nothing was recorded.</p></div>" } ?? .empty
    }

    /// A labelled input, with its error message above it when it has one.
    static func field(
        _ name: String, label: String, type: String = "text", value: String = "", hint: String? = nil, autocomplete: String? = nil,
        errors: [FieldError], inline: Bool = false
    ) -> HTML {
        let error = errors.first { $0.field == name }
        let hintHTML: HTML = hint.map { "<p class=\"hint\" id=\"\(name)-hint\">\($0)</p>" } ?? .empty
        let errorHTML: HTML = error.map { "<p class=\"field-error\" id=\"\(name)-error\"><span class=\"visually-hidden\">Error:</span> \($0.message)</p>" } ?? .empty
        var described: [String] = []
        if hint != nil { described.append(name + "-hint") }
        if error != nil { described.append(name + "-error") }
        let describedBy: HTML = described.isEmpty ? .empty : " aria-describedby=\"\(described.joined(separator: " "))\""
        let invalid: HTML = error == nil ? .empty : " aria-invalid=\"true\""
        let complete: HTML = autocomplete.map { " autocomplete=\"\($0)\"" } ?? .empty
        return """
            <div class="field\(inline ? " inline" : "")\(error == nil ? "" : " field-has-error")">
            <label for="\(name)">\(label)</label>
            \(hintHTML)\(errorHTML)<input id="\(name)" name="\(name)" type="\(type)" value="\(value)"\(describedBy)\(invalid)\(complete)>
            </div>
            """
    }
}
