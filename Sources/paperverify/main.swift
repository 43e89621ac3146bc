import ArgumentParser
import Foundation
import Linalg

/// The arguments with the values of each `--only` / `--paper` joined into one
/// comma-separated value: ArgumentParser takes time quadratic in the number of values of
/// one option, and a job script may pass thousands of claim ids.
func joiningListOptions(_ args: [String]) -> [String] {
    var out = [String]()
    out.reserveCapacity(args.count)
    var i = 0
    while i < args.count {
        let a = args[i]
        if a == "--" { out += args[i...]; break }
        out.append(a)
        i += 1
        guard a == "--only" || a == "--paper" else { continue }
        var values = [String]()
        while i < args.count, !args[i].hasPrefix("-") { values.append(args[i]); i += 1 }
        if !values.isEmpty { out.append(values.joined(separator: ",")) }
    }
    return out
}

// Before anything else: OpenBLAS's kernels are chosen when it loads; correct its Prescott
// fallback on CPUs it does not know by re-executing once (Linalg/BLAS.swift, OpenBLASCore).
OpenBLASCore.reexecutingWithMatchingCoreIfNeeded()

// Exit codes: 0 = nothing regressed, 1 = a regression, 2 = bad usage or input,
// 128 + signal when interrupted (SIGINT 130, SIGTERM 143).
// ArgumentParser's own usage errors (exit 64) are mapped to 2 with a one-line message.
do {
    var command = try PaperVerify.parseAsRoot(joiningListOptions(Array(CommandLine.arguments.dropFirst())))
    try command.run()
} catch let code as ExitCode {
    exit(code.rawValue)
} catch {
    if PaperVerify.exitCode(for: error) == .success { PaperVerify.exit(withError: error) }  // --help, --version
    let message = PaperVerify.message(for: error).split(separator: "\n").first.map(String.init) ?? "\(error)"
    let hint = (error as? UsageError)?.hint ?? "see `paperverify help`"
    FileHandle.standardError.write(Data("paperverify: error: \(message) (\(hint))\n".utf8))
    exit(2)
}
