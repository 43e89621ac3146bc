import CGSL

/// Adaptive quadrature with GSL's QUADPACK routines. Each returns the integral and GSL's
/// absolute error estimate; a failure to reach the tolerance throws `GSLError`.
public enum Quadrature {
    /// Workspace size (subintervals) for the adaptive routines.
    public static let limit = 1000

    /// ∫_a^b f(x) dx with QAGS (adaptive Gauss–Kronrod 21 with Wynn ε-extrapolation; copes
    /// with integrable end-point singularities).
    public static func integrate(_ f: @escaping (Double) -> Double, from a: Double, to b: Double,
                                 absoluteTolerance: Double = 0, relativeTolerance: Double = 1e-10) throws -> Estimate {
        try withWorkspace { w, fn in
            var r = 0.0, e = 0.0
            try check(gsl_integration_qags(fn, a, b, absoluteTolerance, relativeTolerance, limit, w, &r, &e),
                      "gsl_integration_qags")
            return Estimate(value: r, error: e)
        }(f)
    }

    /// ∫_a^∞ f(x) dx with QAGIU (x = a + (1 − t)/t mapped to (0, 1]).
    public static func integrate(_ f: @escaping (Double) -> Double, from a: Double, toInfinity: Void = (),
                                 absoluteTolerance: Double = 0, relativeTolerance: Double = 1e-10) throws -> Estimate {
        try withWorkspace { w, fn in
            var r = 0.0, e = 0.0
            try check(gsl_integration_qagiu(fn, a, absoluteTolerance, relativeTolerance, limit, w, &r, &e),
                      "gsl_integration_qagiu")
            return Estimate(value: r, error: e)
        }(f)
    }

    /// ∫_{−∞}^b f(x) dx with QAGIL.
    public static func integrate(_ f: @escaping (Double) -> Double, fromMinusInfinityTo b: Double,
                                 absoluteTolerance: Double = 0, relativeTolerance: Double = 1e-10) throws -> Estimate {
        try withWorkspace { w, fn in
            var r = 0.0, e = 0.0
            try check(gsl_integration_qagil(fn, b, absoluteTolerance, relativeTolerance, limit, w, &r, &e),
                      "gsl_integration_qagil")
            return Estimate(value: r, error: e)
        }(f)
    }

    /// ∫_{−∞}^{∞} f(x) dx with QAGI.
    public static func integrateOverRealLine(_ f: @escaping (Double) -> Double,
                                             absoluteTolerance: Double = 0, relativeTolerance: Double = 1e-10) throws -> Estimate {
        try withWorkspace { w, fn in
            var r = 0.0, e = 0.0
            try check(gsl_integration_qagi(fn, absoluteTolerance, relativeTolerance, limit, w, &r, &e),
                      "gsl_integration_qagi")
            return Estimate(value: r, error: e)
        }(f)
    }

    /// n-point Gauss–Legendre nodes and weights on [a, b] (gsl_integration_glfixed_table):
    /// exact for polynomials of degree ≤ 2n − 1; use for smooth integrands on fixed grids
    /// (e.g. the θ integral of a Husimi function, a trigonometric polynomial).
    public static func gaussLegendre(points n: Int, from a: Double, to b: Double) throws -> (nodes: [Double], weights: [Double]) {
        GSL.setUp()
        guard n >= 1, let t = gsl_integration_glfixed_table_alloc(n) else {
            throw GSLError(routine: "gsl_integration_glfixed_table_alloc", status: Int(GSL_ENOMEM))
        }
        defer { gsl_integration_glfixed_table_free(t) }
        var x = [Double](repeating: 0, count: n), w = [Double](repeating: 0, count: n)
        for i in 0..<n {
            try check(gsl_integration_glfixed_point(a, b, i, &x[i], &w[i], t), "gsl_integration_glfixed_point")
        }
        return (x, w)
    }

    private static func withWorkspace(
        _ body: @escaping (UnsafeMutablePointer<gsl_integration_workspace>, UnsafeMutablePointer<gsl_function>) throws -> Estimate
    ) -> (@escaping (Double) -> Double) throws -> Estimate {
        { f in
            GSL.setUp()
            guard let w = gsl_integration_workspace_alloc(limit) else {
                throw GSLError(routine: "gsl_integration_workspace_alloc", status: Int(GSL_ENOMEM))
            }
            defer { gsl_integration_workspace_free(w) }
            return try withGSLFunction(f) { fn in try body(w, fn) }
        }
    }
}
