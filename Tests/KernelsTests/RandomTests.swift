import Foundation
import Kernels
import Testing

extension Tag {
    @Tag static var kernel: Self
}

func fixture(_ name: String, file: String = #filePath) throws -> [String: Any] {
    let url = URL(fileURLWithPath: file).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures").appendingPathComponent(name)
    return try #require(try JSONSerialization.jsonObject(with: try Data(contentsOf: url)) as? [String: Any])
}

@Suite("Philox streams and samplers", .tags(.kernel))
struct RandomTests {
    @Test("Philox4x32-10 known-answer vectors (Random123)")
    func knownAnswers() throws {
        let f = try fixture("philox-kat.json")
        let vectors = try #require(f["vectors"] as? [[String: [String]]])
        #expect(vectors.count == 3)
        for v in vectors {
            let c = try #require(v["counter"]).map { UInt32($0, radix: 16)! }
            let k = try #require(v["key"]).map { UInt32($0, radix: 16)! }
            let o = try #require(v["output"]).map { UInt32($0, radix: 16)! }
            let r = Philox4x32.block(counter: (c[0], c[1], c[2], c[3]), key: (k[0], k[1]))
            #expect([r.0, r.1, r.2, r.3] == o)
        }
    }

    @Test("Fixed draws: the stream and samplers are frozen (stored results depend on them)")
    func fixedDraws() throws {
        let f = try fixture("fixed-draws.json")
        var rng = RandomStream(seed: 1, label: "fixture", realization: 3)
        let bits = { (key: String) throws -> [Double] in
            try #require(f[key] as? [String]).map { Double(bitPattern: UInt64($0, radix: 16)!) }
        }
        let u = try bits("uniformBits"), n = try bits("normalBits")
        let i = try #require(f["integerBelow10"] as? [Int])
        for x in u { #expect(rng.uniform() == x) }
        for x in n { #expect(rng.normal() == x) }
        for x in i { #expect(rng.integer(below: 10) == x) }
    }

    @Test("Streams depend only on (seed, label, realization)")
    func streams() {
        var a = RandomStream(seed: 5, label: "x", realization: 2)
        var b = RandomStream(seed: 5, label: "x", realization: 2)
        var c = RandomStream(seed: 5, label: "x", realization: 3)
        var d = RandomStream(seed: 5, label: "y", realization: 2)
        let sa = (0..<16).map { _ in a.next() }
        #expect(sa == (0..<16).map { _ in b.next() })
        #expect(sa != (0..<16).map { _ in c.next() })
        #expect(sa != (0..<16).map { _ in d.next() })
    }

    @Test("Uniform and normal moments within 5 standard errors")
    func moments() {
        var rng = RandomStream(seed: 6, label: "moments")
        let n = 200_000
        let u = (0..<n).map { _ in rng.uniform() }
        let z = (0..<n).map { _ in rng.normal() }
        let su = SampleSummary(u), sz = SampleSummary(z)
        #expect(abs(su.mean - 0.5) < 5 * (1.0 / 12).squareRoot() / Double(n).squareRoot())
        #expect(abs(sz.mean) < 5 / Double(n).squareRoot())
        #expect(abs(sz.standardDeviation - 1) < 5 * (0.5 / Double(n)).squareRoot())
        // KS of the normal sample against Φ: a correct sampler passes, a shifted CDF is rejected.
        let ks = ksTest(Array(z.prefix(20000)), cdf: { 0.5 * erfc(-$0 / 2.0.squareRoot()) })
        #expect(ks.pValue > 1e-3)
        let wrong = ksTest(Array(z.prefix(20000)), cdf: { 0.5 * erfc(-($0 - 0.05) / 2.0.squareRoot()) })
        #expect(wrong.pValue < 1e-3)
    }

    @Test("GOE and GUE have the documented variances")
    func ensembles() {
        var rng = RandomStream(seed: 7, label: "ensembles")
        var off = [Double](), diag = [Double](), gueOff = [Double]()
        for _ in 0..<200 {
            let h = RandomMatrix.goe(20, &rng)
            for i in 0..<20 { diag.append(h[i, i]); for j in 0..<i { off.append(h[i, j]) } }
            let g = RandomMatrix.gue(20, &rng)
            for i in 0..<20 { for j in 0..<i { gueOff.append(g[i, j].lengthSquared) } }
        }
        #expect(abs(SampleSummary(off.map { $0 * $0 }).mean - 0.5) < 0.01)
        #expect(abs(SampleSummary(diag.map { $0 * $0 }).mean - 1.0) < 0.05)
        #expect(abs(SampleSummary(gueOff).mean - 0.5) < 0.01)
    }

    @Test("parallelMap is bitwise independent of the job count")
    func parallelDeterminism() throws {
        let f: @Sendable (Int) throws -> Double = { k in
            var rng = RandomStream(seed: 3, label: "par", realization: UInt64(k))
            return (0..<100).reduce(0.0) { s, _ in s + rng.normal() }
        }
        let one = try parallelMap(count: 37, jobs: 1, f)
        let two = try parallelMap(count: 37, jobs: 2, f)
        let five = try parallelMap(count: 37, jobs: 5, f)
        #expect(one == two && two == five)
        struct Boom: Error, Equatable { let k: Int }
        #expect(throws: Boom(k: 4)) { try parallelMap(count: 10, jobs: 3) { k in if k == 4 || k == 7 { throw Boom(k: k) }; return k } }
    }
}
