import Foundation
import Kernels
import Linalg
import Numerics
import Special
import Testing
@testable import OpenSync

extension Tag {
    @Tag static var kernel: Self
}

private func randomMatrix(_ n: Int, _ rng: inout RandomStream) -> ComplexMatrix {
    var m = ComplexMatrix(rows: n, columns: n)
    for k in m.storage.indices { m.storage[k] = rng.complexNormal() }
    return m
}

private func maxDiff(_ a: ComplexMatrix, _ b: ComplexMatrix) -> Double {
    zip(a.storage, b.storage).map { ($0 - $1).length }.max() ?? 0
}

private func randomState(_ n: Int, _ rng: inout RandomStream) -> ComplexMatrix {
    let a = randomMatrix(n, &rng)
    let r = a * a.adjoint
    return (Complex(1, 0) / r.trace) * r
}

@Suite("open-sync kernels", .tags(.kernel))
struct OpenSyncKernelTests {
    @Test("spin operators: [Sx, Sy] = iSz and S² = S(S+1) for S = 1/2, 1, 3/2")
    func spinAlgebra() {
        for twoS in 1...3 {
            let s = SpinOperators(twiceSpin: twoS, sites: 2)
            for j in 0..<2 {
                let x = s.x(j), y = s.y(j), z = s.z(j)
                #expect(maxDiff(x * y - y * x, Complex(0, 1) * z) < 1e-14)
                let casimir = x * x + y * y + z * z
                #expect(maxDiff(casimir, Complex(s.spin * (s.spin + 1), 0) * .identity(s.dimension)) < 1e-13)
            }
            #expect(maxDiff(s.globalFlip * s.magnetization * s.globalFlip, Complex(-1, 0) * s.magnetization) < 1e-14)
        }
    }

    @Test("vec(A X B) = (Bᵀ ⊗ A) vec X (column stacking)")
    func vecIdentity() throws {
        var rng = RandomStream(seed: 1, label: "vec")
        let a = randomMatrix(4, &rng), x = randomMatrix(4, &rng), b = randomMatrix(4, &rng)
        let lhs = Vectorization.vec(a * x * b)
        let rhs = try gemv(Vectorization.sandwich(left: a, right: b), Vectorization.vec(x))
        #expect(zip(lhs, rhs).map { ($0 - $1).length }.max()! < 1e-13)
    }

    @Test("Liouvillian matrix = Eq. (1); trace and Hermiticity preserved")
    func lindbladProperties() throws {
        var rng = RandomStream(seed: 2, label: "lindblad")
        let d = 5
        let m = randomMatrix(d, &rng)
        let h = Complex(0.5, 0) * (m + m.adjoint)
        let jumps = (0..<3).map { _ in randomMatrix(d, &rng) }
        let l = Liouvillian(hamiltonian: h, jumps: jumps)
        let x = randomMatrix(d, &rng)
        let direct = Liouvillian.action(hamiltonian: h, jumps: jumps, on: x)
        #expect(maxDiff(try l.apply(x), direct) < 1e-12)
        // trace preservation: vec(I)† 𝓛 = 0
        var worst = 0.0
        for col in 0..<(d * d) {
            var s = Complex<Double>.zero
            for i in 0..<d { s += l.matrix[i + d * i, col] }
            worst = max(worst, s.length)
        }
        #expect(worst < 1e-12)
        // Hermiticity preservation: 𝓛[X†] = 𝓛[X]†
        #expect(maxDiff(try l.apply(x.adjoint), try l.apply(x).adjoint) < 1e-12)
    }

    @Test("steady state and spectrum: amplitude damping of a qubit")
    func amplitudeDamping() throws {
        let s = SpinOperators(twiceSpin: 1, sites: 1)
        let l = Liouvillian(hamiltonian: Complex(0.7, 0) * s.z(0), jumps: [s.minus(0)])
        let rho = try l.steadyState()
        #expect(abs(rho[1, 1].real - 1) < 1e-14 && rho[0, 0].length < 1e-14)
        let spec = try l.spectrum()
        #expect(spec.zeroModes.count == 1 && spec.oscillating.isEmpty)
        #expect(abs((spec.slowestDecay ?? 0) + 0.5) < 1e-12)   // coherences decay at γ/2
    }

    @Test("spin-1 chain N = 2: 2(N+1) zero modes, sector states stationary, P·1_M at 2iωM")
    func spin1Chain() throws {
        let model = Spin1Chain(sites: 2)
        let l = model.liouvillian
        let spec = try l.spectrum()
        #expect(spec.zeroModes.count == 6)
        #expect(try l.kernel().rank == 81 - 6)
        let ones = model.sectorProjectors.map(maximallyMixedState)
        #expect(ones.count == 6)
        for o in ones {
            #expect(abs(o.trace.real - 1) < 1e-14)
            #expect((try l.apply(o)).storage.map(\.length).max()! < 1e-13)
        }
        let x = model.spins.globalFlip * ones[5]              // M = +2
        let y = try l.apply(x)
        #expect(maxDiff(y, Complex(0, 4) * x) < 1e-13)
    }

    @Test("random Liouvillian: sparse superoperator = jump form (F4), trace preserving; basis Gram matrices")
    func randomLiouvillian() throws {
        var rng = RandomStream(seed: 3, label: "ensemble")
        let d = 3
        for kind in [RandomLiouvillian.Basis.printed, .orthonormal] {
            let h = RandomLiouvillian.hamiltonian(dimension: d, &rng)
            let k = try RandomLiouvillian.kossakowskiMatrix(size: d * d - 1, &rng)
            let f = RandomLiouvillian.basis(dimension: d, kind)
            let sup = RandomLiouvillian.superoperator(hamiltonian: h, kossakowski: k, basis: f)
            let jumps = try RandomLiouvillian.jumpOperators(kossakowski: k, basis: f, dimension: d)
            let ref = Liouvillian(hamiltonian: h, jumps: jumps)
            #expect(maxDiff(sup.matrix, ref.matrix) < 1e-12)
            var tr = 0.0
            for i in 0..<(d * d - 1) { tr += k[i, i].real }
            #expect(abs(tr - Double(d * d - 1)) < 1e-10)
            // Gram matrix Tr(F_m F_n†)
            func dense(_ s: RandomLiouvillian.SparseOperator) -> ComplexMatrix {
                var m = ComplexMatrix(rows: d, columns: d)
                for (r, c, v) in s { m[r, c] = Complex(v, 0) }
                return m
            }
            let g00 = (dense(f[0]) * dense(f[0]).adjoint).trace.real
            let g04 = (dense(f[0]) * dense(f[4]).adjoint).trace.real       // F_1 = E_11 − E_22, F_5 = E_22 − E_33
            #expect(kind == .printed ? (abs(g00 - 2) < 1e-14 && abs(g04 + 1) < 1e-14) : (abs(g00 - 1) < 1e-14 && abs(g04) < 1e-14))
        }
    }

    @Test("S(φ) normalizes to 1 and is flat (2π)^−N for a diagonal state (App. A)")
    func husimiNormalization() throws {
        var rng = RandomStream(seed: 4, label: "husimi")
        let spins = SpinOperators(twiceSpin: 2, sites: 2)
        let rho = randomState(9, &rng)
        let dist = try SpinPhaseDistribution(rho: rho, spins: spins)
        let n = 8                                        // exact for |k_j| ≤ 2
        var sum = 0.0
        for i in 0..<n { for j in 0..<n { sum += dist.value([2 * .pi * Double(i) / Double(n), 2 * .pi * Double(j) / Double(n)]) } }
        #expect(abs(sum / Double(n * n) * pow(2 * .pi, 2) - 1) < 1e-13)
        var diag = ComplexMatrix(rows: 9, columns: 9)
        for i in 0..<9 { diag[i, i] = Complex(rho[i, i].real, 0) }
        let flat = try SpinPhaseDistribution(rho: diag, spins: spins)
        for _ in 0..<20 {
            let v = flat.value([rng.uniform(0, 2 * .pi), rng.uniform(0, 2 * .pi)])
            #expect(abs(v - pow(2 * .pi, -2)) < 1e-15)
        }
        #expect(abs(flat.relative.maximum(grid: 24).sMax) < 1e-15)
        // S_d = 2π S(φ′, 0) for a shift-invariant state
        let sd = dist.relative
        let p = [rng.uniform(0, 2 * .pi)]
        var integral = 0.0
        for i in 0..<n { let phiN = 2 * .pi * Double(i) / Double(n); integral += dist.value([p[0] + phiN, phiN]) }
        #expect(abs(integral * 2 * .pi / Double(n) - sd.value(p)) < 1e-15)
    }

    @Test("Husimi θ quadrature: Gauss–Legendre vs closed form, and Q integrated directly")
    func husimiQuadrature() throws {
        for twoS in [1, 2] {
            let exact = try SpinPhaseDistribution.thetaWeights(twiceSpin: twoS)
            let gl12 = try SpinPhaseDistribution.thetaWeights(twiceSpin: twoS, quadraturePoints: 12)
            let gl4 = try SpinPhaseDistribution.thetaWeights(twiceSpin: twoS, quadraturePoints: 4)
            let err12 = zip(exact, gl12).map { zip($0, $1).map { abs($0 - $1) }.max()! }.max()!
            let err4 = zip(exact, gl4).map { zip($0, $1).map { abs($0 - $1) }.max()! }.max()!
            #expect(err12 < 1e-15)
            #expect(err4 > 1e-5)                          // the quadrature error is real at low order
            #expect(abs(exact[0][0] - Double(twoS + 1) / (4 * .pi) * 2 / Double(twoS + 1)) < 1e-15) // ∫ sinθ cos^{4S}(θ/2) = 2/(2S+1)
        }
        // S(φ) from (A1)–(A3) directly: 2-D Gauss–Legendre over (θ₁, θ₂) of Q at one φ
        var rng = RandomStream(seed: 5, label: "husimiQ")
        let spins = SpinOperators(twiceSpin: 1, sites: 2)
        let rho = randomState(4, &rng)
        let phi = [0.3, 2.1]
        let (t, w) = try Quadrature.gaussLegendre(points: 16, from: 0, to: .pi)
        var direct = 0.0
        for a in 0..<16 { for b in 0..<16 {
            direct += w[a] * w[b] * sin(t[a]) * sin(t[b])
                * SpinPhaseDistribution.husimiQ(rho: rho, spins: spins, phi: phi, theta: [t[a], t[b]])
        } }
        direct *= pow(2 / (4 * .pi), 2)
        let series = try SpinPhaseDistribution(rho: rho, spins: spins).value(phi)
        #expect(abs(direct - series) < 1e-14)
    }

    @Test("χ (Eq. 9) and χ₂ (Eq. D6) at known configurations")
    func chiValues() {
        #expect(abs(OpenSync.chi(0, 0, 0)) < 1e-15)
        #expect(abs(OpenSync.chi(0, 0, .pi) - 1) < 1e-14)
        #expect(abs(OpenSync.chi(0, .pi / 3, -.pi / 3) - 0.25) < 1e-14)
        #expect(abs(OpenSync.chi(0, 2 * .pi / 3, -2 * .pi / 3) - 1) < 1e-14)
        #expect(abs(OpenSync.chi(1.0, 1.0, 1.0 + .pi) - 1) < 1e-14)         // shift invariance
        #expect(abs(OpenSync.chi(0.4, 2.0, 5.0) - OpenSync.chi(5.0, 0.4 + 2 * .pi, 2.0)) < 1e-14)
        // the readings of chi-uniform's control: at (0, 0) all coincide; off the T¹ triangle the principal-frame mean without min differs
        for r in OpenSync.ChiReading.allCases { #expect(abs(r.chi(0, 0)) < 1e-15) }
        #expect(abs(OpenSync.ChiReading.principalMeanNoMin.chi(0.3, 0.5) - OpenSync.chi(0.3, 0.5, 0)) < 1e-15)   // inside T¹: j = 0 optimal
        #expect(abs(OpenSync.ChiReading.principalMeanNoMin.chi(3.0, -3.0) - OpenSync.chi(3.0, -3.0, 0)) > 0.1)
        #expect(abs(OpenSync.chi2(.pi) - 1) < 1e-15 && abs(OpenSync.chi2(-.pi / 2) - 0.5) < 1e-15)
    }

    @Test("S_max and maximizers of pure 1₀₊ and 1₀₋ (N = 3)")
    func maximizers() throws {
        let model = Spin1Chain(sites: 3)
        let ones = model.sectorProjectors.map(maximallyMixedState)
        let plus = try SpinPhaseDistribution(rho: ones[model.indexZeroPlus], spins: model.spins).relative
        let minus = try SpinPhaseDistribution(rho: ones[model.indexZeroMinus], spins: model.spins).relative
        #expect(SteadyStateSample.isZeroPiType(plus))
        #expect(!SteadyStateSample.isZeroPiType(minus))
        // S_max = 2π·3b (b > 0) resp. 2π·(3/2)|b| with b = (c₀₊/4 − c₀₋/3)/(32π³)
        let pi3: Double = Double.pi * Double.pi * Double.pi
        let bPlus = 0.25 / (32 * pi3), bMinus = (1.0 / 3) / (32 * pi3)
        #expect(abs(plus.maximum(grid: 60).sMax - 6 * Double.pi * bPlus) < 1e-14)
        #expect(abs(minus.maximum(grid: 60).sMax - 3 * Double.pi * bMinus) < 1e-14)
    }
}
