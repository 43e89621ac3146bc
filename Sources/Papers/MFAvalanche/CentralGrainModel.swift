import Foundation
import Kernels
import Linalg

/// The central-grain model of Eq. (1) with the flip-flop couplings of Eq. (2):
///
///     H = H_g + Σ_n h_n σ_n^z + Σ_n J_n (σ_g^x σ_n^x + σ_g^y σ_n^y)
///       = H_g + Σ_n h_n σ_n^z + Σ_n 2J_n (A ⊗ σ_n^− + Aᵀ ⊗ σ_n^+),
///
/// where A = σ_g^+ = (σ_g^x + iσ_g^y)/2 is a real d_g×d_g matrix (so σ_g^x = A + Aᵀ,
/// σ_g^y = −i(A − Aᵀ), and H is real symmetric). The paper does not say which operator
/// σ_g is; `GrainOperator` offers two choices with the same norm tr(AAᵀ) = d_g/2, so that a
/// claim can be run under both.
///
/// Tensor order and bits: docs/CONVENTIONS.md (the package's one convention): the spins are the
/// slow factor and the grain the fast one, index s·d_g + α for spin state s = Σ_i b_i 2^i and
/// grain state α; code spin i is the paper's l-bit n = i + 1, bit 1 = ↑ (σ^z = +1).
///
/// H is built by the package's ED layer (`SpinHamiltonian` with the grain as the attached
/// block: 1 ⊗ H_g, h σ^z_i ⊗ 1, 2J_i(σ_i^- ⊗ A + σ_i^+ ⊗ Aᵀ)); there is no symmetry sector to
/// use (the GOE grain mixes everything once a coupling is on); the claims use the conserved
/// σ^z of uncoupled spins themselves (block copies, product bases). Every matrix here is
/// `DenseMatrix<Double>` (Linalg).
public struct CentralGrainModel: Sendable {
    /// H_g (already scaled to its bandwidth).
    public let grainHamiltonian: Matrix
    /// A = σ_g^+.
    public let grainRaising: Matrix
    /// h_n.
    public let splittings: [Double]
    /// J_n.
    public let couplings: [Double]

    public init(grainHamiltonian: Matrix, grainRaising: Matrix, splittings: [Double], couplings: [Double]) {
        precondition(grainHamiltonian.isSquare && grainRaising.rows == grainHamiltonian.rows && grainRaising.isSquare)
        precondition(splittings.count == couplings.count)
        self.grainHamiltonian = grainHamiltonian
        self.grainRaising = grainRaising
        self.splittings = splittings
        self.couplings = couplings
    }

    public var grainDimension: Int { grainHamiltonian.rows }
    public var spins: Int { splittings.count }
    public var dimension: Int { grainDimension << spins }

    /// The bit of spin i in the spin state s (bit set = ↑).
    @inline(__always) public func spinMask(_ i: Int) -> Int { 1 << i }

    /// The index of grain state α with spin state s.
    @inline(__always) public func index(grain alpha: Int, spins s: Int) -> Int { s * grainDimension + alpha }

    /// Which operator plays σ_g in Eq. (2).
    public enum GrainOperator: String, Sendable, Codable, CaseIterable {
        /// σ_g^{x,y} are Pauli matrices on one qubit of the grain, the grain being that qubit
        /// ⊗ a (d_g/2)-level rest: A = |↑⟩⟨↓| ⊗ 1, i.e. A[α, α + d_g/2] = 1 (d_g even).
        case pauliOnGrainQubit
        /// A with i.i.d. N(0, 1/(2d_g)) entries (E tr AAᵀ = d_g/2): a generic grain operator.
        case gaussian
    }

    /// How the GOE grain is scaled to the paper's root-mean-square eigenvalue
    /// ([tr H_g²]/d_g)^{1/2} (Sec. VI).
    public enum BandwidthConvention: String, Sendable, Codable {
        /// [·] read as the ensemble mean: H_g = c·GOE with c² (d_g + 1)/2 = rms² (the package's
        /// GOE has E tr H² = d(d + 1)/2).
        case ensembleMean
        /// Every realization rescaled to tr H_g²/d_g = rms² exactly.
        case perRealization
    }

    /// A = σ_g^+ for the chosen operator (draws from `rng` only for `.gaussian`).
    public static func grainRaising(_ op: GrainOperator, dimension d: Int, _ rng: inout RandomStream) -> Matrix {
        var a = Matrix(rows: d, columns: d)
        switch op {
        case .pauliOnGrainQubit:
            precondition(d % 2 == 0, "a grain qubit needs an even grain dimension")
            for alpha in 0..<(d / 2) { a[alpha, alpha + d / 2] = 1 }
        case .gaussian:
            let s = (1 / (2 * Double(d))).squareRoot()
            for k in a.storage.indices { a.storage[k] = s * rng.normal() }
        }
        return a
    }

    /// A GOE grain with root-mean-square eigenvalue `rms` under `convention`.
    public static func goeGrain(dimension d: Int, rms: Double, convention: BandwidthConvention,
                                _ rng: inout RandomStream) -> Matrix {
        let h = RandomMatrix.goe(d, &rng)
        let c: Double
        switch convention {
        case .ensembleMean: c = rms * (2 / Double(d + 1)).squareRoot()
        case .perRealization:
            let tr2 = h.storage.reduce(0) { $0 + $1 * $1 }     // tr H² = Σ_ij H_ij²
            c = rms * (Double(d) / tr2).squareRoot()
        }
        return c * h
    }

    /// The DRH model of Sec. VI: J_n = J₁α^{n−1} (Eq. 12), h_n uniform in h + [−δh, δh],
    /// GOE grain. Draw order from `rng`: H_g, then A (`.gaussian` only), then h₁ … h_N.
    /// The paper's Fig. 2: d_g = 8, rms 1.5, h = 1, δh = 0.1, J₁ = 0.41.
    public static func drh(grainDimension dg: Int = 8, spins: Int, alpha: Double, firstCoupling j1: Double = 0.41,
                           meanSplitting h: Double = 1, splittingSpread dh: Double = 0.1, rmsEigenvalue: Double = 1.5,
                           bandwidth: BandwidthConvention = .ensembleMean, grainOperator: GrainOperator = .pauliOnGrainQubit,
                           _ rng: inout RandomStream) -> CentralGrainModel {
        let hg = goeGrain(dimension: dg, rms: rmsEigenvalue, convention: bandwidth, &rng)
        let a = grainRaising(grainOperator, dimension: dg, &rng)
        let hs = (0..<spins).map { _ in rng.uniform(h - dh, h + dh) }
        let js = (0..<spins).map { j1 * pow(alpha, Double($0)) }
        return CentralGrainModel(grainHamiltonian: hg, grainRaising: a, splittings: hs, couplings: js)
    }

    // MARK: Operators

    /// The operator terms of Eq. (1) with the couplings of `switchedOff` set to zero (ED layer).
    public func terms(switchedOff: Set<Int> = []) -> [OperatorTerm] {
        var t = [OperatorTerm(block: grainHamiltonian)]
        for i in 0..<spins where splittings[i] != 0 { t.append(OperatorTerm(splittings[i], "z", [i])) }
        let at = Matrix(rows: grainDimension, columns: grainDimension) { r, c in grainRaising[c, r] }
        for i in 0..<spins where !switchedOff.contains(i) && couplings[i] != 0 {
            // V_i = 2J_i(σ_i^- ⊗ A + σ_i^+ ⊗ Aᵀ): ⟨α, ↓_i|V_i|β, ↑_i⟩ = 2J_i A[α, β].
            t.append(OperatorTerm(2 * couplings[i], "-", [i], block: grainRaising))
            t.append(OperatorTerm(2 * couplings[i], "+", [i], block: at))
        }
        return t
    }

    /// H of Eq. (1) with the couplings of `switchedOff` set to zero, on the full spin space ⊗ grain.
    public func spinHamiltonian(switchedOff: Set<Int> = []) throws -> SpinHamiltonian {
        try SpinHamiltonian(basis: try SpinHalfBasis(sites: spins), terms: terms(switchedOff: switchedOff))
    }

    /// The dense H of Eq. (1) with the couplings of `switchedOff` set to zero.
    public func hamiltonian(switchedOff: Set<Int> = []) -> Matrix {
        // The terms are Hermitian and real by construction (a failure is a programming error).
        try! spinHamiltonian(switchedOff: switchedOff).dense()
    }

    /// V_i of Eq. (2) as a dense matrix.
    public func couplingOperator(_ i: Int) -> Matrix {
        var v = Matrix(rows: dimension, columns: dimension)
        let d = dimension, ns = 1 << spins, dg = grainDimension, mask = spinMask(i), c = 2 * couplings[i]
        for beta in 0..<dg {
            for alpha in 0..<dg {
                let a = grainRaising[alpha, beta]
                if a == 0 { continue }
                for s in 0..<ns where s & mask != 0 {
                    let up = index(grain: beta, spins: s), down = index(grain: alpha, spins: s ^ mask)
                    v.storage[down + up * d] += c * a
                    v.storage[up + down * d] += c * a
                }
            }
        }
        return v
    }

    /// V_i · U for a D×k matrix U. The grain is the fast index, so U is a d_g × (2^N k) matrix of
    /// grain blocks; V_i maps block s (spin i ↑) to block s ⊕ i with A and back with Aᵀ: two gemms.
    public func applyCoupling(_ i: Int, to u: Matrix) -> Matrix {
        precondition(u.rows == dimension)
        let ns = 1 << spins, dg = grainDimension, mask = spinMask(i), blocks = ns * u.columns
        let c = 2 * couplings[i]
        var out = Matrix(rows: dimension, columns: u.columns)
        if c == 0 { return out }
        let x = Matrix(rows: dg, columns: blocks, entries: u.storage, order: .columnMajor)
        let ya = try! gemm(grainRaising, x), yt = try! gemm(grainRaising, x, transA: .transpose)
        for b in 0..<blocks {
            let s = b % ns
            guard s & mask != 0 else { continue }
            let partner = b - s + (s ^ mask)        // the same column, spin i flipped
            for k in 0..<dg {
                out.storage[partner * dg + k] += c * ya.storage[b * dg + k]     // ↑ → ↓ with A
                out.storage[b * dg + k] += c * yt.storage[partner * dg + k]     // ↓ → ↑ with Aᵀ
            }
        }
        return out
    }

    // MARK: Eigenstate measurements

    /// Reduced density matrix of spin i in the real state ψ: (p↑, p↓, coherence ⟨↑|ρ|↓⟩).
    public func spinReducedDensity(_ psi: ArraySlice<Double>, spin i: Int) -> (up: Double, down: Double, coherence: Double) {
        let ns = 1 << spins, mask = spinMask(i), dg = grainDimension
        let base = psi.startIndex
        var up = 0.0, down = 0.0, c = 0.0
        psi.withContiguousStorageIfAvailable { p in
            for s in 0..<ns where s & mask == 0 {
                let dn = s * dg, u = (s | mask) * dg
                for alpha in 0..<dg {
                    let a = p[u + alpha], b = p[dn + alpha]
                    up += a * a; down += b * b; c += a * b
                }
            }
        } ?? {
            for s in 0..<ns where s & mask == 0 {
                for alpha in 0..<dg {
                    let a = psi[base + (s | mask) * dg + alpha], b = psi[base + s * dg + alpha]
                    up += a * a; down += b * b; c += a * b
                }
            }
        }()
        return (up, down, c)
    }

    /// Entanglement entropy (nats) of spin i with the rest in the real state ψ.
    public func spinEntropy(_ psi: ArraySlice<Double>, spin i: Int) -> Double {
        let r = spinReducedDensity(psi, spin: i)
        let tr = r.up + r.down
        let disc = ((r.up - r.down) * (r.up - r.down) + 4 * r.coherence * r.coherence).squareRoot()
        let small = max(0, 0.5 * (tr - disc)) / tr
        return TwoLevelResonance.binaryEntropy(small)
    }

    /// S_ia for every eigenvector (columns of `vectors`) in `states`.
    public func spinEntropies(_ vectors: Matrix, spin i: Int, states: Range<Int>? = nil) -> [Double] {
        let r = states ?? 0..<vectors.columns
        return r.map { a in spinEntropy(vectors.storage[(a * vectors.rows)..<((a + 1) * vectors.rows)], spin: i) }
    }

    /// ⟨a|σ_i^z|a⟩ for every eigenvector in `states`.
    public func diagonalSpinZ(_ vectors: Matrix, spin i: Int, states: Range<Int>? = nil) -> [Double] {
        let r = states ?? 0..<vectors.columns
        return r.map { a in
            let p = spinReducedDensity(vectors.storage[(a * vectors.rows)..<((a + 1) * vectors.rows)], spin: i)
            return p.up - p.down
        }
    }

    /// The infinite-temperature time-averaged autocorrelator
    ///
    ///     C̄_i^zz = lim_T (1/T)∫dt tr(σ_i^z(t) σ_i^z)/D = (1/D) Σ_a ⟨a|σ_i^z|a⟩²
    ///
    /// (non-degenerate spectrum, which a GOE grain gives with probability 1); with `states`,
    /// the same mean restricted to those eigenstates (e.g. the states at maximum entropy).
    public func timeAveragedAutocorrelator(_ vectors: Matrix, spin i: Int, states: Range<Int>? = nil) -> Double {
        let z = diagonalSpinZ(vectors, spin: i, states: states)
        return z.reduce(0) { $0 + $1 * $1 } / Double(z.count)
    }

    /// The infinite-temperature energy tr H / D = tr H_g / d_g (the centre of "maximum entropy").
    public var infiniteTemperatureEnergy: Double { grainHamiltonian.trace / Double(grainDimension) }

    // MARK: Couplings in the unperturbed eigenbasis (Eqs. 3, 5, A19)

    /// Matrix elements of V_i between the eigenstates of H with V_i (and the couplings in
    /// `alsoOff`) switched off, and the statistics Eqs. (3), (5) and (A19) are built from.
    public struct CouplingElements: Sendable {
        /// E_a of H|_{V_i = 0}.
        public let energies: [Double]
        /// V_{i,ab} (D×D, symmetric).
        public let elements: Matrix

        /// g_ia = (Σ_{b≠a} |V_ab/(E_a − E_b)|²)^{1/2} (Eq. 5) for each state a in `states`.
        public func perturbativeNorms(states: Range<Int>? = nil) -> [Double] {
            let d = energies.count
            let r = states ?? 0..<d
            return r.map { a in
                var s = 0.0
                for b in 0..<d where b != a {
                    let x = elements.storage[b + a * d] / (energies[a] - energies[b])
                    s += x * x
                }
                return s.squareRoot()
            }
        }

        /// Eq. (3): ρ·[|V_ab|] over pairs a ≠ b with both energies in `window` and
        /// |E_a − E_b| ≤ `shell`; ρ = (states in window)/(window width). Returns the pieces so
        /// that realizations can be combined as a ratio of means.
        public func reducedCoupling(window: ClosedRange<Double>, shell: Double = .infinity) -> ReducedCouplingEstimate {
            let idx = energies.indices.filter { window.contains(energies[$0]) }
            let d = energies.count
            var sum = 0.0, pairs = 0
            for a in idx {
                for b in idx where b != a && abs(energies[a] - energies[b]) <= shell {
                    sum += abs(elements.storage[b + a * d]); pairs += 1
                }
            }
            let width = window.upperBound - window.lowerBound
            return ReducedCouplingEstimate(sumAbsoluteElements: sum, pairs: pairs, statesInWindow: idx.count, windowWidth: width)
        }
    }

    /// The pieces of Eq. (3) for one realization.
    public struct ReducedCouplingEstimate: Sendable, Equatable {
        public let sumAbsoluteElements: Double
        public let pairs: Int
        public let statesInWindow: Int
        public let windowWidth: Double
        /// [|V_ab|].
        public var meanAbsoluteElement: Double { sumAbsoluteElements / Double(pairs) }
        /// ρ.
        public var density: Double { Double(statesInWindow) / windowWidth }
        /// g = ρ[|V_ab|].
        public var reducedCoupling: Double { density * meanAbsoluteElement }
    }

    /// V_i in the eigenbasis of H with V_i and `alsoOff` switched off (dsyevr, then
    /// Uᵀ(V_i U) with the structured V_i U).
    public func couplingElements(spin i: Int, alsoOff: Set<Int> = []) throws -> CouplingElements {
        let eig = try symmetricEigen(hamiltonian(switchedOff: alsoOff.union([i])), vectors: true)
        let u = eig.vectors!
        let vu = applyCoupling(i, to: u)
        let m = try gemm(u, vu, transA: .transpose)
        return CouplingElements(energies: eig.values, elements: m)
    }

    // MARK: Eq. (4)

    /// E[(uᵀMv)²] for two orthonormal columns of a Haar-random orthogonal matrix (the GOE
    /// eigenvectors): [(d + 1) tr(MMᵀ) − tr(M)² − tr(M²)] / ((d − 1) d (d + 2)).
    public static func haarOffDiagonalVariance(_ m: Matrix) -> Double {
        let d = Double(m.rows)
        var tmm = 0.0, tm2 = 0.0
        for i in 0..<m.rows { for j in 0..<m.rows { tmm += m[i, j] * m[i, j]; tm2 += m[i, j] * m[j, i] } }
        let t = m.trace
        return ((d + 1) * tmm - t * t - tm2) / ((d - 1) * d * (d + 2))
    }

    /// Eq. (4) for a GOE grain in the ETH (large-d_g) approximation:
    ///
    ///     g_{i,0} = √(2ρ_g v_i/π) = ρ_g √(2/π) σ_i,   v_i = ρ_g σ_i²,
    ///
    /// where σ_i² = 4J_i² E[(uᵀAv)²] is the variance of a spin-flip matrix element
    /// ⟨α,↓|V_i|β,↑⟩ = 2J_i A_αβ in the grain eigenbasis, and v_i is the infinite-temperature
    /// spectral function of the whole V_i under H|_{V_i=0} at frequency ω = 0 — equivalently
    /// the grain operator's at the spin-flip energy 2h_i (the paper prints the argument as
    /// h_i). ρ_g is the ensemble (semicircle) density of the grain at `grainEnergy`, radius
    /// R = √(2d_g)·c for H_g = c·GOE; the default grainEnergy = h_i is where the resonant
    /// pairs of a single spin at total energy 0 sit (grain levels ∓h_i).
    public func macroscopicReducedCoupling(spin i: Int, grainScale c: Double, grainEnergy: Double? = nil) -> Double {
        let d = Double(grainDimension)
        let r = (2 * d).squareRoot() * c
        let e = grainEnergy ?? splittings[i]
        let rho = 2 * d / (Double.pi * r * r) * max(0, r * r - e * e).squareRoot()
        let sigma2 = 4 * couplings[i] * couplings[i] * Self.haarOffDiagonalVariance(grainRaising)
        return rho * (2 / Double.pi).squareRoot() * sigma2.squareRoot()
    }
}
