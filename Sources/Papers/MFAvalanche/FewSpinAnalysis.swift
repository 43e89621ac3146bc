import Foundation
import Kernels
import Verification

/// Realization sets of `ActiveSpinsSample` and pooled statistics over them, shared by the
/// few-spin claims (eta-direct, intermediate-regime, strong-coupling, two-spin,
/// enhancement-additivity).
enum FewSpin {
    /// A set: grain dimension, target reduced couplings of the actives (placed by
    /// `CentralGrainSetup.couplingEstimate`; g itself is measured by Eq. 3), with or without a
    /// spectator, grain operator.
    static func set(label: String, grainDimension d: Int, targets: [Double], spectator: Bool, count: Int,
                    grainOperator: CentralGrainModel.GrainOperator = .pauliOnGrainQubit) -> RealizationSet {
        let setup = CentralGrainSetup(grainDimension: d, grainOperator: grainOperator)
        var j = targets.map { setup.couplingEstimate(forReducedCoupling: $0) }
        if spectator { j.append(setup.couplingEstimate(forReducedCoupling: 0.01)) }
        return RealizationSet(label: label, count: count, settings: [
            "grainDimension": .int(d), "couplings": .init(j), "targets": .init(targets), "spectator": .bool(spectator),
            "grainOperator": .string(grainOperator.rawValue),
        ])
    }

    static func measure(_ set: RealizationSet, _ rng: inout RandomStream) throws -> ActiveSpinsSample {
        let op = CentralGrainModel.GrainOperator(rawValue: set.settings["grainOperator"]?.stringValue ?? "") ?? .pauliOnGrainQubit
        let setup = CentralGrainSetup(grainDimension: try set.int("grainDimension"), grainOperator: op)
        guard case let .bool(spec)? = set.settings["spectator"] else { throw ClaimError.invalidParameter("set \(set.label): missing spectator flag") }
        return try ActiveSpinsSample.measure(setup, couplings: try set.doubles("couplings"), spectator: spec, &rng)
    }

    /// Validation of a grain dimension for the ED of K active spins (dense, window vectors).
    static func validate(grainDimension d: Int, activeSpins k: Int) throws {
        guard d >= 16, d % 2 == 0, d <= 2048 else { throw ClaimError.invalidParameter("grain dimensions must be even integers in [16, 2048]") }
        try MemoryBudget.requireDense(dimension: Double(d << k), matrices: 3, parallel: ProcessInfo.processInfo.activeProcessorCount,
                                      for: "ED of \(k) active spins on a grain of dimension \(d)")
    }

    static func bare(_ s: [ActiveSpinsSample], spin n: Int) -> Double { CouplingPieces.pooled(s.map { $0.bare[n] }).reducedCoupling }
    static func entropy(_ s: [ActiveSpinsSample], spin n: Int) -> Double {
        s.reduce(0.0) { $0 + $1.entropySums[n] } / Double(s.reduce(0) { $0 + $1.windowStates })
    }
    static func autocorrelator(_ s: [ActiveSpinsSample], spin n: Int) -> Double {
        s.reduce(0.0) { $0 + $1.autocorrelatorSums[n] } / Double(s.reduce(0) { $0 + $1.windowStates })
    }
    /// g_s/g_{s,0} = ρ′[|V′_s|]/(ρ[|V_s|]) pooled (Eq. 3 in both bases, each with its own density
    /// of states at maximum entropy): e^{η/2} by (8c)/(A16).
    static func spectatorRatio(_ s: [ActiveSpinsSample]) -> Double {
        CouplingPieces.pooled(s.compactMap(\.spectatorOn)).reducedCoupling / CouplingPieces.pooled(s.compactMap(\.spectatorOff)).reducedCoupling
    }
    /// [|V′_s|]/[|V_s|] pooled (ratio of pooled means, (A19), which takes ρ′ = ρ).
    static func spectatorElementRatio(_ s: [ActiveSpinsSample]) -> Double {
        CouplingPieces.pooled(s.compactMap(\.spectatorOn)).meanAbsoluteElement / CouplingPieces.pooled(s.compactMap(\.spectatorOff)).meanAbsoluteElement
    }
    /// The active spin's coupling J_n of a set over the grain's semicircle radius.
    static func couplingOverBandwidth(_ set: RealizationSet, spin n: Int = 0) -> Double {
        guard let j = try? set.doubles("couplings"), let d = try? set.int("grainDimension") else { return .nan }
        return j[n] / (2 * (Double(d) / Double(d + 1)).squareRoot())
    }

    /// A statistic with its jackknife error over the set's realizations.
    static func stat(_ s: [ActiveSpinsSample], _ f: ([ActiveSpinsSample]) throws -> Double) rethrows -> (value: Double, error: Double) {
        try jackknife(count: s.count) { try f(s.excluding($0)) }
    }
}
