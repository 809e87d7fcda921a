import LedgerValues
import Testing

@Suite("Error categories")
struct ErrorCategoryTests {
    /// The exit codes are an interface: scripts branch on them. Changing one must be deliberate,
    /// here and in docs/errors.md.
    @Test("every category has its documented exit code, and no two share one")
    func exitCodes() {
        let expected: [ErrorCategory: Int32] = [
            .refused: 1, .integrity: 3, .usage: 64, .input: 65, .notFound: 66, .internal: 70, .storage: 74, .conflict: 75,
        ]
        #expect(Set(ErrorCategory.allCases) == Set(expected.keys))
        for category in ErrorCategory.allCases { #expect(category.exitCode == expected[category], "\(category)") }
        #expect(Set(ErrorCategory.allCases.map(\.exitCode)).count == ErrorCategory.allCases.count)
    }

    @Test("context goes in front of the message; kind and category stay the underlying error's")
    func context() {
        let error = PlainError(.input, kind: "invalid-json", "unexpected end at byte 3")
        let wrapped = error.inContext("batch.ndjson line 2")
        #expect(wrapped.kind == "invalid-json")
        #expect(wrapped.category == .input)
        #expect(wrapped.line == "batch.ndjson line 2: unexpected end at byte 3 (invalid-json)")
        #expect(error.inContext("verification failed at", separator: " ").description == "verification failed at unexpected end at byte 3")
    }
}
