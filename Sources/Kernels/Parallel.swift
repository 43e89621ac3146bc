import Foundation

/// Deterministic parallel map over realizations.
///
/// Index k is always processed by worker k mod jobs, results land in slot k, and the caller
/// reduces them in index order: the output is bitwise identical for every `jobs`.
/// OpenBLAS runs single-threaded in the whole process (see `BLAS`: no oversubscription,
/// the same floating-point order for every job count, and no thread-count changes racing
/// with BLAS calls on other threads). If any realization throws, the error of the lowest
/// failing index is rethrown.
public func parallelMap<T: Sendable>(count: Int, jobs: Int, progress: (@Sendable (Int) -> Void)? = nil,
                                     _ body: @Sendable (Int) throws -> T) throws -> [T] {
    precondition(jobs >= 1, "jobs must be ≥ 1")
    if count == 0 { return [] }
    let workers = min(jobs, count)
    let slots = SlotArray<Result<T, Error>>(count: count)
    let done = Counter()
    DispatchQueue.concurrentPerform(iterations: workers) { w in
        var k = w
        while k < count {
            slots[k] = Result { try body(k) }
            let n = done.increment()
            progress?(n)
            k += workers
        }
    }
    return try slots.values.map { try $0!.get() }
}

/// Fixed-size storage written from several threads, each slot by exactly one thread.
final class SlotArray<T>: @unchecked Sendable {
    private var storage: [T?]
    private let lock = NSLock()
    init(count: Int) { storage = [T?](repeating: nil, count: count) }
    subscript(i: Int) -> T? {
        get { lock.lock(); defer { lock.unlock() }; return storage[i] }
        set { lock.lock(); storage[i] = newValue; lock.unlock() }
    }
    var values: [T?] { lock.lock(); defer { lock.unlock() }; return storage }
}

/// A thread-safe counter.
public final class Counter: @unchecked Sendable {
    private var value = 0
    private let lock = NSLock()
    public init() {}
    /// Increment and return the new value.
    @discardableResult public func increment() -> Int { lock.lock(); defer { lock.unlock() }; value += 1; return value }
    public var current: Int { lock.lock(); defer { lock.unlock() }; return value }
}
