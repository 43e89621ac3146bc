import CLapack
import Foundation

/// What one block Lanczos run returned (eigenpairs of the operator, not yet transformed).
struct BlockLanczosRun {
    /// Ritz values θ of OP (the wanted ones, largest |θ| first) and their vectors (n × count).
    var ritzValues: [Double]
    var ritzVectors: [Double]
    var restarts: Int
    var operatorApplications: Int
}

/// Thick-restart block Lanczos for the largest-|θ| eigenpairs of a real symmetric operator OP
/// given only through `apply` (Y = OP·X on `block` columns at once; the shift-invert driver
/// hands them to one multi-right-hand-side MUMPS solve, which reads the factor once per block
/// instead of once per vector).
///
/// Full reorthogonalization (classical Gram–Schmidt with BLAS-3, repeated per column until the
/// Kahan–Parlett test passes), explicit projections
/// T = V†·OP·V by columns, Rayleigh–Ritz on the expanded part V_e with
/// OP·V_e = V_e·T_e + Q·B·E_lastᵀ, residual bounds ‖B·y_last‖, thick restart to the best
/// `keep` Ritz vectors plus the residual block (Wu & Simon's TRLan, blocked). Converged when
/// every wanted bound ≤ max(tol·max(ε^{2/3}, |θ|), 64ε·|θ_max|): ARPACK's dsconv criterion
/// with a floor at the rounding level of the explicit projections. Deterministic:
/// SplitMix64 start block, single-threaded BLAS, fixed operation order.
func blockLanczos(n: Int, count k: Int, block p: Int, basis mMax: Int, tolerance: Double, maxRestarts: Int, seed: UInt64,
                  apply: (UnsafeMutablePointer<Double>, Int) throws -> Void) throws -> BlockLanczosRun {
    pinOpenBLASToOneThread()
    precondition(p >= 1 && mMax >= k + 2 * p && mMax + p <= n && k >= 1, "block Lanczos: basis \(mMax) must hold k + 2 blocks and leave room for one more in n = \(n)")
    let tol = tolerance > 0 ? tolerance : Double.ulpOfOne / 2
    let eps23 = Foundation.pow(Double.ulpOfOne / 2, 2.0 / 3.0)
    // Basis V (n × mMax) and T (mMax × mMax), column-major.
    var v = [Double](repeating: 0, count: n * mMax)
    var t = [Double](repeating: 0, count: mMax * mMax)
    var w = [Double](repeating: 0, count: n * p)
    var m = 0                   // columns in V
    var expandedEnd = 0         // V[:, 0..<expandedEnd] have their T columns; the block after is unexpanded
    var applications = 0
    var restarts = 0
    var randomCounter: UInt64 = 0

    /// Fill `w` with deterministic pseudo-random columns.
    func randomBlock(_ columns: Int) {
        let r = arpackStartEntries(count: n * columns, seed: seed &+ 0x9E37 &* randomCounter)
        randomCounter += 1
        for i in 0..<(n * columns) { w[i] = r[i] }
    }

    /// Orthogonalize w[:, 0..<p] against V[:, 0..<m] and accumulate the coefficients into
    /// `coefficients` (m × p); then orthonormalize the block itself with the triangular factor
    /// in `r` (p × p). Shift-invert makes the cancellation severe (OP·X is dominated by the
    /// converged directions already in V), so every column is re-orthogonalized until the
    /// Kahan–Parlett test passes: a pass that keeps ≥ 1/√2 of the norm leaves the column
    /// orthogonal to working precision. Two block passes (BLAS-3), then per-column passes
    /// (BLAS-2) where needed. Columns that vanish (an invariant subspace) are replaced by
    /// fresh deterministic random directions with a zero R column.
    func orthogonalize(coefficients: inout [Double], r: inout [Double]) {
        coefficients = [Double](repeating: 0, count: m * p)
        r = [Double](repeating: 0, count: p * p)
        let kahan = 0.5.squareRoot()
        var c = [Double](repeating: 0, count: max(1, m * p))
        var original = [Double](repeating: 0, count: p), before = original, after = original
        w.withUnsafeMutableBufferPointer { pw in
            for j in 0..<p { original[j] = cblas_dnrm2(Int32(n), pw.baseAddress! + j * n, 1) }
        }
        after = original
        for _ in 0..<2 where m > 0 {
            before = after
            v.withUnsafeBufferPointer { pv in
                w.withUnsafeMutableBufferPointer { pw in
                    c.withUnsafeMutableBufferPointer { pc in
                        cblas_dgemm(CblasColMajor, CblasTrans, CblasNoTrans, Int32(m), Int32(p), Int32(n), 1,
                                    pv.baseAddress, Int32(n), pw.baseAddress, Int32(n), 0, pc.baseAddress, Int32(m))
                        cblas_dgemm(CblasColMajor, CblasNoTrans, CblasNoTrans, Int32(n), Int32(p), Int32(m), -1,
                                    pv.baseAddress, Int32(n), pc.baseAddress, Int32(m), 1, pw.baseAddress, Int32(n))
                    }
                    for j in 0..<p { after[j] = cblas_dnrm2(Int32(n), pw.baseAddress! + j * n, 1) }
                }
            }
            for i in 0..<(m * p) { coefficients[i] += c[i] }
        }
        /// One pass of column j against V (BLAS-2), coefficients accumulated.
        func passAgainstBasis(_ cj: UnsafeMutablePointer<Double>, _ j: Int) {
            guard m > 0 else { return }
            var cv = [Double](repeating: 0, count: m)
            v.withUnsafeBufferPointer { pv in
                cblas_dgemv(CblasColMajor, CblasTrans, Int32(n), Int32(m), 1, pv.baseAddress, Int32(n), cj, 1, 0, &cv, 1)
                cblas_dgemv(CblasColMajor, CblasNoTrans, Int32(n), Int32(m), -1, pv.baseAddress, Int32(n), cv, 1, 1, cj, 1)
            }
            for i in 0..<m { coefficients[i + j * m] += cv[i] }
        }
        w.withUnsafeMutableBufferPointer { pw in
            let base = pw.baseAddress!
            for j in 0..<p {
                let cj = base + j * n
                // Further passes against V while the last one cancelled more than 1 − 1/√2.
                var last = (before[j], after[j]), extra = 0
                while m > 0 && last.1 < kahan * last.0 && last.1 > 0 && extra < 3 {
                    passAgainstBasis(cj, j)
                    last = (last.1, cblas_dnrm2(Int32(n), cj, 1))
                    extra += 1
                }
                // Against the block's earlier columns (MGS), then once more against V if the
                // block step cancelled too.
                for _ in 0..<3 {
                    let start = cblas_dnrm2(Int32(n), cj, 1)
                    for i in 0..<j {
                        let d = cblas_ddot(Int32(n), base + i * n, 1, cj, 1)
                        cblas_daxpy(Int32(n), -d, base + i * n, 1, cj, 1)
                        r[i + j * p] += d
                    }
                    let end = cblas_dnrm2(Int32(n), cj, 1)
                    if end >= kahan * start || end == 0 { break }
                    passAgainstBasis(cj, j)
                }
                let norm = cblas_dnrm2(Int32(n), cj, 1)
                if norm > 1e-13 * max(original[j], .leastNormalMagnitude) && norm > 0 {
                    r[j + j * p] = norm
                    cblas_dscal(Int32(n), 1 / norm, cj, 1)
                } else {
                    // Invariant subspace: continue with a random direction orthogonal to V and
                    // to the block so far (it carries no coupling: its R entries stay zero).
                    let fresh = arpackStartEntries(count: n, seed: seed &+ 0x51ED &* (randomCounter + 1))
                    randomCounter += 1
                    for i in 0..<n { cj[i] = fresh[i] }
                    var scratch = [Double](repeating: 0, count: m * p)
                    swap(&scratch, &coefficients)           // the random part is not a projection of OP·X
                    for _ in 0..<2 {
                        passAgainstBasis(cj, j)
                        for i in 0..<j {
                            let d = cblas_ddot(Int32(n), base + i * n, 1, cj, 1)
                            cblas_daxpy(Int32(n), -d, base + i * n, 1, cj, 1)
                        }
                    }
                    swap(&scratch, &coefficients)
                    let fn = cblas_dnrm2(Int32(n), cj, 1)
                    cblas_dscal(Int32(n), 1 / fn, cj, 1)
                    r[j + j * p] = 0
                }
            }
        }
    }

    // Start block.
    randomBlock(p)
    var coefficients: [Double] = [], r: [Double] = []
    orthogonalize(coefficients: &coefficients, r: &r)
    for i in 0..<(n * p) { v[i] = w[i] }
    m = p

    while true {
        // Expand the unexpanded block X = V[:, expandedEnd..<m] (p columns).
        precondition(m - expandedEnd == p)
        for i in 0..<(n * p) { w[i] = v[expandedEnd * n + i] }
        try w.withUnsafeMutableBufferPointer { try apply($0.baseAddress!, p) }
        applications += p
        orthogonalize(coefficients: &coefficients, r: &r)
        for j in 0..<p {
            for i in 0..<m { t[i + (expandedEnd + j) * mMax] = coefficients[i + j * m] }
        }
        expandedEnd = m
        // The new block Q (in w) closes OP·V_e = V_e T_e + Q R E_lastᵀ, V_e = V[:, 0..<m].
        // Append it while V has room; when V is full, Rayleigh–Ritz, test, restart.
        let lastStart = expandedEnd - p
        if m + p <= mMax {
            for i in 0..<(n * p) { v[m * n + i] = w[i] }
            for j in 0..<p { for i in 0..<p { t[(m + i) + (lastStart + j) * mMax] = r[i + j * p] } }
            m += p
            continue
        }
        // Rayleigh–Ritz on V_e (m_e = expandedEnd columns).
        let me = expandedEnd
        var te = Matrix(rows: me, columns: me)
        for j in 0..<me { for i in 0..<me { te[i, j] = 0.5 * (t[i + j * mMax] + t[j + i * mMax]) } }
        // dsyev (implicit QR), not dsyevr: the Ritz values of converged pairs cluster, and MRRR's
        // eigenvectors of clusters are orthogonal only to ~1e-13 (measured: the restarted basis
        // V·Y lost orthogonality to 6e-13 with dsyevr, stays at 1e-15 with dsyev).
        var ritzValues = [Double](repeating: 0, count: me)
        let info = LAPACKE_dsyev(LAPACK_COL_MAJOR, CChar(UInt8(ascii: "V")), CChar(UInt8(ascii: "U")), Int32(me),
                                 &te.storage, Int32(me), &ritzValues)
        try check(info, "dsyev")
        let ritz = (values: ritzValues, vectors: te)
        let y = ritz.vectors
        // Order by |θ| descending (nearest σ first), ties by index.
        let order = ritz.values.indices.sorted { (-abs(ritz.values[$0]), $0) < (-abs(ritz.values[$1]), $1) }
        // Residual bounds ‖R · y[last block rows]‖.
        func bound(_ col: Int) -> Double {
            var s = 0.0
            for i in 0..<p {
                var x = 0.0
                for q in 0..<p { x += r[i + q * p] * y[lastStart + q, col] }
                s += x * x
            }
            return s.squareRoot()
        }
        // ARPACK's test, with a floor at the rounding level of the explicit projections
        // (≈ ε·‖T‖: measured bound/|θ| of converged pairs 1e-17…1e-15 at |θ_max|/|θ| ≤ 3).
        let floor = 64 * Double.ulpOfOne * abs(ritz.values[order[0]])
        func isConverged(_ j: Int) -> Bool { bound(j) <= max(tol * max(eps23, abs(ritz.values[j])), floor) }
        let converged = order.prefix(k).allSatisfy(isConverged)
        if converged || restarts >= maxRestarts {
            if !converged {
                let done = order.prefix(k).filter(isConverged).count
                throw SparseSolverError.noConvergence(converged: done, requested: k, iterations: restarts)
            }
            let wanted = Array(order.prefix(k))
            var ysel = [Double](repeating: 0, count: me * k)
            for (c, j) in wanted.enumerated() { for i in 0..<me { ysel[i + c * me] = y[i, j] } }
            var vectors = [Double](repeating: 0, count: n * k)
            v.withUnsafeBufferPointer { pv in
                ysel.withUnsafeBufferPointer { py in
                    vectors.withUnsafeMutableBufferPointer { px in
                        cblas_dgemm(CblasColMajor, CblasNoTrans, CblasNoTrans, Int32(n), Int32(k), Int32(me), 1,
                                    pv.baseAddress, Int32(n), py.baseAddress, Int32(me), 0, px.baseAddress, Int32(n))
                    }
                }
            }
            return BlockLanczosRun(ritzValues: wanted.map { ritz.values[$0] }, ritzVectors: vectors,
                                   restarts: restarts, operatorApplications: applications)
        }
        // Thick restart: V ← [V_e·Y_keep, Q], T ← [[Θ_keep, Sᵀ], [S, ·]], S = R·Y[last rows, keep].
        restarts += 1
        let keep = min(me - p, max(k + p, k + (mMax - 2 * p - k) / 2))
        let kept = Array(order.prefix(keep))
        var ykeep = [Double](repeating: 0, count: me * keep)
        for (c, j) in kept.enumerated() { for i in 0..<me { ykeep[i + c * me] = y[i, j] } }
        var u = [Double](repeating: 0, count: n * keep)
        v.withUnsafeBufferPointer { pv in
            ykeep.withUnsafeBufferPointer { py in
                u.withUnsafeMutableBufferPointer { pu in
                    cblas_dgemm(CblasColMajor, CblasNoTrans, CblasNoTrans, Int32(n), Int32(keep), Int32(me), 1,
                                pv.baseAddress, Int32(n), py.baseAddress, Int32(me), 0, pu.baseAddress, Int32(n))
                }
            }
        }
        for i in 0..<(n * keep) { v[i] = u[i] }
        for i in 0..<(n * p) { v[keep * n + i] = w[i] }
        for i in t.indices { t[i] = 0 }
        for (c, j) in kept.enumerated() {
            t[c + c * mMax] = ritz.values[j]
            for i in 0..<p {
                var x = 0.0
                for q in 0..<p { x += r[i + q * p] * y[lastStart + q, j] }
                t[(keep + i) + c * mMax] = x
                t[c + (keep + i) * mMax] = x
            }
        }
        expandedEnd = keep
        m = keep + p
    }
}
