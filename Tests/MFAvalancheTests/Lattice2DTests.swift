import Foundation
import Kernels
import Linalg
import Testing
@testable import MFAvalanche

@Suite("mf-avalanche: 2D lattice of Eq. (15), orbitals, labelling, samples", .tags(.kernel))
struct Lattice2DTests {
    @Test("N = 2R² + 2R + 1, origin first, bonds = all pairs at unit distance (brute force)")
    func lattice() {
        for r in 0...6 {
            let l = DiamondLattice(radius: r)
            #expect(l.count == 2 * r * r + 2 * r + 1)
            #expect(l.first[0] == 0 && l.second[0] == 0)
            #expect((0..<l.count).allSatisfy { l.distance($0) <= r })
            var brute = Set<[Int]>()
            for i in 0..<l.count { for j in (i + 1)..<max(i + 1, l.count) where abs(l.first[i] - l.first[j]) + abs(l.second[i] - l.second[j]) == 1 { brute.insert([i, j]) } }
            #expect(Set(l.bonds.map { [$0.0, $0.1] }) == brute && l.bonds.count == brute.count)
            // Distances are non-decreasing in site order.
            #expect((1..<l.count).allSatisfy { l.distance($0 - 1) <= l.distance($0) })
            if r >= 2 { #expect(l.index(-1, 1).map { l.first[$0] == -1 && l.second[$0] == 1 } == true) }
        }
    }

    @Test("V(θ): V(0) = W, V(2π/q₁) = −W, V(2π) = W, period 2π, uniform on [−W, W] at uniform θ")
    func triangularWave() {
        let w = 7.0, v = TriangularWave(amplitude: w)
        #expect(abs(TriangularWave.minimumPhase - 2 / (1 + 5.0.squareRoot())) < 1e-15)
        #expect(abs(v(0) - w) < 1e-12 && abs(v(TriangularWave.minimumPhase) + w) < 1e-12 && abs(v(2 * .pi) - w) < 1e-12)
        #expect(abs(v(-0.3) - v(2 * .pi - 0.3)) < 1e-12 && abs(v(0.2 + 6 * .pi) - v(0.2)) < 1e-12)
        // Linear pieces: midpoints.
        #expect(abs(v(TriangularWave.minimumPhase / 2)) < 1e-12)
        #expect(abs(v((TriangularWave.minimumPhase + 2 * .pi) / 2)) < 1e-12)
        // Uniform: exact quantiles on a fine θ grid.
        let m = 200_000
        let vals = (0..<m).map { v(2 * .pi * (Double($0) + 0.5) / Double(m)) }.sorted()
        for q in [0.1, 0.25, 0.5, 0.9] { #expect(abs(vals[Int(q * Double(m))] - (-w + 2 * w * q)) < 1e-3) }
    }

    @Test("θ_n = q·n + θ₀ with q = π(1 + √5, 1 + √3); random phases in [0, 2π), reproducible")
    func phases() {
        let l = DiamondLattice(radius: 3)
        let t = LatticePotential.quasiperiodicPhases(l, offset: 0.7)
        let i = l.index(2, -1)!
        #expect(abs(t[i] - (Double.pi * (1 + 5.0.squareRoot()) * 2 - Double.pi * (1 + 3.0.squareRoot()) + 0.7)) < 1e-12)
        var a = RandomStream(seed: 1, label: "x"), b = RandomStream(seed: 1, label: "x")
        let ra = LatticePotential.randomPhases(l, &a), rb = LatticePotential.randomPhases(l, &b)
        #expect(ra == rb && ra.allSatisfy { $0 >= 0 && $0 < 2 * .pi })
    }

    @Test("dsytrd + dstevr first components and dsyevd equal dsyevr (values and |vectors|)")
    func eigenPaths() throws {
        var rng = RandomStream(seed: 5, label: "mf2-eigen")
        for n in [1, 2, 7, 40] {
            var a = Matrix(rows: n, columns: n)
            for i in 0..<n { for j in i..<n { let x = rng.normal(); a.storage[i + j * n] = x; a.storage[j + i * n] = x } }
            let ref = try symmetricEigen(a)
            let fc = try symmetricEigenFirstComponents(a)
            let dc = try symmetricEigenDivideAndConquer(a)
            for k in 0..<n {
                #expect(abs(fc.values[k] - ref.values[k]) < 1e-12 && abs(dc.values[k] - ref.values[k]) < 1e-12)
                #expect(abs(abs(fc.firstComponents[k]) - abs(ref.vectors![0, k])) < 1e-12)
                for i in 0..<n { #expect(abs(abs(dc.vectors![i, k]) - abs(ref.vectors![i, k])) < 1e-10) }
            }
        }
    }

    @Test("Σ_n |φ_{n0}|² = 1; strong W: |φ_{00}| → 1 and φ_{m0} → 1/|V_m − V_0| for a neighbour m")
    func overlapsLimits() throws {
        let l = DiamondLattice(radius: 3)
        let phases = LatticePotential.quasiperiodicPhases(l, offset: 1.3)
        for w in [0.5, 5, 50] {
            let phi = try originOverlaps(latticeHamiltonian(l, phases: phases, amplitude: w))
            #expect(abs(phi.reduce(0) { $0 + $1 * $1 } - 1) < 1e-12)
        }
        let w = 1e4, v = TriangularWave(amplitude: w)
        let h = latticeHamiltonian(l, phases: phases, amplitude: w)
        let e = try symmetricEigenDivideAndConquer(h)
        let z = e.vectors!
        // The orbital whose energy is closest to V_m has φ_{m0}·(V_m − V_0) → ±1 (first order).
        let v0 = v(phases[0])
        let centre = (0..<l.count).min { abs(e.values[$0] - v0) < abs(e.values[$1] - v0) }!
        #expect(abs(abs(z[0, centre]) - 1) < 1e-6)
        for m in 1...4 {
            let vm = v(phases[m])
            let k = (0..<l.count).min { abs(e.values[$0] - vm) < abs(e.values[$1] - vm) }!
            #expect(abs(abs(z[0, k]) * abs(vm - v0) - 1) < 2e-2, "neighbour \(m)")
        }
    }

    @Test("linear assignment equals brute force over all permutations (n ≤ 7), and the product of overlaps on a lattice")
    func assignment() throws {
        var rng = RandomStream(seed: 9, label: "mf2-assignment")
        func permutations(_ n: Int) -> [[Int]] {
            if n == 0 { return [[]] }
            return permutations(n - 1).flatMap { p in (0...p.count).map { i in var q = p; q.insert(n - 1, at: i); return q } }
        }
        for n in 1...7 {
            for trial in 0..<5 {
                // Integer costs with ties (trial even) and continuous costs.
                let cost = (0..<(n * n)).map { _ in trial % 2 == 0 ? Double(rng.integer(below: 4)) : rng.exponential() }
                let col = LinearAssignment.minimumCost(cost, n: n)
                #expect(Set(col) == Set(0..<n))
                let best = permutations(n).map { LinearAssignment.total(cost, n: n, $0) }.min()!
                #expect(abs(LinearAssignment.total(cost, n: n, col) - best) < 1e-12)
            }
        }
        // Orbitals of a 5-site lattice (R = 1): brute force of Π|φ| over 120 permutations.
        let l = DiamondLattice(radius: 1)
        let h = latticeHamiltonian(l, phases: LatticePotential.quasiperiodicPhases(l, offset: 0.4), amplitude: 3)
        let z = try symmetricEigenDivideAndConquer(h).vectors!
        let pos = OrbitalPositions(vectors: z, lattice: l)
        let prod: ([Int]) -> Double = { p in (0..<5).reduce(1) { $0 * abs(z[p[$1], $1]) } }
        let best = permutations(5).map(prod).max()!
        #expect(abs(prod(pos.assignedSite) / best - 1) < 1e-12)
    }

    @Test("sample: classification, zero couplings, resolution flags, bottleneck fit on an exact J₀e^{−√n/ζ}")
    func sampleAndBottleneck() throws {
        let eta = ToyEnhancement()
        // Symmetric couplings reduce to the scalar equation (M = N − 1).
        let n = 13
        let s = try AvalancheSample.solve(overlaps: [Double](repeating: 0.02, count: n), radius: 2, amplitude: 1, offset: 0.1,
                                          grainCouplings: [1, 0.5], bottleneck: true, eta: eta)
        let g = try #require(SymmetricCoupling.leastSolution(bare: 0.02, spins: n, convention: .selfConsistent, eta: eta))
        #expect(abs(s.totalEnhancement[0] - Double(n) * eta.eta(g)) < 1e-8)
        #expect(s.converged == [true, true] && s.unresolved == [false, false])
        #expect(s.avalanches(0) == (s.fraction(0) > 0.5))
        // Exact model couplings: the fit returns ζ and J₀, and the printed-form minimum.
        let j0 = 0.8, zeta = 0.4
        let bare = (1...60).map { j0 * exp(-Double($0).squareRoot() / zeta) }
        let b = BottleneckEstimate.estimate(bare: bare.reversed())
        #expect(abs(b.zeta / zeta - 1) < 1e-10 && abs(b.prefactor / j0 - 1) < 1e-10 && b.fitted == 60)
        let direct = (1...60).map { log(j0) - Double($0).squareRoot() / zeta + Double($0 - 1) * log(2.0) / 2 }
        #expect(abs(log(b.printedForm) - direct.min()!) < 1e-10)
        #expect(abs(log(b.actual) - direct.min()!) < 1e-10 && b.actualIndex == direct.firstIndex(of: direct.min()!)! + 1)
    }

    @Test("collar radius: the returned R_c satisfies Eq. (20) and R_c − 1 does not")
    func collar() throws {
        let l = DiamondLattice(radius: 4)
        let a = try ResolvedAvalanche(radius: 4, amplitude: 60, phases: LatticePotential.quasiperiodicPhases(l, offset: 2.0),
                                      grainCoupling: 1, eta: ToyEnhancement())
        #expect(Set(a.positions.assignedSite) == Set(0..<l.count))
        let et = a.solution.totalEnhancement
        for p in ResolvedAvalanche.Position.allCases {
            let rc = try #require(a.collarRadius(grainDimension: 8, margin: 0.1, position: p))
            let d = a.distances(p)
            let sum: (Int) -> Double = { r in zip(a.solution.bare, d).filter { $0.1 > Double(r) }.reduce(0) { $0 + $1.0 * exp(et / 2) } }
            #expect(sum(rc) < 0.1 / (8 * exp(et)))
            if rc > 0 { #expect(sum(rc - 1) >= 0.1 / (8 * exp(et))) }
        }
    }
    /// With the (A27) η: a weak-W quasiperiodic sample thermalizes every orbital (the resolution
    /// floor lets orbitals whose tridiagonal first component underflows thermalize too), a
    /// strong-W sample fails with O(1) η_tot and converges in R.
    @Test("avalanche thermalizes all N orbitals at W = 30; failure at W = 200 is O(1) and R-independent")
    func avalanchesWithTableEta() throws {
        let eta = try #require(SharedEta.interpolant)
        var rng = RandomStream(seed: 1, label: "unused")
        let a = try AvalancheSample.measure(radius: 12, amplitude: 30, ensemble: .quasiperiodic, offset: 1.0,
                                            grainCouplings: [1], bottleneck: false, eta: eta, &rng)
        #expect(a.avalanches() && abs(a.fraction() - 1) < 1e-6 && a.unresolved == [false] && a.converged == [true])
        let f8 = try AvalancheSample.measure(radius: 8, amplitude: 200, ensemble: .quasiperiodic, offset: 1.0,
                                             grainCouplings: [1], bottleneck: false, eta: eta, &rng)
        let f12 = try AvalancheSample.measure(radius: 12, amplitude: 200, ensemble: .quasiperiodic, offset: 1.0,
                                              grainCouplings: [1], bottleneck: false, eta: eta, &rng)
        #expect(!f8.avalanches() && f8.totalEnhancement[0] < 14 * log(2.0))
        #expect(abs(f8.totalEnhancement[0] - f12.totalEnhancement[0]) < 1e-6)
    }
}
