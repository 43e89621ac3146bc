import Foundation
import Kernels
import Linalg
import Numerics
import Testing

// MARK: - An independent full-space reference (Kronecker products of 2×2 matrices)

/// docs/CONVENTIONS.md: local index = bit value (0 = ↓, 1 = ↑); the state integer
/// s = Σ_i bit_i 2^i is the Kronecker product |b_{L−1}⟩ ⊗ … ⊗ |b_0⟩ (site L−1 slowest);
/// an attached block is the last (fastest) factor.
enum Reference {
    static let c1 = Complex<Double>.one, c0 = Complex<Double>.zero, ci = Complex<Double>(0, 1)
    /// 2×2 matrices, rows/columns indexed by the bit value.
    static func local(_ c: Character) -> ComplexMatrix {
        switch c {
        case "z": return ComplexMatrix([[-c1, c0], [c0, c1]])
        case "x": return ComplexMatrix([[c0, c1], [c1, c0]])
        case "y": return ComplexMatrix([[c0, ci], [-ci, c0]])   // rows (↓, ↑): ⟨↑|σ^y|↓⟩ = −i
        case "+": return ComplexMatrix([[c0, c0], [c1, c0]])
        case "-": return ComplexMatrix([[c0, c1], [c0, c0]])
        default: fatalError("letter \(c)")
        }
    }

    /// A single-site operator on site j of L.
    static func onSite(_ m: ComplexMatrix, _ j: Int, sites l: Int) -> ComplexMatrix {
        var out = ComplexMatrix.identity(1)
        for i in stride(from: l - 1, through: 0, by: -1) { out = kronecker(out, i == j ? m : .identity(2)) }
        return out
    }

    /// Σ_terms coupling · (Π letters, as matrix products) ⊗ (block or 1_n).
    static func operator_(_ terms: [OperatorTerm], sites l: Int, block n: Int = 1) -> ComplexMatrix {
        var h = ComplexMatrix(rows: (1 << l) * n, columns: (1 << l) * n)
        for t in terms {
            var op = ComplexMatrix.identity(1 << l)
            for (c, s) in zip(t.operators, t.sites) { op = op * onSite(local(c), s, sites: l) }
            h = h + t.coupling * kronecker(op, t.block ?? .identity(n))
        }
        return h
    }

    /// Π_i σ^x_i and the mirror permutation |s⟩ → |rev(s)⟩ (loop over bits), full space.
    static func spinFlip(sites l: Int) -> ComplexMatrix {
        var f = ComplexMatrix.identity(1)
        for _ in 0..<l { f = kronecker(f, local("x")) }
        return f
    }

    static func mirror(sites l: Int) -> ComplexMatrix {
        let d = 1 << l
        var p = ComplexMatrix(rows: d, columns: d)
        for s in 0..<d {
            var r = 0
            for i in 0..<l where (s >> i) & 1 == 1 { r |= 1 << (l - 1 - i) }
            p[r, s] = .one
        }
        return p
    }

    /// The sector projector restricted to fixed N (or all N): Π_U(1) (1 + f F)/2 (1 + p P)/2.
    static func projector(sites l: Int, upSpins: Int?, spinFlip f: Int?, mirror p: Int?) -> ComplexMatrix {
        let d = 1 << l
        var pr = ComplexMatrix(rows: d, columns: d)
        for s in 0..<d where upSpins == nil || s.nonzeroBitCount == upSpins! { pr[s, s] = .one }
        let half = Complex<Double>(0.5, 0)
        if let f { pr = half * (pr + Complex(Double(f), 0) * (spinFlip(sites: l) * pr)) }
        if let p { pr = half * (pr + Complex(Double(p), 0) * (mirror(sites: l) * pr)) }
        return pr
    }

    /// Columns: the normalized projections of the representatives |r⟩, r ∈ basis.states.
    static func sectorVectors(_ b: SpinHalfBasis) -> ComplexMatrix {
        let pr = projector(sites: b.sites, upSpins: b.upSpins, spinFlip: b.spinFlip, mirror: b.mirror)
        let d = 1 << b.sites
        var v = ComplexMatrix(rows: d, columns: b.dimension)
        for (k, r) in b.states.enumerated() {
            let col = pr.column(Int(r))
            let norm = col.reduce(0) { $0 + $1.lengthSquared }.squareRoot()
            for i in 0..<d { v[i, k] = col[i] / Complex(norm, 0) }
        }
        return v
    }
}

func maxAbs(_ a: ComplexMatrix, _ b: ComplexMatrix) -> Double {
    precondition(a.rows == b.rows && a.columns == b.columns)
    return zip(a.storage, b.storage).reduce(0) { max($0, ($1.0 - $1.1).length) }
}

/// The block-diagonal V ⊗ 1_n.
func withBlock(_ v: ComplexMatrix, _ n: Int) -> ComplexMatrix { kronecker(v, .identity(n)) }

// MARK: - term-list generators

enum Terms {
    /// Open XXZ chain: (J/2)(σ⁺σ⁻ + h.c.) + (Δ/4)σ^zσ^z + (h_i/2)σ^z (mbl-sync Eq. (2) conventions).
    static func xxz(fields h: [Double], delta: Double) -> [OperatorTerm] {
        let l = h.count
        var t = (0..<l).map { OperatorTerm(0.5 * h[$0], "z", [$0]) }
        for i in 0..<(l - 1) {
            t.append(OperatorTerm(0.25 * delta, "zz", [i, i + 1]))
            t.append(OperatorTerm(0.5, "+-", [i, i + 1]))
            t.append(OperatorTerm(0.5, "-+", [i, i + 1]))
        }
        return t
    }

    /// Random U(1) list in Pauli spelling: xx + yy (equal couplings), long-range zz, z fields,
    /// a same-site product "+-" (= n↑), and a complex hopping when `complex`.
    static func randomU1(sites l: Int, complex: Bool, _ rng: inout RandomStream) -> [OperatorTerm] {
        var t = [OperatorTerm]()
        for i in 0..<l { t.append(OperatorTerm(rng.uniform(-1, 1), "z", [i])) }
        for i in 0..<(l - 1) {
            let j = rng.uniform(-1, 1)
            t.append(OperatorTerm(j, "xx", [i, i + 1])); t.append(OperatorTerm(j, "yy", [i, i + 1]))
        }
        for i in 0..<l { for k in (i + 1)..<l where rng.uniform() < 0.5 { t.append(OperatorTerm(rng.uniform(-1, 1), "zz", [i, k])) } }
        t.append(OperatorTerm(rng.uniform(-1, 1), "+-", [1, 1]))
        let hop = OperatorTerm(complex: complex ? Complex(rng.uniform(-1, 1), rng.uniform(-1, 1)) : Complex(rng.uniform(-1, 1), 0),
                               "+z-", [0, 1, l - 1])
        t.append(hop); t.append(hop.adjoint)
        return t
    }

    /// Random list without U(1): transverse fields, xx/yy/zz with unequal couplings, ++ + h.c.
    static func randomNoU1(sites l: Int, _ rng: inout RandomStream) -> [OperatorTerm] {
        var t = randomU1(sites: l, complex: false, &rng)
        for i in 0..<l { t.append(OperatorTerm(rng.uniform(-1, 1), "x", [i])) }
        t.append(OperatorTerm(rng.uniform(-1, 1), "xx", [0, l - 1]))
        let pp = OperatorTerm(rng.uniform(-1, 1), "++", [0, 2])
        t.append(pp); t.append(pp.adjoint)
        return t
    }

    /// T + its image under the mirror (site i ↦ L−1−i).
    static func mirrorSymmetrized(_ t: [OperatorTerm], sites l: Int) -> [OperatorTerm] {
        t + t.map { var m = $0; m.sites = m.sites.map { l - 1 - $0 }; return m }
    }

    /// T + its image under the spin flip (σ^± ↔ σ^∓, σ^z → −σ^z, σ^y → −σ^y).
    static func flipSymmetrized(_ t: [OperatorTerm]) -> [OperatorTerm] {
        t + t.map { x in
            var m = x
            var sign = 1.0
            m.operators = String(x.operators.map { c -> Character in
                switch c {
                case "+": return "-"
                case "-": return "+"
                case "z", "y": sign = -sign; return c
                default: return c
                }
            })
            m.coupling = Complex(sign, 0) * m.coupling
            return m
        }
    }
}

/// Every sector family of L sites: (N, F, P) triples whose dimensions add to 2^L.
func sectorFamilies(sites l: Int) -> [[(Int?, Int?, Int?)]] {
    var fams: [[(Int?, Int?, Int?)]] = [
        [(nil, nil, nil)],
        (0...l).map { ($0, nil, nil) },
        [(nil, 1, nil), (nil, -1, nil)],
        [(nil, nil, 1), (nil, nil, -1)],
        [(nil, 1, 1), (nil, 1, -1), (nil, -1, 1), (nil, -1, -1)],
        (0...l).flatMap { n in [(n, nil, 1), (n, nil, -1)] },
    ]
    if l % 2 == 0 {
        let others = (0...l).filter { 2 * $0 != l }.map { ($0, Int?.none, Int?.none) }
        fams.append(others + [(l / 2, 1, nil), (l / 2, -1, nil)])
        fams.append((0...l).filter { 2 * $0 != l }.flatMap { n in [(n, nil, 1), (n, nil, -1)] }
                    + [(l / 2, 1, 1), (l / 2, 1, -1), (l / 2, -1, 1), (l / 2, -1, -1)])
    }
    return fams
}

@Suite("ED layer: bases, operator terms, sector Hamiltonians", .tags(.kernel))
struct EDLayerTests {
    @Test("Sector dimensions add up to 2^L and equal the trace of the independent projector; lookup round-trips")
    func dimensionsAndLookup() throws {
        for l in [1, 2, 3, 4, 5, 6] {
            for fam in sectorFamilies(sites: l) where l >= 2 || fam.allSatisfy({ $0.1 == nil }) {
                var total = 0
                for (n, f, p) in fam {
                    let b = try SpinHalfBasis(sites: l, upSpins: n, spinFlip: f, mirror: p)
                    total += b.dimension
                    let tr = Reference.projector(sites: l, upSpins: n, spinFlip: f, mirror: p).trace.real
                    #expect(abs(tr - Double(b.dimension)) < 1e-12, "L=\(l) N=\(String(describing: n)) F=\(String(describing: f)) P=\(String(describing: p))")
                    #expect(zip(b.states, b.states.dropFirst()).allSatisfy { $0 < $1 })
                    for k in 0..<b.dimension {
                        #expect(b.index(of: b.states[k]) == k)
                        let orb = b.orbit(of: k)
                        #expect(abs(orb.reduce(0) { $0 + $1.amplitude * $1.amplitude } - 1) < 1e-15)
                        for (s, q) in orb {
                            let loc = try #require(b.locate(s))
                            #expect(loc.index == k && loc.amplitude == q && loc.orbitSize == orb.count)
                        }
                    }
                }
                #expect(total == 1 << l, "L=\(l): family \(fam) sums to \(total)")
            }
        }
        // U(1) lookup (Lin's two tables) against a plain search, L = 11
        for n in [0, 3, 5, 11] {
            let b = try SpinHalfBasis(sites: 11, upSpins: n)
            let expected = (0..<(UInt64(1) << 11)).filter { $0.nonzeroBitCount == n }
            #expect(b.states == expected)
            for s in 0..<(UInt64(1) << 11) { #expect(b.index(of: s) == expected.firstIndex(of: s)) }
        }
        #expect(SpinHalfBasis.state(up: [0, 2]) == 0b101)
        #expect(throws: EDError.self) { try SpinHalfBasis(sites: 6, upSpins: 2, spinFlip: 1) }
        #expect(throws: EDError.self) { try SpinHalfBasis(sites: 6, mirror: 2) }
    }

    /// The core check: H_sector = V† H_full V with V from the independent projector, H_full
    /// from Kronecker products, and no leakage out of the sector (H_full V = V H_sector).
    @Test("Every sector Hamiltonian equals the projection of the Kronecker-built full-space Hamiltonian")
    func sectorProjection() throws {
        var rng = RandomStream(seed: 1, label: "ed-projection")
        for l in [4, 5, 6] {
            let base = [Terms.randomU1(sites: l, complex: false, &rng), Terms.randomU1(sites: l, complex: true, &rng),
                        Terms.randomNoU1(sites: l, &rng)]
            // (list, its full-space matrix) for each symmetrization: none, mirror, flip, both
            var variants = [[([OperatorTerm], ComplexMatrix)]]()
            for (m, f) in [(false, false), (true, false), (false, true), (true, true)] {
                variants.append(base.map { t in
                    var x = t
                    if m { x = Terms.mirrorSymmetrized(x, sites: l) }
                    if f { x = Terms.flipSymmetrized(x) }
                    return (x, Reference.operator_(x, sites: l))
                })
            }
            var checked = 0
            for fam in sectorFamilies(sites: l) {
                for (n, f, p) in fam {
                    let b = try SpinHalfBasis(sites: l, upSpins: n, spinFlip: f, mirror: p)
                    guard b.dimension > 0 else { continue }
                    let lists = variants[(p != nil ? 1 : 0) + (f != nil ? 2 : 0)].prefix(n == nil ? 3 : 2)
                    let v = Reference.sectorVectors(b)
                    for (terms, full) in lists {
                        let h = try SpinHamiltonian(basis: b, terms: terms)
                        let hs = h.denseComplex()
                        #expect(maxAbs(hs, v.adjoint * full * v) < 1e-13, "L=\(l) N=\(String(describing: n)) F=\(String(describing: f)) P=\(String(describing: p))")
                        #expect(maxAbs(full * v, v * hs) < 1e-13)
                        if h.isReal { #expect(maxAbs(ComplexMatrix(try h.dense()), hs) == 0) }
                        checked += 1
                    }
                }
            }
            #expect(checked > 40)
        }
    }

    @Test("The XXZ chain of mbl-sync (S = σ/2 spelling) equals its Pauli spelling and the projection")
    func xxzChain() throws {
        var rng = RandomStream(seed: 2, label: "ed-xxz")
        let l = 6
        let h = (0..<l).map { _ in rng.uniform(-3, 3) }
        let a = Terms.xxz(fields: h, delta: 0.7)
        // ¼(σxσx + σyσy) = ½(σ⁺σ⁻ + σ⁻σ⁺)
        var b = (0..<l).map { OperatorTerm(0.5 * h[$0], "z", [$0]) }
        for i in 0..<(l - 1) {
            b += [OperatorTerm(0.25, "xx", [i, i + 1]), OperatorTerm(0.25, "yy", [i, i + 1]), OperatorTerm(0.175, "zz", [i, i + 1])]
        }
        for n in 0...l {
            let basis = try SpinHalfBasis(sites: l, upSpins: n)
            let ha = try SpinHamiltonian(basis: basis, terms: a).dense()
            let hb = try SpinHamiltonian(basis: basis, terms: b).dense()
            #expect((ha - hb).maxAbs < 1e-15)
        }
    }

    @Test("Operator algebra: [σ⁺,σ⁻] = σ^z, σ^x² = 1, σ^yσ^z = iσ^x, SxSx + SySy = ½(S⁺S⁻ + S⁻S⁺), σ^xσ^yσ^z = i")
    func algebra() throws {
        let l = 3
        let b = try SpinHalfBasis(sites: l)
        func m(_ t: [OperatorTerm]) throws -> ComplexMatrix { try SpinHamiltonian(basis: b, terms: t).denseComplex() }
        let id = ComplexMatrix.identity(1 << l)
        for i in 0..<l {
            #expect(maxAbs(try m([OperatorTerm(1, "+-", [i, i]), OperatorTerm(-1, "-+", [i, i])]), try m([OperatorTerm(1, "z", [i])])) == 0)
            #expect(maxAbs(try m([OperatorTerm(1, "xx", [i, i])]), id) == 0)
            #expect(maxAbs(try m([OperatorTerm(complex: Complex(0, -1), "yz", [i, i])]), try m([OperatorTerm(1, "x", [i])])) == 0)
            #expect(maxAbs(try m([OperatorTerm(complex: Complex(0, -1), "xyz", [i, i, i])]), id) == 0)
            // S^z = σ^z/2 against the Kronecker reference
            #expect(maxAbs(try m([OperatorTerm(0.5, "z", [i])]), Reference.operator_([OperatorTerm(0.5, "z", [i])], sites: l)) == 0)
        }
        // (1/4)(σxσx + σyσy) = (1/2)(σ⁺σ⁻ + σ⁻σ⁺) on sites 0, 2
        let lhs = try m([OperatorTerm(0.25, "xx", [0, 2]), OperatorTerm(0.25, "yy", [0, 2])])
        let rhs = try m([OperatorTerm(0.5, "+-", [0, 2]), OperatorTerm(0.5, "-+", [0, 2])])
        #expect(maxAbs(lhs, rhs) == 0)
        // [S⁺_i, S⁻_i] = 2 S^z_i as matrices: S⁺S⁻ − S⁻S⁺ built by products of layer operators
        let sp = Reference.onSite(Reference.local("+"), 1, sites: l), sm = Reference.onSite(Reference.local("-"), 1, sites: l)
        #expect(maxAbs(sp * sm - sm * sp, try m([OperatorTerm(1, "z", [1])])) == 0)
    }

    @Test("open-sync's SpinOperators (local index 0 = up, site 1 slowest) maps to this layer by the documented permutation")
    func spinOperatorsConvention() throws {
        let l = 3
        let so = SpinOperators(twiceSpin: 1, sites: l)
        let b = try SpinHalfBasis(sites: l)
        // open-sync index a = Σ_j (1 − bit_j) 2^{L−1−j}
        func a(_ s: Int) -> Int { (0..<l).reduce(0) { $0 + (1 - (s >> $1) & 1) * (1 << (l - 1 - $1)) } }
        for j in 0..<l {
            let ours = try SpinHamiltonian(basis: b, terms: [OperatorTerm(0.5, "x", [j]), OperatorTerm(0.5, "z", [j])]).denseComplex()
            let theirs = so.x(j) + so.z(j)
            for s in 0..<(1 << l) { for t in 0..<(1 << l) { #expect(ours[s, t] == theirs[a(s), a(t)]) } }
        }
    }

    @Test("Dense and CSR builds agree entry for entry (real, complex, with a block)")
    func denseVersusCSR() throws {
        var rng = RandomStream(seed: 3, label: "ed-csr")
        let l = 6
        let gen = Terms.flipSymmetrized(Terms.mirrorSymmetrized(Terms.randomNoU1(sites: l, &rng), sites: l))
        let u1c = Terms.randomU1(sites: l, complex: true, &rng)
        let r1 = RandomMatrix.goe(3, &rng), r0 = RandomMatrix.goe(3, &rng)
        let blockTerms = Terms.xxz(fields: [Double](repeating: 0.3, count: l), delta: 1)
            + [OperatorTerm(block: r0), OperatorTerm(0.25, "zz", [0, l - 1], block: r1)]
        for (basis, terms) in [(try SpinHalfBasis(sites: l, spinFlip: 1, mirror: -1), gen),
                               (try SpinHalfBasis(sites: l, upSpins: 3, spinFlip: -1, mirror: 1), gen.filter { _ in false } + Terms.flipSymmetrized(Terms.mirrorSymmetrized(Terms.randomU1(sites: l, complex: false, &rng), sites: l))),
                               (try SpinHalfBasis(sites: l, upSpins: 3, mirror: 1), blockTerms)] {
            let h = try SpinHamiltonian(basis: basis, terms: terms)
            let csr = try h.sparse()
            #expect(csr.dense == (try h.dense()))
            #expect(csr.nonzeroCount < h.dimension * h.dimension)
        }
        let hc = try SpinHamiltonian(basis: try SpinHalfBasis(sites: l, upSpins: 2), terms: u1c)
        #expect(hc.sparseComplex().dense == hc.denseComplex())
        #expect(!hc.isReal)
        #expect(throws: EDError.self) { try hc.dense() }
    }

    @Test("Attached block: sector ⊗ block Hamiltonian equals the explicit Kronecker product, projected")
    func attachedBlock() throws {
        var rng = RandomStream(seed: 4, label: "ed-block")
        let l = 5, nb = 3
        let r0 = RandomMatrix.goe(nb, &rng), r1 = RandomMatrix.goe(nb, &rng), r2 = RandomMatrix.realGinibre(nb, &rng)
        let h = (0..<l).map { _ in rng.uniform(-2, 2) }
        // ergodic-inclusion Eqs. (1)–(3) with S = σ/2, g = 0.7: S^z_0 R1 S^z_{L−1} + (S⁺_0 R2 S⁻_{L−1} + h.c.)
        let g = 0.7
        let hop = OperatorTerm(g, "+-", [0, l - 1], block: r2)
        let terms = Terms.xxz(fields: h, delta: 1) + [OperatorTerm(block: r0), OperatorTerm(g * 0.25, "zz", [0, l - 1], block: r1),
                                                      hop, hop.adjoint]
        let full = Reference.operator_(terms, sites: l, block: nb)
        // explicit: H_XXZ ⊗ 1 + 1 ⊗ R0 + g[(S^z_0 S^z_{L−1}) ⊗ R1 + S⁺_0 S⁻_{L−1} ⊗ R2 + h.c.]
        let sz0 = Reference.onSite(Reference.local("z"), 0, sites: l), szl = Reference.onSite(Reference.local("z"), l - 1, sites: l)
        let sp0 = Reference.onSite(Reference.local("+"), 0, sites: l), sml = Reference.onSite(Reference.local("-"), l - 1, sites: l)
        var explicit = kronecker(Reference.operator_(Terms.xxz(fields: h, delta: 1), sites: l), .identity(nb))
        explicit = explicit + kronecker(.identity(1 << l), ComplexMatrix(r0))
        explicit = explicit + Complex(g * 0.25, 0) * kronecker(sz0 * szl, ComplexMatrix(r1))
        let x = kronecker(sp0 * sml, ComplexMatrix(r2))
        explicit = explicit + Complex(g, 0) * (x + x.adjoint)
        #expect(maxAbs(full, explicit) < 1e-14)
        for n in 0...l {
            let b = try SpinHalfBasis(sites: l, upSpins: n)
            let hs = try SpinHamiltonian(basis: b, terms: terms)
            #expect(hs.blockDimension == nb && hs.dimension == b.dimension * nb)
            let v = withBlock(Reference.sectorVectors(b), nb)
            #expect(maxAbs(ComplexMatrix(try hs.dense()), v.adjoint * explicit * v) < 1e-13)
        }
        // mirror sector with a mirror-symmetric block coupling (R1 on both ends, symmetric hop)
        let hm = (0..<l).map { i in h[min(i, l - 1 - i)] }
        let sym = Terms.xxz(fields: hm, delta: 1) + [OperatorTerm(block: r0), OperatorTerm(0.25, "zz", [0, l - 1], block: r1),
                                                     OperatorTerm(0.5, "+-", [0, l - 1], block: r1), OperatorTerm(0.5, "-+", [0, l - 1], block: r1)]
        let fullSym = Reference.operator_(sym, sites: l, block: nb)
        for p in [1, -1] {
            let b = try SpinHalfBasis(sites: l, upSpins: 2, mirror: p)
            let v = withBlock(Reference.sectorVectors(b), nb)
            #expect(maxAbs(ComplexMatrix(try SpinHamiltonian(basis: b, terms: sym).dense()), v.adjoint * fullSym * v) < 1e-13)
        }
    }

    @Test("Checks: U(1) violation, missing h.c., broken mirror or flip, bad letters and sites throw")
    func checks() throws {
        let u1 = try SpinHalfBasis(sites: 4, upSpins: 2)
        #expect(throws: EDError.self) { try SpinHamiltonian(basis: u1, terms: [OperatorTerm(1, "x", [0])]) }
        #expect(throws: EDError.self) { try SpinHamiltonian(basis: u1, terms: [OperatorTerm(1, "xx", [0, 1])]) }
        #expect(throws: EDError.self) { try SpinHamiltonian(basis: u1, terms: [OperatorTerm(1, "xx", [0, 1]), OperatorTerm(0.9, "yy", [0, 1])]) }
        #expect(throws: Never.self) { try SpinHamiltonian(basis: u1, terms: [OperatorTerm(1, "xx", [0, 1]), OperatorTerm(1, "yy", [0, 1])]) }
        #expect(throws: EDError.self) { try SpinHamiltonian(basis: u1, terms: [OperatorTerm(1, "+-", [0, 1])]) }
        let mir = try SpinHalfBasis(sites: 4, upSpins: 2, mirror: 1)
        #expect(throws: EDError.self) { try SpinHamiltonian(basis: mir, terms: [OperatorTerm(1, "z", [0])]) }
        #expect(throws: Never.self) { try SpinHamiltonian(basis: mir, terms: [OperatorTerm(1, "z", [0]), OperatorTerm(1, "z", [3])]) }
        #expect(throws: EDError.self) { try SpinHamiltonian(basis: mir, terms: [OperatorTerm(1, "z", [0]), OperatorTerm(1 + 1e-13, "z", [3])]) }
        let flip = try SpinHalfBasis(sites: 4, spinFlip: 1)
        #expect(throws: EDError.self) { try SpinHamiltonian(basis: flip, terms: [OperatorTerm(1, "z", [0])]) }
        #expect(throws: Never.self) { try SpinHamiltonian(basis: flip, terms: [OperatorTerm(1, "zz", [0, 1]), OperatorTerm(1, "x", [2])]) }
        let full = try SpinHalfBasis(sites: 4)
        #expect(throws: EDError.self) { try SpinHamiltonian(basis: full, terms: [OperatorTerm(1, "q", [0])]) }
        #expect(throws: EDError.self) { try SpinHamiltonian(basis: full, terms: [OperatorTerm(1, "z", [4])]) }
        #expect(throws: EDError.self) { try SpinHamiltonian(basis: full, terms: [OperatorTerm(1, "zz", [0])]) }
        #expect(throws: EDError.self) { try SpinHamiltonian(basis: full, terms: [OperatorTerm(1, "y", [0])]).dense() }
    }
}

@Suite("Index-window eigenpairs (one tridiagonalization)", .tags(.kernel))
struct WindowEigenTests {
    @Test("nearest-window selection")
    func selection() {
        let v = [-3.0, -1, 0, 0.5, 2, 7]
        #expect(SpectrumWindow.nearest(count: 1, to: 0.3, in: v) == 3...3)
        #expect(SpectrumWindow.nearest(count: 2, to: 0.3, in: v) == 2...3)
        #expect(SpectrumWindow.nearest(count: 3, to: 0.3, in: v) == 1...3)
        #expect(SpectrumWindow.nearest(count: 3, to: 100, in: v) == 3...5)
        #expect(SpectrumWindow.nearest(count: 3, to: -100, in: v) == 0...2)
        #expect(SpectrumWindow.nearest(count: 10, to: 0, in: v) == 0...5)
        #expect(SpectralTarget.centre.energy(in: v) == 2)
        #expect(SpectralTarget.fraction(0.1).energy(in: v) == -2)
    }

    @Test("Window eigenpairs equal the corresponding pairs of a full diagonalization (real and complex, both methods)")
    func windowMatchesFull() throws {
        var rng = RandomStream(seed: 5, label: "ed-window")
        let n = 300
        let a = RandomMatrix.goe(n, &rng)
        let full = try symmetricEigen(a)
        let fv = try #require(full.vectors)
        for method in [TridiagonalVectorMethod.mrrr, .inverseIteration] {
            for (count, target) in [(40, SpectralTarget.centre), (7, .energy(-5)), (1, .fraction(1)), (n, .centre)] {
                let w = try symmetricEigen(a, nearest: count, to: target, method: method)
                #expect(w.window.count == count)
                #expect(zip(w.allValues, full.values).allSatisfy { abs($0 - $1) < 1e-12 })
                let t = target.energy(in: full.values)
                #expect(w.window == SpectrumWindow.nearest(count: count, to: t, in: full.values))
                for (c, k) in w.window.enumerated() {
                    #expect(abs(w.values[c] - full.values[k]) < 1e-12)
                    var dot = 0.0
                    for i in 0..<n { dot += w.vectors[i, c] * fv[i, k] }
                    #expect(abs(abs(dot) - 1) < 1e-9, "method \(method), index \(k)")
                }
            }
        }
        // complex Hermitian
        let g = RandomMatrix.gue(120, &rng)
        let fc = try hermitianEigen(g)
        let fcv = try #require(fc.vectors)
        for method in [TridiagonalVectorMethod.mrrr, .inverseIteration] {
            let w = try hermitianEigen(g, nearest: 15, to: .centre, method: method)
            #expect(zip(w.allValues, fc.values).allSatisfy { abs($0 - $1) < 1e-12 })
            for (c, k) in w.window.enumerated() {
                #expect(abs(w.values[c] - fc.values[k]) < 1e-12)
                var dot = Complex<Double>.zero
                for i in 0..<120 { dot += w.vectors[i, c].conjugate * fcv[i, k] }
                #expect(abs(dot.length - 1) < 1e-9)
            }
        }
    }

    @Test("SpinHamiltonian.diagonalize: values, all pairs and the centre window agree")
    func hamiltonianDiagonalize() throws {
        var rng = RandomStream(seed: 6, label: "ed-diag")
        let l = 10
        let h = Terms.xxz(fields: (0..<l).map { _ in rng.uniform(-2, 2) }, delta: 1)
        let ham = try SpinHamiltonian(basis: try SpinHalfBasis(sites: l, upSpins: 5), terms: h)
        let v = try ham.diagonalize(.values), a = try ham.diagonalize(.all), w = try ham.diagonalize(.nearest(count: 30, to: .centre))
        let vAll = try #require(v.allValues), aAll = try #require(a.allValues), wAll = try #require(w.allValues)
        #expect(v.vectors == nil && vAll.count == 252)
        #expect(zip(vAll, aAll).allSatisfy { abs($0 - $1) < 1e-12 })
        #expect(zip(wAll, aAll).allSatisfy { abs($0 - $1) < 1e-12 })
        let wv = try #require(w.vectors), av = try #require(a.vectors)
        for (c, k) in w.window.enumerated() {
            var dot = 0.0
            for i in 0..<252 { dot += wv[i, c] * av[i, k] }
            #expect(abs(abs(dot) - 1) < 1e-9)
        }
        // ⟨σ^z_i⟩ from the basis helper against the vector sums
        let z = ham.basis.diagonalExpectation(av) { s in (s & 1) == 1 ? 1 : -1 }
        for c in [0, 100, 251] {
            var e = 0.0
            for k in 0..<252 { e += av[k, c] * av[k, c] * ham.basis.sigmaZ(k, site: 0) }
            #expect(abs(e - z[c]) < 1e-14)
        }
    }
}
