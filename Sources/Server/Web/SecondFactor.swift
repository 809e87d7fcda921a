import Foundation
import HummingbirdOTP
import LedgerValues

/// Time-based one-time codes (RFC 6238: six digits, 30 seconds, HMAC-SHA1, as authenticator
/// apps expect), by hummingbird-auth's `TOTP`. Required for administrators, who can change who
/// may do what; open to anyone who sets it up.
enum SecondFactor {
    static let timeStep: Int64 = 30

    /// A new secret: 20 random bytes as base64url text, whose UTF-8 bytes are the HMAC key
    /// (hummingbird-auth's `TOTP` keys on its secret's UTF-8).
    static func newSecret() -> String { Bytes.base64url(Bytes.random(20)) }

    /// The `otpauth://` link an authenticator app takes (tapped on a phone).
    static func link(secret: String, account: String) -> String {
        TOTP(secret: secret).createAuthenticatorURL(label: "svledger:\(account)", issuer: "svledger")
    }

    /// The key as an app asks for it when typed by hand: the link's base32, in groups of four.
    static func typedKey(secret: String) -> String {
        let link = link(secret: secret, account: "x")
        let key = URLComponents(string: link)?.queryItems?.first { $0.name == "secret" }?.value ?? ""
        return stride(from: 0, to: key.count, by: 4).map { start in
            let from = key.index(key.startIndex, offsetBy: start)
            return String(key[from..<key.index(from, offsetBy: min(4, key.count - start))])
        }.joined(separator: " ")
    }

    /// The time step a six-digit `code` is right for at `now`, allowing one step either side
    /// for a phone's clock; `nil` when it is right for none.
    static func step(of code: String, secret: String, now: Timestamp) -> Int64? {
        let digits = code.filter { !$0.isWhitespace }
        guard digits.count == 6, let value = Int(digits) else { return nil }
        let current = now.millisecondsSinceEpoch / 1000 / timeStep
        let totp = TOTP(secret: secret)
        for step in [current, current - 1, current + 1] {
            let date = Date(timeIntervalSince1970: TimeInterval(step * timeStep))
            if totp.compute(date: date) == value { return step }
        }
        return nil
    }
}
