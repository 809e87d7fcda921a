import Foundation

/// Runs each size in a child process of this same binary and gathers their results.
///
/// Why a child per size: peak memory (RssAnon, VmHWM) and the heap left behind by one size
/// would otherwise leak into the next size's figures. Every ratio is still taken inside one
/// child, between runs made side by side.
enum Orchestrator {
    struct Report: Codable {
        let machine: Machine
        let quick: Bool
        let sizes: [SizeResult]
        let goals: [Goal]
        let wallSeconds: Double
    }

    static func run(_ options: Options) throws {
        let started = ContinuousClock.now
        let machine = Machine.current()
        Log.say("\(machine.summary)")
        var results: [SizeResult] = []
        for size in options.sizes {
            results.append(try runChild(size: size, options: options))
        }
        let goals = Goals.evaluate(results)
        let wall = Stopwatch.seconds(since: started)
        if options.json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            let data = try encoder.encode(Report(machine: machine, quick: options.quick, sizes: results, goals: goals, wallSeconds: wall))
            print(String(decoding: data, as: UTF8.self))
        } else {
            print(ResultsTable.render(results, goals: goals, machine: machine, wallSeconds: wall))
        }
    }

    /// Runs `svledger-bench --child SIZE`; its stderr (progress) passes through, its stdout is the result.
    static func runChild(size: Int, options: Options) throws -> SizeResult {
        let child = Process()
        child.executableURL = URL(fileURLWithPath: try ownExecutable())
        child.arguments = options.childArguments(size: size)
        let output = Pipe()
        child.standardOutput = output
        try child.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        child.waitUntilExit()
        guard child.terminationStatus == 0 else {
            throw BenchError("the run of \(size) events failed (exit status \(child.terminationStatus))")
        }
        return try JSONDecoder().decode(SizeResult.self, from: data)
    }

    static func ownExecutable() throws -> String {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let length = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard length > 0 else { throw BenchError("cannot find this executable (/proc/self/exe)") }
        return String(decoding: buffer[..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// The child side: measure one size and print it as JSON.
    static func runChildSide(size: Int, options: Options) throws {
        let result = try SizeRun.run(size: size, options: options)
        let data = try JSONEncoder().encode(result)
        FileHandle.standardOutput.write(data)
    }
}
