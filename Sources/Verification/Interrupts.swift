import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Ctrl-C, SIGTERM and SIGHUP for a run that starts claim processes.
///
/// Each claim child runs in its own process group (Foundation's `Process`), so a terminal's
/// Ctrl-C reaches only this process. The handler forwards the signal to every child process
/// (and its group), waits for them to end (SIGKILL after 5 s), and exits with 128 + signal,
/// having written nothing. While the outputs are being committed (`critical`), it only
/// records the signal: the commit asks `pending` at its commit point and either abandons
/// (old outputs kept) or finishes, then the process exits with 128 + signal.
public final class Interrupts: @unchecked Sendable {
    public static let shared = Interrupts()

    private let lock = NSLock()
    private var pendingSignal: Int32?
    private var critical = 0
    private var sources: [DispatchSourceSignal] = []

    /// The signals handled.
    public static let handled: [Int32] = [SIGINT, SIGTERM, SIGHUP]

    /// Install the handlers (once).
    public func install() {
        lock.lock(); defer { lock.unlock() }
        guard sources.isEmpty else { return }
        for sig in Self.handled {
            signal(sig, SIG_IGN)
            let s = DispatchSource.makeSignalSource(signal: sig, queue: DispatchQueue.global())
            s.setEventHandler { [unowned self] in self.handle(sig) }
            s.resume()
            sources.append(s)
        }
    }

    /// The signal received, if any.
    public var pending: Int32? { lock.lock(); defer { lock.unlock() }; return pendingSignal }

    /// Enter a section the handler must not cut short (the output commit). If a signal is
    /// already being handled, this never returns: the handler ends the process.
    public func enterCritical() {
        lock.lock()
        if pendingSignal != nil { lock.unlock(); while true { pause() } }
        critical += 1
        lock.unlock()
    }

    /// Leave it; if a signal arrived meanwhile, exit now with 128 + signal.
    public func leaveCritical(note: String) {
        lock.lock()
        critical -= 1
        let sig = pendingSignal
        lock.unlock()
        if let sig {
            FileHandle.standardError.write(Data("paperverify: interrupted by \(Self.name(sig)); \(note)\n".utf8))
            _exit(128 + sig)
        }
    }

    private func handle(_ sig: Int32) {
        lock.lock()
        let first = pendingSignal == nil
        if first { pendingSignal = sig }
        let inCommit = critical > 0
        lock.unlock()
        let children = ChildProcesses.list()
        ChildProcesses.signal(children, sig)
        guard first, !inCommit else { return }
        let stopped = ChildProcesses.waitForExit(children, seconds: 5)
        if !stopped { ChildProcesses.signal(ChildProcesses.list(), SIGKILL); _ = ChildProcesses.waitForExit(ChildProcesses.list(), seconds: 2) }
        let what = children.isEmpty ? "" : "stopped \(children.count) claim process\(children.count == 1 ? "" : "es"); "
        FileHandle.standardError.write(Data("paperverify: interrupted by \(Self.name(sig)); \(what)no output was written\n".utf8))
        _exit(128 + sig)
    }

    static func name(_ sig: Int32) -> String {
        switch sig {
        case SIGINT: return "SIGINT"
        case SIGTERM: return "SIGTERM"
        case SIGHUP: return "SIGHUP"
        default: return "signal \(sig)"
        }
    }
}

/// The live child processes of this process, from /proc.
public enum ChildProcesses {
    /// Pids whose parent is this process and that have not exited (zombies excluded).
    public static func list() -> [Int32] {
        let me = getpid()
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap { Int32($0) }.filter { pid in
            guard let (state, ppid) = stat(pid) else { return false }
            return ppid == me && state != "Z" && state != "X"
        }
    }

    /// State letter and parent pid of a process (/proc/PID/stat; the command name may hold spaces).
    static func stat(_ pid: Int32) -> (Character, Int32)? {
        guard let d = FileManager.default.contents(atPath: "/proc/\(pid)/stat"),
              let text = String(data: d, encoding: .utf8), let close = text.lastIndex(of: ")") else { return nil }
        let fields = text[text.index(after: close)...].split(separator: " ")
        guard fields.count > 2, let state = fields[0].first, let ppid = Int32(fields[1]) else { return nil }
        return (state, ppid)
    }

    /// Send `sig` to each child and to its process group.
    public static func signal(_ pids: [Int32], _ sig: Int32) {
        for p in pids {
            if getpgid(p) == p { kill(-p, sig) }
            kill(p, sig)
        }
    }

    /// Wait until none of `pids` is alive (or a zombie); false on timeout.
    public static func waitForExit(_ pids: [Int32], seconds: Double) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            let alive = pids.filter { p in stat(p).map { $0.0 != "Z" && $0.0 != "X" && $0.1 == getpid() } ?? false }
            if alive.isEmpty { return true }
            usleep(20_000)
        }
        return false
    }
}

/// A claim child ends when its parent dies: the kernel sends it SIGKILL
/// (PR_SET_PDEATHSIG), and a watcher thread checks the parent pid as a second line
/// (it also covers a parent that died before the first line was set up).
public enum ParentWatch {
    public static func start(parent: Int32) {
        // prctl is variadic in C and so not callable from Swift; its integer arguments are
        // passed in registers like a non-variadic call's on x86-64 and arm64 Linux.
        typealias Prctl = @convention(c) (Int32, UInt, UInt, UInt, UInt) -> Int32
        if let sym = dlsym(dlopen(nil, RTLD_NOW), "prctl") {
            let prctl = unsafeBitCast(sym, to: Prctl.self)
            _ = prctl(1 /* PR_SET_PDEATHSIG */, UInt(SIGKILL), 0, 0, 0)
        }
        if getppid() != parent { _exit(137) }
        let t = Thread {
            while true {
                if getppid() != parent { _exit(137) }
                usleep(200_000)
            }
        }
        t.start()
    }
}
