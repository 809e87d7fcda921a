import Foundation

/// What a password must be, as the NCSC advises: long enough, and not one that people commonly
/// choose. No rules about which characters it holds, and no forced expiry: those make people
/// write passwords down or pick predictable ones.
public enum PasswordPolicy {
    public static let minimumLength = 12
    /// bcrypt reads at most 72 bytes; a longer password would be cut silently, so it is refused.
    public static let maximumBytes = 72

    /// Why a password is refused, in words shown beside the field.
    public enum Refusal: Error, Equatable, Sendable {
        case tooShort
        case tooLong
        case common

        public var message: String {
            switch self {
            case .tooShort: "Choose a password of at least \(PasswordPolicy.minimumLength) characters. A few words together are easy to remember."
            case .tooLong: "Choose a password of at most \(PasswordPolicy.maximumBytes) bytes (about \(PasswordPolicy.maximumBytes) letters)."
            case .common: "That password is one of the most common, so it is easy to guess. Choose another."
            }
        }
    }

    /// Refuses a password shorter than 12 characters, longer than bcrypt reads, or common:
    /// on the list of the 30,000 most common passwords, one of them repeated
    /// ("passwordpassword"), one of them followed only by digits ("password1234"), or one
    /// character repeated. Letters are compared in lower case.
    public static func check(_ password: String) throws(Refusal) {
        guard password.count >= minimumLength else { throw .tooShort }
        guard password.utf8.count <= maximumBytes else { throw .tooLong }
        let lowered = password.lowercased()
        if common.contains(lowered) || isRepeated(lowered) { throw .common }
        let withoutDigits = String(lowered.reversed().drop { $0.isASCII && $0.isNumber }.reversed())
        if withoutDigits.count >= 4, withoutDigits.count < lowered.count, common.contains(withoutDigits) { throw .common }
    }

    /// Whether `text` is a common password written two or more times over.
    private static func isRepeated(_ text: String) -> Bool {
        let characters = Array(text)
        for length in 1...(characters.count / 2) where characters.count % length == 0 {
            let unit = characters[0..<length]
            let repeated = stride(from: 0, to: characters.count, by: length).allSatisfy { characters[$0..<$0 + length] == unit }
            if repeated, length == 1 || common.contains(String(unit)) { return true }
        }
        return false
    }

    /// The list, lowercased (Resources/common-passwords.txt, made by tools/common_passwords.py).
    static let common: Set<String> = {
        guard let url = Bundle.module.url(forResource: "common-passwords", withExtension: "txt", subdirectory: "Resources"),
            let text = try? String(contentsOf: url, encoding: .utf8)
        else { preconditionFailure("the common-passwords resource is missing from the build") }
        return Set(text.split(separator: "\n").map(String.init))
    }()
}
