import Linalg
import Numerics

/// One term of a spin-½ operator: coupling × (product of single-site operators) ⊗ (an
/// optional matrix on an attached dense block). Conventions: docs/CONVENTIONS.md.
///
/// Operator letters are Pauli operators and ladder operators with unit matrix elements:
/// "x", "y", "z" = σ^x, σ^y, σ^z; "+" = σ^+ = S^+ = |↑⟩⟨↓|, "-" = σ^- = S^- = |↓⟩⟨↑|.
/// Since S^a = σ^a/2 for a = x, y, z, a coupling J S^z_i S^z_j is written (J/4, "zz", [i, j]),
/// h S^z_i is (h/2, "z", [i]), and (J/2)(S^+_i S^-_j + h.c.) is (J/2, "+-", [i, j]) plus
/// (J/2, "-+", [i, j]). Letter k acts on `sites[k]`; a site may repeat (the product is taken
/// in the order written, leftmost letter leftmost: "+-" on [i, i] is σ^+_iσ^-_i = n↑_i).
///
/// With an attached block (a grain or bubble of dimension n, the fast tensor factor, see
/// docs/CONVENTIONS.md) the term is coupling × (spin string) ⊗ `block`; a term without
/// `block` acts as the identity on the block, and `OperatorTerm(block: R)` is 1_spins ⊗ R.
public struct OperatorTerm: Sendable {
    public var coupling: Complex<Double>
    public var operators: String
    public var sites: [Int]
    /// The n × n factor on the attached block (nil = identity).
    public var block: ComplexMatrix?

    /// A real term.
    public init(_ coupling: Double, _ operators: String, _ sites: [Int], block: Matrix? = nil) {
        self.coupling = Complex(coupling, 0)
        self.operators = operators
        self.sites = sites
        self.block = block.map { ComplexMatrix($0) }
    }

    /// A complex term.
    public init(complex coupling: Complex<Double>, _ operators: String, _ sites: [Int], block: ComplexMatrix? = nil) {
        self.coupling = coupling
        self.operators = operators
        self.sites = sites
        self.block = block
    }

    /// 1_spins ⊗ `block` (e.g. the bubble's own Hamiltonian R₀).
    public init(block: Matrix) { self.init(1, "", [], block: block) }

    /// The Hermitian conjugate: letters and sites reversed, σ^± ↔ σ^∓, coupling conjugated,
    /// block replaced by its adjoint. "T + h.c." is `[t, t.adjoint]`.
    public var adjoint: OperatorTerm {
        let letters = String(operators.reversed().map { c -> Character in c == "+" ? "-" : (c == "-" ? "+" : c) })
        return OperatorTerm(complex: coupling.conjugate, letters, sites.reversed(), block: block?.adjoint)
    }
}

/// A product of single-site operators from {σ^z, σ^+, σ^-} on distinct sites, as bit masks
/// (sites without a letter carry the identity).
struct ElementaryString: Hashable, Sendable {
    var plus: UInt64, minus: UInt64, z: UInt64

    var isDiagonal: Bool { plus == 0 && minus == 0 }
    /// Change of the number of up spins.
    var magnetizationChange: Int { plus.nonzeroBitCount - minus.nonzeroBitCount }
    var adjoint: ElementaryString { ElementaryString(plus: minus, minus: plus, z: z) }
}

/// coefficient·(string) ⊗ (scalar·1 + matrix) on the block: `scalar` is the identity part.
struct ElementaryTerm: Sendable {
    var string: ElementaryString
    var scalar: Complex<Double>
    /// n × n, nil when the term is the identity on the block.
    var matrix: ComplexMatrix?

    var isZero: Bool { scalar == .zero && (matrix.map { $0.storage.allSatisfy { $0 == .zero } } ?? true) }
}

/// A term list in canonical form: every term expanded into elementary strings (σ^x = σ^+ + σ^-,
/// σ^y = −iσ^+ + iσ^-, same-site products reduced), identical strings combined in the order
/// of first appearance, zeros dropped.
struct CanonicalOperator: Sendable {
    var terms: [ElementaryTerm]
    var blockDimension: Int

    init(_ input: [OperatorTerm], sites l: Int) throws {
        var n: Int? = nil
        for t in input {
            guard let b = t.block else { continue }
            guard b.isSquare, b.rows > 0 else { throw EDError.invalidTerm("block factor of \(t.operators) is \(b.rows)×\(b.columns), not square") }
            if let m = n, m != b.rows { throw EDError.invalidTerm("block factors of sizes \(m) and \(b.rows)") }
            n = b.rows
        }
        blockDimension = n ?? 1
        var order = [ElementaryString: Int]()
        var out = [ElementaryTerm]()
        for t in input {
            for (string, c) in try Self.expand(t, sites: l) {
                let add = ElementaryTerm(string: string, scalar: t.block == nil ? c : .zero,
                                         matrix: t.block.map { Complex<Double>(c) * $0 })
                if let k = order[string] {
                    out[k].scalar += add.scalar
                    if let m = add.matrix { out[k].matrix = out[k].matrix.map { $0 + m } ?? m }
                } else {
                    order[string] = out.count
                    out.append(add)
                }
            }
        }
        terms = out.filter { !$0.isZero }
    }

    /// The elementary strings of one term with their coefficients (coupling included).
    static func expand(_ t: OperatorTerm, sites l: Int) throws -> [(ElementaryString, Complex<Double>)] {
        let letters = Array(t.operators)
        guard letters.count == t.sites.count else {
            throw EDError.invalidTerm("\"\(t.operators)\" has \(letters.count) letters for \(t.sites.count) sites")
        }
        // Per site, the 2×2 product in the local basis (index = bit: 0 = ↓, 1 = ↑), m[row][col].
        typealias M2 = [[Complex<Double>]]
        let one = Complex<Double>.one, zero = Complex<Double>.zero, i = Complex<Double>(0, 1)
        func matrix(_ c: Character) throws -> M2 {
            switch c {
            case "z": return [[-one, zero], [zero, one]]
            case "x": return [[zero, one], [one, zero]]
            case "y": return [[zero, i], [-i, zero]]          // ⟨↑|σ^y|↓⟩ = −i
            case "+": return [[zero, zero], [one, zero]]      // |↑⟩⟨↓|
            case "-": return [[zero, one], [zero, zero]]      // |↓⟩⟨↑|
            default: throw EDError.invalidTerm("unknown operator letter \"\(c)\" in \"\(t.operators)\" (use x, y, z, +, -)")
            }
        }
        func product(_ a: M2, _ b: M2) -> M2 {
            (0..<2).map { r in (0..<2).map { c in a[r][0] * b[0][c] + a[r][1] * b[1][c] } }
        }
        var perSite = [(site: Int, m: M2)]()
        for (c, s) in zip(letters, t.sites) {
            guard s >= 0 && s < l else { throw EDError.invalidTerm("site \(s) of \"\(t.operators)\" outside 0..<\(l)") }
            let m = try matrix(c)
            if let k = perSite.firstIndex(where: { $0.site == s }) { perSite[k].m = product(perSite[k].m, m) }
            else { perSite.append((s, m)) }
        }
        // Expand each site's matrix as a·1 + b·σ^z + c·σ^+ + d·σ^- and multiply out.
        var strings: [(ElementaryString, Complex<Double>)] = [(ElementaryString(plus: 0, minus: 0, z: 0), t.coupling)]
        for (s, m) in perSite {
            let bit = UInt64(1) << UInt64(s)
            let half = Complex<Double>(0.5, 0)
            let parts: [(Int, Complex<Double>)] = [
                (0, half * (m[0][0] + m[1][1])), (1, half * (m[1][1] - m[0][0])), (2, m[1][0]), (3, m[0][1]),
            ].filter { $0.1 != .zero }
            var next = [(ElementaryString, Complex<Double>)]()
            for (e, c) in strings {
                for (kind, a) in parts {
                    var f = e
                    switch kind {
                    case 1: f.z |= bit
                    case 2: f.plus |= bit
                    case 3: f.minus |= bit
                    default: break
                    }
                    next.append((f, a == .one ? c : c * a))
                }
            }
            strings = next
        }
        return strings
    }

    /// Largest |coefficient| (identity parts and block entries).
    var scale: Double {
        terms.reduce(0) { m, t in max(m, t.scalar.length, t.matrix?.storage.reduce(0) { max($0, $1.length) } ?? 0) }
    }

    /// Tolerance of the Hermiticity and symmetry checks: 16ε·(largest coefficient). Combining
    /// strings can leave rounding residues of that size (e.g. n↑ + n↓ − 1 in σ^z parts).
    var tolerance: Double { 16 * Double.ulpOfOne * scale }

    /// |a − b| ≤ tolerance entrywise (nil = zero matrix).
    func close(_ a: Complex<Double>, _ b: Complex<Double>) -> Bool { (a - b).length <= tolerance }
    func close(_ a: ComplexMatrix?, _ b: ComplexMatrix?) -> Bool {
        let tol = tolerance         // once: `tolerance` scans every block entry (O(n²) per call)
        switch (a, b) {
        case (nil, nil): return true
        case let (x?, nil), let (nil, x?): return x.storage.allSatisfy { $0.length <= tol }
        case let (x?, y?): return zip(x.storage, y.storage).allSatisfy { ($0 - $1).length <= tol }
        }
    }

    /// Throws unless the operator equals its adjoint, string by string (to `tolerance`).
    func checkHermitian() throws {
        var index = [ElementaryString: Int]()
        for (k, t) in terms.enumerated() { index[t.string] = k }
        for t in terms {
            let adj = t.string.adjoint
            let p = index[adj].map { terms[$0] } ?? ElementaryTerm(string: adj, scalar: .zero, matrix: nil)
            guard close(p.scalar, t.scalar.conjugate) && close(p.matrix, t.matrix?.adjoint) else {
                throw EDError.notHermitian("\(describe(t.string)) has no matching Hermitian conjugate term (add its h.c., e.g. OperatorTerm.adjoint)")
            }
        }
    }

    /// Throws unless every string conserves the number of up spins.
    func checkMagnetizationConserved() throws {
        for t in terms where t.string.magnetizationChange != 0 {
            throw EDError.symmetryBroken("\(describe(t.string)) changes the number of up spins by \(t.string.magnetizationChange) (U(1) basis; σ^x/σ^y terms conserve it only in combinations such as xx + yy)")
        }
    }

    /// Throws unless the operator is invariant under the site map (mirror) or the spin flip
    /// (string by string, to `tolerance`).
    func checkInvariant(under map: (ElementaryString) -> (ElementaryString, Double), name: String) throws {
        var index = [ElementaryString: Int]()
        for (k, t) in terms.enumerated() { index[t.string] = k }
        for t in terms {
            let (g, sign) = map(t.string)
            let p = index[g].map { terms[$0] } ?? ElementaryTerm(string: g, scalar: .zero, matrix: nil)
            let s = Complex<Double>(sign, 0)
            guard close(p.scalar, s * t.scalar) && close(p.matrix, t.matrix.map { s * $0 }) else {
                throw EDError.symmetryBroken("\(describe(t.string)) is not matched by its image under the \(name)")
            }
        }
    }

    func describe(_ s: ElementaryString) -> String {
        var parts = [String]()
        for i in 0..<64 {
            let b = UInt64(1) << UInt64(i)
            if s.plus & b != 0 { parts.append("σ+_\(i)") }
            if s.minus & b != 0 { parts.append("σ-_\(i)") }
            if s.z & b != 0 { parts.append("σz_\(i)") }
        }
        return parts.isEmpty ? "the identity term" : "the term " + parts.joined(separator: " ")
    }
}
