import Foundation
import Kernels
import Linalg
import Verification

/// The mirror-symmetric disordered XXZ chain of Eqs. (1)–(2):
/// H = H0 + P H0 P + H_cp = Σ_{i=1}^{L−1} ¼(σ^x_iσ^x_{i+1} + σ^y_iσ^y_{i+1} + Δ σ^z_iσ^z_{i+1}) + ½ Σ_i h_i σ^z_i,
/// with h_{L−i+1} = h_i and h_1…h_{L/2} ~ U[−W, W]. (H0 holds bonds 1…L/2−1, PH0P bonds
/// L/2+1…L−1 and H_cp the centre bond; all carry the same coefficient, so H is a uniform open
/// XXZ chain with mirror-symmetric fields.) Sites are 0-based in code; bits, σ vs S and the
/// mirror sectors follow docs/CONVENTIONS.md (the Kernels ED layer).
///
/// Exact diagonalization is done in the two mirror-parity blocks P = ±1 of the fixed-N sector
/// (`SpinHalfBasis(sites:upSpins:mirror:)`), spanned by (|s⟩ ± |Ps⟩)/√2 (self-mirror states
/// only in P = +1). The cat pairs split by ω ≪ 1e-13 then come out as exact (anti)symmetric
/// vectors; plain ED of the whole sector mixes them (measured: |ln ratio| up to 659 below 1e-13).
struct MirrorXXZChain: Sendable {
    let sites: Int
    let particles: Int
    /// The fixed-N sector (product states, ascending): initial states, σ^z tables, plain ED.
    let basis: SpinHalfBasis
    /// The mirror-parity sectors P = +1 and P = −1 of the fixed-N sector.
    let plus: SpinHalfBasis, minus: SpinHalfBasis
    /// Fixed-N index of the representative (the smaller of s, Ps) of each P=+1 / P=−1 row.
    let plusReps: [Int]
    let minusReps: [Int]
    /// For each fixed-N state: its row in the + block, its row in the − block (−1 if self-mirror),
    /// and its coefficient in those rows (q+ = 1/√2 or 1; q− = ±1/√2).
    let plusRow: [Int], minusRow: [Int], qPlus: [Double], qMinus: [Double]
    /// + block row of the representative of each − block row.
    let plusRowOfMinus: [Int]

    init(sites: Int, particles: Int) {
        precondition(sites % 2 == 0, "mirror chain needs even L")
        self.sites = sites; self.particles = particles
        // The sector arguments are valid by construction (even L, 0 ≤ N ≤ L).
        let b = try! SpinHalfBasis(sites: sites, upSpins: particles)
        let p = try! SpinHalfBasis(sites: sites, upSpins: particles, mirror: 1)
        let m = try! SpinHalfBasis(sites: sites, upSpins: particles, mirror: -1)
        basis = b; plus = p; minus = m
        plusReps = p.states.map { b.index(of: $0)! }
        minusReps = m.states.map { b.index(of: $0)! }
        let lp = b.states.map { p.locate($0)! }
        let lm = b.states.map { m.locate($0) }
        plusRow = lp.map(\.index); qPlus = lp.map(\.amplitude)
        minusRow = lm.map { $0?.index ?? -1 }; qMinus = lm.map { $0?.amplitude ?? 0 }
        plusRowOfMinus = m.states.map { p.index(of: $0)! }
    }

    /// Eq. (2) as ED-layer terms (docs/CONVENTIONS.md §3): fields (h_i/2, "z"), then per bond
    /// (Δ/4, "zz"), (½, "+-"), (½, "-+").
    static func terms(fields h: [Double], delta: Double) -> [OperatorTerm] {
        var t = h.indices.map { OperatorTerm(0.5 * h[$0], "z", [$0]) }
        for i in 0..<(h.count - 1) { t.append(OperatorTerm(0.25 * delta, "zz", [i, i + 1])) }
        for i in 0..<(h.count - 1) {
            t.append(OperatorTerm(0.5, "+-", [i, i + 1]))
            t.append(OperatorTerm(0.5, "-+", [i, i + 1]))
        }
        return t
    }

    /// Dense Hamiltonian of Eq. (2) on the whole fixed-N sector (any fields).
    func xxzHamiltonian(delta: Double, fields h: [Double]) throws -> Matrix {
        precondition(h.count == sites)
        return try SpinHamiltonian(basis: basis, terms: Self.terms(fields: h, delta: delta)).dense()
    }

    /// Full field vector h_1…h_L from the left half: h_{L−i+1} = h_i (+ optional right-half
    /// asymmetry ε_i added to the mirror of site i).
    static func mirrorFields(left: [Double], asymmetry: [Double]? = nil) -> [Double] {
        var right = Array(left.reversed())
        if let a = asymmetry { for i in 0..<left.count { right[left.count - 1 - i] += a[i] } }
        return left + right
    }

    /// Eigenpairs of both parity blocks for mirror-symmetric fields.
    func diagonalize(fields h: [Double], delta: Double) throws -> ParitySpectrum {
        precondition(h.count == sites)
        for i in 0..<(sites / 2) where h[i] != h[sites - 1 - i] {
            throw ClaimError.invalidParameter("fields are not mirror symmetric; use plain ED")
        }
        let terms = Self.terms(fields: h, delta: delta)
        let ep = try SpinHamiltonian(basis: plus, terms: terms).diagonalize(.all)
        let em = try SpinHamiltonian(basis: minus, terms: terms).diagonalize(.all)
        return ParitySpectrum(plusValues: ep.values, plusVectors: ep.vectors!, minusValues: em.values,
                              minusVectors: em.vectors!)
    }

    /// Overlaps c_n = ⟨φ_n|s⟩ of basis state s with the eigenvectors of each block.
    func overlaps(_ spec: ParitySpectrum, state s: Int) -> (plus: [Double], minus: [Double]) {
        let np = spec.plusValues.count, nm = spec.minusValues.count
        let rp = plusRow[s], rm = minusRow[s]
        let cp = (0..<np).map { qPlus[s] * spec.plusVectors[rp, $0] }
        let cm = rm < 0 ? [Double](repeating: 0, count: nm) : (0..<nm).map { qMinus[s] * spec.minusVectors[rm, $0] }
        return (cp, cm)
    }

    /// Median frequencies (Eq. (12), convention of `TransitionFrequencies.medianFrequency`) of
    /// σ^z at `sitesList` for the product initial state `state`, plus each ω = 0 weight.
    /// σ^z_i is transformed into the parity basis: its mirror-even part (z_i + z_ī)/2 is
    /// block-diagonal, its odd part (z_i − z_ī)/2 couples row r of + to row r of −.
    func medianFrequencies(_ spec: ParitySpectrum, state s: Int, sites sitesList: [Int],
                           frequencies tf: TransitionFrequencies? = nil) throws -> [(median: Double, zeroWeight: Double)] {
        let np = spec.plusValues.count, nm = spec.minusValues.count, d = np + nm
        let tf = tf ?? TransitionFrequencies(energies: spec.plusValues + spec.minusValues)
        let (cp, cm) = overlaps(spec, state: s)
        var xp = spec.plusVectors, xm = spec.minusVectors
        for n in 0..<np { for r in 0..<np { xp[r, n] *= cp[n] } }
        for n in 0..<nm { for r in 0..<nm { xm[r, n] *= cm[n] } }
        var out = [(median: Double, zeroWeight: Double)]()
        var w = [Double](repeating: 0, count: d * d)
        for i in sitesList {
            let sgn = basis.sigmaZ(s, site: i)
            let ib = sites - 1 - i
            var axp = xp, axm = xm, bxm = Matrix(rows: np, columns: nm)
            for r in 0..<np {
                let rep = plusReps[r]
                let a = 0.5 * (basis.sigmaZ(rep, site: i) + basis.sigmaZ(rep, site: ib))
                let selfMirror = minusRow[rep] < 0
                let av = selfMirror ? basis.sigmaZ(rep, site: i) : a
                for n in 0..<np { axp[r, n] *= av }
            }
            for q in 0..<nm {
                let rep = minusReps[q]
                let a = 0.5 * (basis.sigmaZ(rep, site: i) + basis.sigmaZ(rep, site: ib))
                let bq = 0.5 * (basis.sigmaZ(rep, site: i) - basis.sigmaZ(rep, site: ib))
                let p = plusRowOfMinus[q]
                for n in 0..<nm { axm[q, n] *= a; bxm[p, n] = bq * xm[q, n] }
            }
            let wpp = try gemm(xp, axp, transA: .transpose)
            let wmm = try gemm(xm, axm, transA: .transpose)
            let wpm = try gemm(xp, bxm, transA: .transpose)
            for n in 0..<np { for m in 0..<np { w[m + n * d] = sgn * wpp[m, n] } }
            for n in 0..<nm { for m in 0..<nm { w[(np + m) + (np + n) * d] = sgn * wmm[m, n] } }
            for n in 0..<nm { for m in 0..<np {
                let v = sgn * wpm[m, n]
                w[m + (np + n) * d] = v; w[(np + n) + m * d] = v
            } }
            out.append(tf.medianFrequency(weights: w))
        }
        return out
    }

    /// Infinite-time average C̄_ij = lim (1/T)∫⟨σ^z_iσ^z_j⟩ dt (Eq. (13)) for the product state
    /// `state`, through the diagonal ensemble of each parity block (levels of one block closer
    /// than `tolerance` are grouped; levels of different blocks always dephase).
    func correlations(_ spec: ParitySpectrum, state s: Int, pairs: [(Int, Int)], tolerance: Double) -> [Double] {
        let (cp, cm) = overlaps(spec, state: s)
        let pp = diagonalEnsembleProbabilities(energies: spec.plusValues, vectors: spec.plusVectors, overlaps: cp,
                                               degeneracyTolerance: tolerance)
        let pm = diagonalEnsembleProbabilities(energies: spec.minusValues, vectors: spec.minusVectors, overlaps: cm,
                                               degeneracyTolerance: tolerance)
        let d = basis.dimension
        var p = [Double](repeating: 0, count: d)
        for t in 0..<d {
            p[t] = pp[plusRow[t]] * qPlus[t] * qPlus[t] + (minusRow[t] >= 0 ? pm[minusRow[t]] * qMinus[t] * qMinus[t] : 0)
        }
        return pairs.map { (i, j) in
            var c = 0.0
            for t in 0..<d { c += basis.sigmaZ(t, site: i) * basis.sigmaZ(t, site: j) * p[t] }
            return c
        }
    }
}

/// Eigenpairs of the two mirror-parity blocks (vectors in the block bases).
struct ParitySpectrum: Sendable {
    let plusValues: [Double]
    let plusVectors: Matrix
    let minusValues: [Double]
    let minusVectors: Matrix
    var energies: [Double] { plusValues + minusValues }
    var spectralRadius: Double { energies.reduce(0) { max($0, abs($1)) } }
}


/// Single-particle orbitals of the mirror-symmetric chain (Δ = 0, hopping ½) from the two
/// L/2-site parity blocks T± = tridiag(h_1…h_{L/2} ± ½δ_{i,L/2}; ½): exact symmetric and
/// antisymmetric orbitals (φ, ±Pφ)/√2 whatever their splitting.
struct MirrorOrbitals: Sendable {
    /// Energies: the n even orbitals, then the n odd ones.
    let energies: [Double]
    /// L × L, columns = orbitals in the order of `energies`.
    let orbitals: Matrix
    let half: Int

    init(leftFields hl: [Double]) throws {
        let n = hl.count
        half = n
        var dp = hl, dm = hl
        dp[n - 1] += 0.5; dm[n - 1] -= 0.5
        let off = [Double](repeating: 0.5, count: n - 1)
        let ep = try tridiagonalEigen(diagonal: dp, offDiagonal: off)
        let em = try tridiagonalEigen(diagonal: dm, offDiagonal: off)
        let l = 2 * n, h = 1 / 2.0.squareRoot()
        var u = Matrix(rows: l, columns: l)
        for k in 0..<n {
            for i in 0..<n {
                u[i, k] = h * ep.vectors![i, k]; u[l - 1 - i, k] = h * ep.vectors![i, k]
                u[i, n + k] = h * em.vectors![i, k]; u[l - 1 - i, n + k] = -h * em.vectors![i, k]
            }
        }
        energies = ep.values + em.values
        orbitals = u
    }

    /// The splitting of the orbital pair of site j: |ε₊ − ε₋| for the even and the odd orbital
    /// each with the largest weight on j.
    func pairSplitting(site j: Int) -> Double {
        var kp = 0, km = half
        for k in 0..<half {
            if orbitals[j, k] * orbitals[j, k] > orbitals[j, kp] * orbitals[j, kp] { kp = k }
            if orbitals[j, half + k] * orbitals[j, half + k] > orbitals[j, km] * orbitals[j, km] { km = half + k }
        }
        return abs(energies[kp] - energies[km])
    }
}
