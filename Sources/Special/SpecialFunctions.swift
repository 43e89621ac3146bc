import CGSL

/// Special functions from GSL (the `_e` variants, so failures throw with an error estimate).
public enum SpecialFunctions {
    /// Riemann zeta ζ(s), s ≠ 1 (gsl_sf_zeta_e).
    public static func zeta(_ s: Double) throws -> Estimate {
        try sf("gsl_sf_zeta_e") { gsl_sf_zeta_e(s, $0) }
    }

    /// Hurwitz zeta ζ(s, q) = Σ_{k≥0} (k + q)^{−s}, s > 1, q > 0 (gsl_sf_hzeta_e):
    /// finite-lattice sums Σ_{r=1}^{R} r^{−s} = ζ(s) − ζ(s, R + 1).
    public static func hurwitzZeta(_ s: Double, _ q: Double) throws -> Estimate {
        try sf("gsl_sf_hzeta_e") { gsl_sf_hzeta_e(s, q, $0) }
    }

    /// Γ(x) (gsl_sf_gamma_e).
    public static func gamma(_ x: Double) throws -> Estimate {
        try sf("gsl_sf_gamma_e") { gsl_sf_gamma_e(x, $0) }
    }

    /// ln |Γ(x)| (gsl_sf_lngamma_e).
    public static func lnGamma(_ x: Double) throws -> Estimate {
        try sf("gsl_sf_lngamma_e") { gsl_sf_lngamma_e(x, $0) }
    }

    /// Digamma ψ(x) (gsl_sf_psi_e).
    public static func digamma(_ x: Double) throws -> Estimate {
        try sf("gsl_sf_psi_e") { gsl_sf_psi_e(x, $0) }
    }

    /// Error function erf(x) (gsl_sf_erf_e).
    public static func erf(_ x: Double) throws -> Estimate {
        try sf("gsl_sf_erf_e") { gsl_sf_erf_e(x, $0) }
    }

    /// Complementary error function erfc(x) (gsl_sf_erfc_e).
    public static func erfc(_ x: Double) throws -> Estimate {
        try sf("gsl_sf_erfc_e") { gsl_sf_erfc_e(x, $0) }
    }

    /// Regular cylindrical Bessel function J_n(x) (gsl_sf_bessel_Jn_e).
    public static func besselJ(_ n: Int, _ x: Double) throws -> Estimate {
        try sf("gsl_sf_bessel_Jn_e") { gsl_sf_bessel_Jn_e(Int32(n), x, $0) }
    }

    /// Modified Bessel function I_n(x) (gsl_sf_bessel_In_e).
    public static func besselI(_ n: Int, _ x: Double) throws -> Estimate {
        try sf("gsl_sf_bessel_In_e") { gsl_sf_bessel_In_e(Int32(n), x, $0) }
    }

    /// Legendre polynomial P_l(x) (gsl_sf_legendre_Pl_e).
    public static func legendreP(_ l: Int, _ x: Double) throws -> Estimate {
        try sf("gsl_sf_legendre_Pl_e") { gsl_sf_legendre_Pl_e(Int32(l), x, $0) }
    }

    /// Dilogarithm Li₂(x) (gsl_sf_dilog_e).
    public static func dilog(_ x: Double) throws -> Estimate {
        try sf("gsl_sf_dilog_e") { gsl_sf_dilog_e(x, $0) }
    }

    /// Exponential integral E₁(x) (gsl_sf_expint_E1_e).
    public static func expIntegralE1(_ x: Double) throws -> Estimate {
        try sf("gsl_sf_expint_E1_e") { gsl_sf_expint_E1_e(x, $0) }
    }

    /// Regularized upper incomplete gamma Q(a, x) = Γ(a, x)/Γ(a) (gsl_sf_gamma_inc_Q_e):
    /// the χ² tail probability of a fit with ν dof is Q(ν/2, χ²/2).
    public static func gammaQ(_ a: Double, _ x: Double) throws -> Estimate {
        try sf("gsl_sf_gamma_inc_Q_e") { gsl_sf_gamma_inc_Q_e(a, x, $0) }
    }

    /// Standard normal cumulative distribution Φ(x) (gsl_cdf_ugaussian_P).
    /// Evaluate a GSL `_e` special function into an `Estimate`, throwing on a bad status.
    static func sf(_ name: String, _ f: (UnsafeMutablePointer<gsl_sf_result>) -> Int32) throws -> Estimate {
        GSL.setUp()
        var r = gsl_sf_result()
        try check(f(&r), name)
        return Estimate(value: r.val, error: r.err)
    }

    public static func normalCDF(_ x: Double) -> Double { gsl_cdf_ugaussian_P(x) }

    /// Standard normal quantile Φ⁻¹(p) (gsl_cdf_ugaussian_Pinv).
    public static func normalQuantile(_ p: Double) -> Double { gsl_cdf_ugaussian_Pinv(p) }

    /// Student-t two-sided quantile helper: t such that P(|T_ν| ≤ t) = p (gsl_cdf_tdist_Pinv).
    public static func studentTQuantile(_ p: Double, dof: Double) -> Double { gsl_cdf_tdist_Pinv(p, dof) }
}
