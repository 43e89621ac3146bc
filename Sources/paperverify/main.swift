import ArgumentParser
import Foundation

// Exit codes: 0 = nothing regressed, 1 = a regression, 2 = bad usage or input.
// ArgumentParser's own usage errors (exit 64) are mapped to 2 with a one-line message.
do {
    var command = try PaperVerify.parseAsRoot()
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
