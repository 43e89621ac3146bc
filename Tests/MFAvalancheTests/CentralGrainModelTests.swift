import Foundation
import Kernels
import Linalg
import Numerics
import Testing
@testable import MFAvalanche

/// Kronecker product of complex matrices (test-only, independent of the model's index code).
private func kron(_ a: ComplexMatrix, _ b: ComplexMatrix) -> ComplexMatrix {
    ComplexMatrix(rows: a.rows * b.rows, columns: a.columns * b.columns) { i, j in
        a[i / b.rows, j / b.columns] * b[i % b.rows, j % b.columns]
    }
}

// Local spin basis of docs/CONVENTIONS.md: |0⟩ = ↓, |1⟩ = ↑ (σ^z = diag(−1, 1), ⟨1|σ^y|0⟩ = −i).
private let pauliX = ComplexMatrix([[.zero, .one], [.one, .zero]])
private let pauliY = ComplexMatrix([[.zero, Complex(0, 1)], [Complex(0, -1), .zero]])
private let pauliZ = ComplexMatrix([[Complex(-1, 0), .zero], [.zero, .one]])

/// (spin N−1 ⊗ … ⊗ spin 0) ⊗ grain with op at spin i: spins slow in descending site order,
/// the grain fast (docs/CONVENTIONS.md), built independently of the model's index code.
private func embed(grain g: ComplexMatrix, spinOp: ComplexMatrix?, at i: Int, spins n: Int) -> ComplexMatrix {
    var m = ComplexMatrix.identity(1)
    for k in stride(from: n - 1, through: 0, by: -1) { m = kron(m, k == i && spinOp != nil ? spinOp! : ComplexMatrix.identity(2)) }
    return kron(m, g)
}

@Suite("mf-avalanche: central-grain model Eq. (1)–(2)", .tags(.kernel))
struct CentralGrainModelTests {
    /// H from explicit Kronecker products of Pauli matrices (complex σ^y included) against the
    /// model's real index arithmetic, for both grain operators.
    @Test("Hamiltonian equals H_g⊗1 + Σh σ^z + ΣJ(σ_g^xσ^x + σ_g^yσ^y) built by Kronecker products")
    func kroneckerConstruction() throws {
        for op in CentralGrainModel.GrainOperator.allCases {
            var rng = RandomStream(seed: 1, label: "mf-ed-kron-\(op.rawValue)")
            let m = CentralGrainModel.drh(grainDimension: 4, spins: 3, alpha: 0.6, firstCoupling: 0.7, grainOperator: op, &rng)
            let a = ComplexMatrix(m.grainRaising)
            let sx = a + a.adjoint                                  // σ_g^x = A + Aᵀ
            let sy = Complex(0, -1) * (a - a.adjoint)               // σ_g^y = −i(A − Aᵀ)
            var h = embed(grain: ComplexMatrix(m.grainHamiltonian), spinOp: nil, at: -1, spins: 3)
            let id = ComplexMatrix.identity(4)
            for i in 0..<3 {
                h = h + Complex(m.splittings[i], 0) * embed(grain: id, spinOp: pauliZ, at: i, spins: 3)
                h = h + Complex(m.couplings[i], 0) * (embed(grain: sx, spinOp: pauliX, at: i, spins: 3)
                                                      + embed(grain: sy, spinOp: pauliY, at: i, spins: 3))
            }
            let mine = ComplexMatrix(m.hamiltonian())
            #expect((h - mine).maxAbs < 1e-13, "\(op): max |ΔH| = \((h - mine).maxAbs)")
            #expect(m.hamiltonian().asymmetry == 0)
            // One coupling switched off = the same construction without that term.
            let off = ComplexMatrix(m.hamiltonian(switchedOff: [1]))
            let v1 = Complex(m.couplings[1], 0) * (embed(grain: sx, spinOp: pauliX, at: 1, spins: 3)
                                                   + embed(grain: sy, spinOp: pauliY, at: 1, spins: 3))
            #expect((h - v1 - off).maxAbs < 1e-13)
            // The structured V·U equals the dense product.
            let u = Matrix(rows: m.dimension, columns: 5) { i, j in sin(Double(3 * i + 7 * j)) }
            #expect((m.applyCoupling(2, to: u) - (try gemm(m.couplingOperator(2), u))).maxAbs < 1e-13)
        }
    }

    @Test("grain bandwidth conventions: rms eigenvalue 1.5 in ensemble mean / per realization")
    func bandwidth() {
        var s = [Double]()
        for r in 0..<400 {
            var rng = RandomStream(seed: 2, label: "mf-ed-bw", realization: UInt64(r))
            let h = CentralGrainModel.goeGrain(dimension: 8, rms: 1.5, convention: .ensembleMean, &rng)
            s.append(h.storage.reduce(0) { $0 + $1 * $1 } / 8)
        }
        let m = SampleSummary(s)
        #expect(abs(m.mean - 2.25) < 4 * m.standardError)
        var rng = RandomStream(seed: 2, label: "mf-ed-bw-per")
        let h = CentralGrainModel.goeGrain(dimension: 8, rms: 1.5, convention: .perRealization, &rng)
        #expect(abs(h.storage.reduce(0) { $0 + $1 * $1 } / 8 - 2.25) < 1e-12)
        // DRH couplings and splittings.
        var r2 = RandomStream(seed: 3, label: "mf-ed-drh")
        let d = CentralGrainModel.drh(spins: 5, alpha: 0.5, &r2)
        #expect(d.couplings == [0.41, 0.205, 0.1025, 0.05125, 0.025625])
        #expect(d.splittings.allSatisfy { $0 >= 0.9 && $0 <= 1.1 })
        #expect(d.dimension == 8 * 32)
    }

    @Test("spin entropy, ⟨σ^z⟩ and C̄^zz on states known by hand")
    func eigenstateMeasures() throws {
        var rng = RandomStream(seed: 4, label: "mf-ed-meas")
        let m = CentralGrainModel.drh(grainDimension: 4, spins: 2, alpha: 0.5, &rng)
        let d = m.dimension
        // Index s·d_g + α, spin i = bit i of s, 1 = ↑.
        // |α=1, ↑₀, ↓₁⟩: a product state.
        var psi = [Double](repeating: 0, count: d)
        psi[m.index(grain: 1, spins: 0b01)] = 1
        #expect(m.spinEntropy(psi[...], spin: 0) == 0)
        #expect(m.spinReducedDensity(psi[...], spin: 1).down == 1)
        #expect(m.spinReducedDensity(psi[...], spin: 0).up == 1)
        // (|0,↑₀,↑₁⟩ + |2,↓₀,↑₁⟩)/√2: spin 0 maximally entangled with the grain, spin 1 not.
        psi = [Double](repeating: 0, count: d)
        psi[m.index(grain: 0, spins: 0b11)] = 0.5.squareRoot(); psi[m.index(grain: 2, spins: 0b10)] = 0.5.squareRoot()
        #expect(abs(m.spinEntropy(psi[...], spin: 0) - log(2.0)) < 1e-15)
        #expect(m.spinEntropy(psi[...], spin: 1) == 0)
        // (|0,↑₀⟩ + |0,↓₀⟩)/√2 ⊗ |↑₁⟩: spin 0 in a pure σ^x state, no entanglement.
        psi = [Double](repeating: 0, count: d)
        psi[m.index(grain: 0, spins: 0b11)] = 0.5.squareRoot(); psi[m.index(grain: 0, spins: 0b10)] = 0.5.squareRoot()
        #expect(m.spinEntropy(psi[...], spin: 0) < 1e-15)
        // Without couplings every eigenstate is a product state: S = 0, C̄ = 1.
        let free = CentralGrainModel(grainHamiltonian: m.grainHamiltonian, grainRaising: m.grainRaising,
                                     splittings: m.splittings, couplings: [0, 0])
        let e = try symmetricEigen(free.hamiltonian())
        #expect(free.spinEntropies(e.vectors!, spin: 0).allSatisfy { $0 < 1e-12 })
        #expect(abs(free.timeAveragedAutocorrelator(e.vectors!, spin: 1) - 1) < 1e-12)
        let full = try symmetricEigen(m.hamiltonian())
        let c = m.timeAveragedAutocorrelator(full.vectors!, spin: 0)
        #expect(c > 0 && c < 1)
    }

    /// Eq. (5): g_ia is the norm of the first-order eigenvector correction, i.e. of
    /// d|a(ε)⟩/dε at ε = 0 for H(ε) = H|_{V_i=0} + εV_i. Central differences of the exact
    /// eigenvectors (signs aligned) at ε = ±10⁻⁵.
    @Test("perturbative norms (5) equal ‖∂_ε|a(ε)⟩‖ by finite differences")
    func perturbativeNorms() throws {
        var rng = RandomStream(seed: 5, label: "mf-ed-pt")
        let m = CentralGrainModel.drh(grainDimension: 8, spins: 2, alpha: 0.7, firstCoupling: 0.3, &rng)
        let el = try m.couplingElements(spin: 0)
        let norms = el.perturbativeNorms()
        let h0 = m.hamiltonian(switchedOff: [0]), v = m.couplingOperator(0)
        let eps = 1e-5
        let plus = try symmetricEigen(h0 + eps * v).vectors!, minus = try symmetricEigen(h0 + (-eps) * v).vectors!
        let d = m.dimension
        for a in stride(from: 0, to: d, by: 5) {
            var dot = 0.0
            for k in 0..<d { dot += plus[k, a] * minus[k, a] }
            let s = dot < 0 ? -1.0 : 1.0
            var n2 = 0.0
            for k in 0..<d { let x = (plus[k, a] - s * minus[k, a]) / (2 * eps); n2 += x * x }
            #expect(abs(n2.squareRoot() / norms[a] - 1) < 1e-4, "state \(a): FD \(n2.squareRoot()), (5) \(norms[a])")
        }
    }

    /// Eq. (3) measured in the eigenbasis against Eq. (4) with ρ_g at grain energy h (large
    /// d_g, where the ETH form (4) holds). Statistical error from the spread over
    /// realizations; systematic: the semicircle's O(1/d_g) density error (≤ 0.5% here).
    /// Control: ρ_g at grain energy 0 (the "density at maximum entropy of the grain"), 9% off.
    @Test("Eq. (3) from ED equals Eq. (4) (ρ_g at grain energy h); ρ_g(0) rejected")
    func reducedCouplingMatchesMacroscopic() throws {
        let dg = 128, h = 0.8, c = 2 / (2 * Double(dg)).squareRoot()     // semicircle radius 2
        var ratios = [Double](), controls = [Double]()
        for r in 0..<12 {
            var rng = RandomStream(seed: 6, label: "mf-ed-eq3", realization: UInt64(r))
            let hg = c * RandomMatrix.goe(dg, &rng)
            let a = CentralGrainModel.grainRaising(.pauliOnGrainQubit, dimension: dg, &rng)
            let m = CentralGrainModel(grainHamiltonian: hg, grainRaising: a, splittings: [h], couplings: [0.01])
            let el = try m.couplingElements(spin: 0)
            let e0 = m.infiniteTemperatureEnergy
            let est = el.reducedCoupling(window: (e0 - 0.3)...(e0 + 0.3))
            ratios.append(est.reducedCoupling / m.macroscopicReducedCoupling(spin: 0, grainScale: c))
            controls.append(est.reducedCoupling / m.macroscopicReducedCoupling(spin: 0, grainScale: c, grainEnergy: 0))
        }
        let s = SampleSummary(ratios), k = SampleSummary(controls)
        let tol = 4 * s.standardError + 0.005
        #expect(abs(s.mean - 1) < tol, "g(3)/g(4) = \(s.mean) ± \(s.standardError)")
        #expect(abs(k.mean - 1) > tol, "control g(3)/g(4; ρ_g(0)) = \(k.mean) ± \(k.standardError)")
    }

    @Test("(A19) machinery: with V₁ = 0 the two bases coincide and the ratio of [|V₂|] is 1")
    func etaDirectTrivialLimit() throws {
        var rng = RandomStream(seed: 7, label: "mf-ed-a19")
        var m = CentralGrainModel.drh(grainDimension: 8, spins: 2, alpha: 0.5, &rng)
        m = CentralGrainModel(grainHamiltonian: m.grainHamiltonian, grainRaising: m.grainRaising,
                              splittings: m.splittings, couplings: [0, 0.1])
        let on = try m.couplingElements(spin: 1)
        let off = try m.couplingElements(spin: 1, alsoOff: [0])
        let w = (m.infiniteTemperatureEnergy - 1)...(m.infiniteTemperatureEnergy + 1)
        let a = on.reducedCoupling(window: w), b = off.reducedCoupling(window: w)
        #expect(abs(a.meanAbsoluteElement / b.meanAbsoluteElement - 1) < 1e-10)
    }
}
