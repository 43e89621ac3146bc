import CGSL

/// One-dimensional root finding and minimization (GSL's Brent solvers).
public enum Solve1D {
    /// A root of f in [lower, upper] (f must change sign there), Brent's method, to
    /// |Δx| ≤ absoluteTolerance + relativeTolerance·|x|.
    public static func root(_ f: @escaping (Double) -> Double, bracket lower: Double, _ upper: Double,
                            absoluteTolerance: Double = 0, relativeTolerance: Double = 1e-12,
                            maxIterations: Int = 200) throws -> Double {
        try withGSLFunction(f) { fn in
            guard let s = gsl_root_fsolver_alloc(gsl_root_fsolver_brent) else {
                throw GSLError(routine: "gsl_root_fsolver_alloc", status: Int(GSL_ENOMEM))
            }
            defer { gsl_root_fsolver_free(s) }
            try check(gsl_root_fsolver_set(s, fn, lower, upper), "gsl_root_fsolver_set")
            for _ in 0..<maxIterations {
                try check(gsl_root_fsolver_iterate(s), "gsl_root_fsolver_iterate")
                let lo = gsl_root_fsolver_x_lower(s), hi = gsl_root_fsolver_x_upper(s)
                if gsl_root_test_interval(lo, hi, absoluteTolerance, relativeTolerance) == Int32(GSL_SUCCESS) {
                    return gsl_root_fsolver_root(s)
                }
            }
            throw GSLError(routine: "gsl_root_fsolver_brent", status: Int(GSL_EMAXITER))
        }
    }

    /// A local minimum of f in (lower, upper) starting from `guess`, where
    /// f(guess) < f(lower) and f(guess) < f(upper) (Brent's method). The location of a
    /// smooth minimum is only determined to ~√ε relative, hence the default 1e-7.
    public static func minimum(_ f: @escaping (Double) -> Double, bracket lower: Double, _ upper: Double, guess: Double,
                               absoluteTolerance: Double = 1e-10, relativeTolerance: Double = 1e-7,
                               maxIterations: Int = 200) throws -> (x: Double, value: Double) {
        try withGSLFunction(f) { fn in
            guard let s = gsl_min_fminimizer_alloc(gsl_min_fminimizer_brent) else {
                throw GSLError(routine: "gsl_min_fminimizer_alloc", status: Int(GSL_ENOMEM))
            }
            defer { gsl_min_fminimizer_free(s) }
            try check(gsl_min_fminimizer_set(s, fn, guess, lower, upper), "gsl_min_fminimizer_set")
            for _ in 0..<maxIterations {
                try check(gsl_min_fminimizer_iterate(s), "gsl_min_fminimizer_iterate")
                let lo = gsl_min_fminimizer_x_lower(s), hi = gsl_min_fminimizer_x_upper(s)
                if gsl_min_test_interval(lo, hi, absoluteTolerance, relativeTolerance) == Int32(GSL_SUCCESS) {
                    return (gsl_min_fminimizer_x_minimum(s), gsl_min_fminimizer_f_minimum(s))
                }
            }
            throw GSLError(routine: "gsl_min_fminimizer_brent", status: Int(GSL_EMAXITER))
        }
    }
}
