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
