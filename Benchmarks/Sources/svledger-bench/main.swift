// svledger-bench: issue 6's benchmark. `tools/bench` builds it in release mode and runs it.
//
// It measures svledger against the limit of its own storage (raw LMDB with the same bytes)
// and against a peer (SQLite with the same bytes), always in the same run, because only
// ratios taken side by side mean anything on these noisy machines. No figure is asserted.
import Foundation

let options: Options
do {
    options = try Options.parse(Array(CommandLine.arguments.dropFirst()))
} catch {
    FileHandle.standardError.write(Data("\(error)\n".utf8))
    exit(2)
}

do {
    switch options.mode {
    case .orchestrate: try Orchestrator.run(options)
    case .child(let size): try Orchestrator.runChildSide(size: size, options: options)
    case .profile(let operation): try Profile.run(operation, options: options)
    }
} catch {
    FileHandle.standardError.write(Data("svledger-bench: error: \(error)\n".utf8))
    exit(1)
}
