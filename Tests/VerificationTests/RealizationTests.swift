import Foundation
import Kernels
import Testing
@testable import Verification

/// A planned claim with two realization sets of different sizes and a per-realization
/// struct with awkward doubles (subnormals, −0, huge, NaN), analysed by an order-sensitive sum.
let plannedStub: Claim = {
    struct Sample: Codable, Sendable { var x: Double; var xs: [Double]; var n: Int }
    return Claim(
        id: "ergodic-inclusion.planned-stub", paper: .ergodicInclusion, reference: "test", statement: "planned stub",
        tiers: [.quick: ["a": 7, "b": 5], .standard: ["a": 30, "b": 11], .full: ["a": 3, "b": 2]],
        plan: { ctx in
            [RealizationSet(label: "L8", count: try ctx.int("a"), settings: ["L": 8]),
             RealizationSet(label: "L16", count: try ctx.int("b"), settings: ["L": 16])]
        },
        realization: { _, set, k, rng in
            let l = try set.int("L")
            let u = (0..<l).map { _ in rng.normal() }
            return Sample(x: u.reduce(0, +) / 3, xs: [u[0] * 1e-310, -0.0, u[1] * 1e300, k == 2 ? .nan : 1.0 / 3.0], n: l)
        },
        analyze: { _, results in
            // Order-sensitive reduction: any reordering or loss of bits changes the result.
            var acc = 0.0
            for (_, values) in results.bySet { for v in values { acc = acc * 1.0000001 + v.x + (v.xs[0] * 1e300) } }
            return Evidence(check: Check(predicted: acc, measured: acc, uncertainty: 1),
                            control: Control("shifted", Check(predicted: acc + 10, measured: acc, uncertainty: 1)),
                            tolerance: Tolerance(3, "test"), method: "stub")
        })
}()

@Suite("Realization plans: shards, checkpoints and job counts give bitwise the same result", .tags(.harness))
struct RealizationTests {
    let options = RunOptions(tier: .standard, seed: 99, jobs: 2)

    @Test("one run, any job count")
    func jobs() {
        let a = Runner.evaluate(plannedStub, options: options)
        let b = Runner.evaluate(plannedStub, options: RunOptions(tier: .standard, seed: 99, jobs: 1))
        #expect(a.verdict == .inconclusive || a.verdict == .confirmed)
        #expect(a.main?.measured == b.main?.measured)
        #expect(a.streams.map(\.label) == ["ergodic-inclusion.planned-stub/L8", "ergodic-inclusion.planned-stub/L16"])
        #expect(a.streams.map(\.count) == [30, 11])
    }

    @Test("realization-range shards merged in any order equal one run")
    func shards() throws {
        let whole = Runner.evaluate(plannedStub, options: options)
        let cuts = [0, 4, 29, 33, 41]
        let parts = try zip(cuts, cuts.dropFirst()).map { try Runner.realizationShard(plannedStub, options: options, tasks: $0..<$1) }
        let merged = try Runner.evaluate(plannedStub, options: options, records: parts.reversed())
        #expect(merged.main?.measured == whole.main?.measured)
        #expect(merged.main?.measured?.bitPattern == whole.main?.measured?.bitPattern)
        // A shard beyond the plan is empty and valid.
        let empty = try Runner.realizationShard(plannedStub, options: options, tasks: 41..<60)
        #expect(empty.values.isEmpty && empty.lower == 41)
        #expect(try Runner.evaluate(plannedStub, options: options, records: parts + [empty]).main?.measured == whole.main?.measured)
        // Incomplete, duplicated and foreign sets are refused.
        #expect(throws: ShardError.self) { try Runner.evaluate(plannedStub, options: options, records: Array(parts.dropLast())) }
        #expect(throws: ShardError.self) { try Runner.evaluate(plannedStub, options: options, records: parts + [parts[1]]) }
        let other = try Runner.realizationShard(plannedStub, options: RunOptions(tier: .standard, seed: 100, jobs: 2), tasks: 0..<4)
        #expect(throws: ShardError.self) { try Runner.evaluate(plannedStub, options: options, records: [other] + parts.dropFirst()) }
    }

    @Test("a run interrupted after some realizations resumes from its checkpoint to the same bits")
    func checkpoint() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pv-ckpt-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let plan = try Runner.plan(plannedStub, options: options)
        func file() throws -> RealizationCheckpointFile {
            try RealizationCheckpointFile(url: dir.appendingPathComponent("c.jsonl"), claim: plannedStub.id, tier: "standard", seed: "99",
                                          settingsHash: Runner.settingsHash(plannedStub.tiers[.standard]!), plan: plan)
        }
        // "Interrupted": only realizations 0..<17 were computed, and the last line was torn.
        _ = try Runner.realizationShard(plannedStub, options: options, tasks: 0..<17, checkpoint: try file())
        let h = try FileHandle(forWritingTo: dir.appendingPathComponent("c.jsonl"))
        try h.seekToEnd(); try h.write(contentsOf: Data("{\"t\":17,\"v\":\"{\\\"x\\\":".utf8)); try h.close()
        let resumedFile = try file()
        #expect(resumedFile.load().count == 17)
        let resumed = Runner.evaluate(plannedStub, options: options, checkpoint: try file())
        let whole = Runner.evaluate(plannedStub, options: options)
        #expect(resumed.main?.measured?.bitPattern == whole.main?.measured?.bitPattern)
        #expect(try file().load().count == 41)
    }
}

/// Counts realizations computed by the shared-stream stubs (to see that the second claim reads them).
final class RealizationCounter: @unchecked Sendable {
    private var n = 0
    private let lock = NSLock()
    func increment() { lock.lock(); n += 1; lock.unlock() }
    var value: Int { lock.lock(); defer { lock.unlock() }; return n }
}

/// Two claims measuring the same ensemble through a shared stream, analysed differently.
func sharedStreamStub(_ id: String, counter: RealizationCounter, analysis: @escaping @Sendable ([Double]) -> Double) -> Claim {
    Claim(
        id: id, paper: .kasGlass, reference: "test", statement: "shared-stream stub",
        tiers: [.quick: ["n": 9], .standard: ["n": 9], .full: ["n": 9]],
        plan: { ctx in [RealizationSet(label: "L8", count: try ctx.int("n"), settings: ["L": 8], sharedStream: "test/shared-ensemble/L8"),
                        RealizationSet(label: "own", count: 3, settings: ["L": 4])] },
        realization: { _, set, _, rng -> Double in
            counter.increment()
            return (0..<(try set.int("L"))).map { _ in rng.normal() }.reduce(0, +) * 1e-3 / 7
        },
        analyze: { _, results in
            let x = analysis(results.bySet.flatMap(\.1))
            return Evidence(check: Check(predicted: x, measured: x, uncertainty: 1),
                            control: Control("shifted", Check(predicted: x + 10, measured: x, uncertainty: 1)),
                            tolerance: Tolerance(3, "test"), method: "stub")
        })
}

@Suite("Shared ensembles: computed once per run, bitwise the same as computed per claim", .tags(.harness))
struct SharedRealizationTests {
    @Test("the second claim of a run reads the shared set and gets the same bits")
    func sharedOnce() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pv-shared-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let options = RunOptions(tier: .standard, seed: 5, jobs: 2)
        let counter = RealizationCounter()
        let first = sharedStreamStub("kas-glass.shared-a", counter: counter) { $0.reduce(0, +) }
        let second = sharedStreamStub("kas-glass.shared-b", counter: counter) { $0.reduce(0) { $0 * 1.5 + $1 } }
        // Without a store: every claim computes its own 9 + 3 realizations.
        let alone = Runner.evaluate(second, options: options)
        #expect(counter.value == 12)
        setenv(SharedRealizationStore.environmentVariable, dir.path, 1)
        defer { unsetenv(SharedRealizationStore.environmentVariable) }
        _ = Runner.evaluate(first, options: options)
        #expect(counter.value == 24)
        let shared = Runner.evaluate(second, options: options)
        // Only the claim's own set (3) was computed; the shared 9 were read.
        #expect(counter.value == 27)
        #expect(shared.main?.measured?.bitPattern == alone.main?.measured?.bitPattern)
        // A store entry made under another seed is never used.
        _ = Runner.evaluate(second, options: RunOptions(tier: .standard, seed: 6, jobs: 2))
        #expect(counter.value == 39)
    }
}
