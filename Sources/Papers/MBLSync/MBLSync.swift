import Foundation
import Kernels
import Verification

/// Claims of mbl-sync (Li, Tu, Das Sarma): synchronized oscillations in a mirror-symmetric
/// MBL chain. Model: `MirrorXXZChain` (Eqs. (1)–(2)); conventions and the reading of the
/// garbled text are in the doc comments there and in the claims' `method`.
///
/// Frequency convention used throughout: "the frequency ω_j" is the angular frequency of
/// ⟨σ^z_j(t)⟩, i.e. the level splitting of the cat pair (Eq. (3) writes the levels as E ± ω,
/// so |c|² ∝ cos²(ωt) oscillates at 2ω = the splitting; this matches ω_j ≈ |2h^eff_j| and makes
/// Eq. (11) consistent with J^eff = Δ/2).
public enum MBLSync {
    public static let claims: [Claim] = [
        singleParticleOscillation, frequencyScaling, omegaSyncEq11, syncThreshold,
        correlationOrderParameter, mirrorAsymmetry,
    ]

    /// Parameter guard for many-body ED of the L-site chain: the largest U(1) sector has
    /// C(L, L/2) states; H, LAPACK's copy and the eigenvectors per parallel realization.
    static func requireSectorED(sites l: Int, parallel: Int) throws {
        let half = l / 2
        let dimension = (0..<half).reduce(1.0) { $0 * Double(l - $1) / Double($1 + 1) }
        try MemoryBudget.requireDense(dimension: dimension, matrices: 3, parallel: parallel, for: "ED of the L = \(l) chain")
    }

    /// A validated integer tier parameter inside `range` (optionally even).
    @discardableResult
    static func requireInt(_ p: [String: JSONValue], _ key: String, _ range: ClosedRange<Int>, even: Bool = false) throws -> Int {
        guard let v = p[key]?.int, range.contains(v), !even || v % 2 == 0 else {
            throw ClaimError.invalidParameter("'\(key)' must be \(even ? "an even" : "an") integer in \(range.lowerBound)…\(range.upperBound), got \(p[key].map { "\($0)" } ?? "nothing")")
        }
        return v
    }

    /// A validated positive finite real tier parameter.
    @discardableResult
    static func requirePositive(_ p: [String: JSONValue], _ key: String) throws -> Double {
        guard let v = p[key]?.double, v.isFinite, v > 0 else {
            throw ClaimError.invalidParameter("'\(key)' must be a positive number, got \(p[key].map { "\($0)" } ?? "nothing")")
        }
        return v
    }

    /// Hopping of the Jordan–Wigner fermions: ¼(σ^xσ^x + σ^yσ^y) = ½(σ⁺σ⁻ + h.c.).
    static let hopping = 0.5

    /// Left-half fields h_1…h_{L/2} ~ U[−W, W].
    static func leftFields(_ n: Int, disorder w: Double, _ rng: inout RandomStream) -> [Double] {
        (0..<n).map { _ in rng.uniform(-w, w) }
    }

    static func json(_ rows: [[Double]]) -> JSONValue { .array(rows.map { .array($0.map { .number($0) }) }) }
    static func json(_ row: [Double]) -> JSONValue { .array(row.map { .number($0) }) }

    /// How many disorder draws a results file records per set: every draw k is reproducible
    /// from its stream (seed, claim/set, k), so the file keeps the first ones as a spot check
    /// (the full tier's draws alone were 37 MB).
    static let recordedDraws = 100

    /// The first `recordedDraws` disorder draws, for the results JSON `data`.
    static func drawsRecord(_ rows: [[Double]]) -> JSONValue { json(Array(rows.prefix(recordedDraws))) }

    /// A fraction over clustered samples (several points per realization): the ratio estimator
    /// Σhits/Σtotals and its cluster-robust standard error (realizations are independent,
    /// points within one realization are not).
    static func clusteredFraction(hits: [Int], totals: [Int]) -> (fraction: Double, error: Double) {
        let h = Double(hits.reduce(0, +)), t = Double(totals.reduce(0, +))
        guard t > 0 else { return (.nan, .nan) }
        let f = h / t
        let r = Double(hits.count)
        guard r > 1 else { return (f, .nan) }
        var ss = 0.0
        for k in hits.indices { let e = Double(hits[k]) - f * Double(totals[k]); ss += e * e }
        return (f, (ss * r / (r - 1)).squareRoot() / t)
    }

    /// Median over all points of clustered samples (`perRealization[r]`: the points of
    /// realization r) and its bootstrap standard error over realizations (points of one
    /// realization are not independent). Non-finite points sort as ±∞ (censored).
    static func clusteredMedian(_ perRealization: [[Double]], resamples: Int, rng: inout RandomStream) -> (median: Double, error: Double) {
        func med(_ idx: [Int]) -> Double {
            let v = idx.flatMap { perRealization[$0] }
            return v.isEmpty ? .nan : median(v)
        }
        let m = med(Array(perRealization.indices))
        guard perRealization.count >= 2, resamples >= 2 else { return (m, .nan) }
        return (m, bootstrapStandardError(count: perRealization.count, resamples: resamples, rng: &rng, med))
    }
}
