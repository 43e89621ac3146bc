import Foundation
import Kernels
import Linalg
import Testing
@testable import MFAvalanche

/// The structured measurements against the literal dense constructions of Eqs. (3), (5) and
/// (A19) (`CentralGrainModel.couplingElements`: the full Hamiltonian with some couplings off,
/// diagonalized, V in its eigenbasis), on cases small enough to build densely.
@Suite("mf-avalanche: few-spin ED measurements against the dense definitions", .tags(.kernel))
struct CentralGrainMeasurementTests {
    let setup = CentralGrainSetup(grainDimension: 16, window: 0.6)

    @Test("bare Eq. (3) and Eq. (5) in the product basis equal the dense eigenbasis computation")
    func bare() throws {
        var rng = RandomStream(seed: 31, label: "mf-meas-bare")
        let m0 = setup.model(couplings: [0.07, 0.05], &rng)
        let grain = try GrainEigenbasis(m0)
        for n in 0..<2 {
            var cs = [0.0, 0.0]; cs[n] = m0.couplings[n]
            let m = CentralGrainModel(grainHamiltonian: m0.grainHamiltonian, grainRaising: m0.grainRaising, splittings: m0.splittings, couplings: cs)
            let mine = CentralGrainMeasure.bareCoupling(m, grain: grain, spin: n, window: setup.window)
            let el = try m.couplingElements(spin: n)
            let e0 = m.infiniteTemperatureEnergy
            let ref = el.reducedCoupling(window: (e0 - setup.window)...(e0 + setup.window))
            #expect(mine.states == ref.statesInWindow)
            #expect(abs(mine.meanAbsoluteElement / ref.meanAbsoluteElement - 1) < 1e-10)
            // Eq. (5): same multiset of norms for the window states.
            let idx = el.energies.indices.filter { abs(el.energies[$0] - e0) <= setup.window }
            let refNorms = el.perturbativeNorms().enumerated().filter { idx.contains($0.offset) }.map(\.element).sorted()
            let myNorms = CentralGrainMeasure.perturbativeNorms(m, grain: grain, spin: n, window: setup.window).sorted()
            #expect(refNorms.count == myNorms.count)
            #expect(zip(refNorms, myNorms).allSatisfy { abs($0 / $1 - 1) < 1e-8 })
        }
    }

    @Test("spectator [|V_s|] with the actives on and off, entropies and C̄ equal the dense computation")
    func spectator() throws {
        var rng = RandomStream(seed: 32, label: "mf-meas-spec")
        var probe = rng
        let sample = try ActiveSpinsSample.measure(setup, couplings: [0.2, 0.1, 0.03], spectator: true, &rng)
        let m = setup.model(couplings: [0.2, 0.1, 0.03], &probe)      // the same draws
        let e0 = m.infiniteTemperatureEnergy
        let w = (e0 - setup.window)...(e0 + setup.window)
        let on = try m.couplingElements(spin: 2).reducedCoupling(window: w)
        let off = try m.couplingElements(spin: 2, alsoOff: [0, 1]).reducedCoupling(window: w)
        let sOn = try #require(sample.spectatorOn), sOff = try #require(sample.spectatorOff)
        #expect(sOn.states == on.statesInWindow && sOff.states == off.statesInWindow)
        #expect(abs(sOn.meanAbsoluteElement / on.meanAbsoluteElement - 1) < 1e-9)
        #expect(abs(sOff.meanAbsoluteElement / off.meanAbsoluteElement - 1) < 1e-9)
        // Entropies of the two active spins over the window states of H_act.
        let act = CentralGrainModel(grainHamiltonian: m.grainHamiltonian, grainRaising: m.grainRaising,
                                    splittings: Array(m.splittings.prefix(2)), couplings: [0.2, 0.1])
        let e = try symmetricEigen(act.hamiltonian())
        let idx = e.values.indices.filter { w.contains(e.values[$0]) }
        #expect(idx.count == sample.windowStates)
        for n in 0..<2 {
            let s = act.spinEntropies(e.vectors!, spin: n).enumerated().filter { idx.contains($0.offset) }.map(\.element).reduce(0, +)
            #expect(abs(s - sample.entropySums[n]) < 1e-9)
            let z = act.diagonalSpinZ(e.vectors!, spin: n).enumerated().filter { idx.contains($0.offset) }.map { $0.element * $0.element }.reduce(0, +)
            #expect(abs(z - sample.autocorrelatorSums[n]) < 1e-9)
        }
        #expect(sample.entropyHistogram.reduce(0, +) == sample.windowStates)
        // With the actives' couplings zero the two bases coincide: ratio 1.
        var r2 = RandomStream(seed: 33, label: "mf-meas-spec0")
        let trivial = try ActiveSpinsSample.measure(setup, couplings: [0, 0.05], spectator: true, &r2)
        #expect(abs(trivial.spectatorOn!.meanAbsoluteElement / trivial.spectatorOff!.meanAbsoluteElement - 1) < 1e-10)
    }

    @Test("the coupling estimate places g within 30% of the measured Eq. (3) at d_g = 64")
    func couplingEstimate() throws {
        let s = CentralGrainSetup(grainDimension: 64)
        var pieces = [CouplingPieces]()
        for r in 0..<6 {
            var rng = RandomStream(seed: 34, label: "mf-meas-est", realization: UInt64(r))
            pieces.append(try ActiveSpinsSample.measure(s, couplings: [s.couplingEstimate(forReducedCoupling: 0.1)], spectator: false, &rng).bare[0])
        }
        let g = CouplingPieces.pooled(pieces).reducedCoupling
        #expect(abs(g / 0.1 - 1) < 0.3, "g = \(g)")
    }
}

@Suite("mf-avalanche: DRH ED measurement (Fig. 2)", .tags(.kernel))
struct DRHSampleTests {
    @Test("central-half entropies equal the full diagonalization's, same draws")
    func centralHalf() throws {
        var rng = RandomStream(seed: 41, label: "mf-drh-sample")
        var probe = rng
        let s = try DRHSample.measure(spins: 3, alpha: 0.6, &rng)
        let m = CentralGrainModel.drh(spins: 3, alpha: 0.6, &probe)
        let e = try symmetricEigen(m.hamiltonian())
        let d = m.dimension, lo = d / 2 - d / 4
        #expect(s.windowStates == d / 2)
        for n in 0..<3 {
            let ref = m.spinEntropies(e.vectors!, spin: n, states: lo..<(lo + d / 2)).reduce(0, +)
            #expect(abs(ref - s.entropySums[n]) < 1e-9)
        }
        #expect(s.endHistogram.reduce(0, +) == d / 2)
        // The same realization index draws the same model whatever α (for the same stream).
        var r1 = RandomStream(seed: 42, label: "x"), r2 = RandomStream(seed: 42, label: "x")
        let a = CentralGrainModel.drh(spins: 2, alpha: 0.5, &r1), b = CentralGrainModel.drh(spins: 2, alpha: 0.7, &r2)
        #expect(a.splittings == b.splittings && a.grainHamiltonian.storage == b.grainHamiltonian.storage)
    }
}
