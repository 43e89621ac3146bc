import CGSL

/// Special functions from GSL (the `_e` variants, so failures throw with an error estimate).
public enum SpecialFunctions {
    /// Riemann zeta ζ(s), s ≠ 1 (gsl_sf_zeta_e).
    public static func zeta(_ s: Double) throws -> Estimate {
        GSL.setUp(); var r = gsl_sf_result()
        try check(gsl_sf_zeta_e(s, &r), "gsl_sf_zeta_e")
        return Estimate(value: r.val, error: r.err)
    }

    /// Hurwitz zeta ζ(s, q) = Σ_{k≥0} (k + q)^{−s}, s > 1, q > 0 (gsl_sf_hzeta_e):
    /// finite-lattice sums Σ_{r=1}^{R} r^{−s} = ζ(s) − ζ(s, R + 1).
    public static func hurwitzZeta(_ s: Double, _ q: Double) throws -> Estimate {
        GSL.setUp(); var r = gsl_sf_result()
        try check(gsl_sf_hzeta_e(s, q, &r), "gsl_sf_hzeta_e")
        return Estimate(value: r.val, error: r.err)
    }

    /// Γ(x) (gsl_sf_gamma_e).
    public static func gamma(_ x: Double) throws -> Estimate {
        GSL.setUp(); var r = gsl_sf_result()
        try check(gsl_sf_gamma_e(x, &r), "gsl_sf_gamma_e")
        return Estimate(value: r.val, error: r.err)
    }

    /// ln |Γ(x)| (gsl_sf_lngamma_e).
    public static func lnGamma(_ x: Double) throws -> Estimate {
        GSL.setUp(); var r = gsl_sf_result()
        try check(gsl_sf_lngamma_e(x, &r), "gsl_sf_lngamma_e")
        return Estimate(value: r.val, error: r.err)
    }

    /// Digamma ψ(x) (gsl_sf_psi_e).
    public static func digamma(_ x: Double) throws -> Estimate {
        GSL.setUp(); var r = gsl_sf_result()
        try check(gsl_sf_psi_e(x, &r), "gsl_sf_psi_e")
        return Estimate(value: r.val, error: r.err)
    }

    /// Error function erf(x) (gsl_sf_erf_e).
    public static func erf(_ x: Double) throws -> Estimate {
        GSL.setUp(); var r = gsl_sf_result()
        try check(gsl_sf_erf_e(x, &r), "gsl_sf_erf_e")
        return Estimate(value: r.val, error: r.err)
    }

    /// Complementary error function erfc(x) (gsl_sf_erfc_e).
    public static func erfc(_ x: Double) throws -> Estimate {
        GSL.setUp(); var r = gsl_sf_result()
        try check(gsl_sf_erfc_e(x, &r), "gsl_sf_erfc_e")
        return Estimate(value: r.val, error: r.err)
    }

    /// Regular cylindrical Bessel function J_n(x) (gsl_sf_bessel_Jn_e).
    public static func besselJ(_ n: Int, _ x: Double) throws -> Estimate {
        GSL.setUp(); var r = gsl_sf_result()
        try check(gsl_sf_bessel_Jn_e(Int32(n), x, &r), "gsl_sf_bessel_Jn_e")
        return Estimate(value: r.val, error: r.err)
    }

    /// Modified Bessel function I_n(x) (gsl_sf_bessel_In_e).
    public static func besselI(_ n: Int, _ x: Double) throws -> Estimate {
        GSL.setUp(); var r = gsl_sf_result()
        try check(gsl_sf_bessel_In_e(Int32(n), x, &r), "gsl_sf_bessel_In_e")
        return Estimate(value: r.val, error: r.err)
    }

    /// Legendre polynomial P_l(x) (gsl_sf_legendre_Pl_e).
    public static func legendreP(_ l: Int, _ x: Double) throws -> Estimate {
        GSL.setUp(); var r = gsl_sf_result()
        try check(gsl_sf_legendre_Pl_e(Int32(l), x, &r), "gsl_sf_legendre_Pl_e")
        return Estimate(value: r.val, error: r.err)
    }

    /// Dilogarithm Li₂(x) (gsl_sf_dilog_e).
    public static func dilog(_ x: Double) throws -> Estimate {
        GSL.setUp(); var r = gsl_sf_result()
        try check(gsl_sf_dilog_e(x, &r), "gsl_sf_dilog_e")
        return Estimate(value: r.val, error: r.err)
    }

    /// Exponential integral E₁(x) (gsl_sf_expint_E1_e).
    public static func expIntegralE1(_ x: Double) throws -> Estimate {
        GSL.setUp(); var r = gsl_sf_result()
        try check(gsl_sf_expint_E1_e(x, &r), "gsl_sf_expint_E1_e")
        return Estimate(value: r.val, error: r.err)
    }

    /// Regularized upper incomplete gamma Q(a, x) = Γ(a, x)/Γ(a) (gsl_sf_gamma_inc_Q_e):
    /// the χ² tail probability of a fit with ν dof is Q(ν/2, χ²/2).
    public static func gammaQ(_ a: Double, _ x: Double) throws -> Estimate {
        GSL.setUp(); var r = gsl_sf_result()
        try check(gsl_sf_gamma_inc_Q_e(a, x, &r), "gsl_sf_gamma_inc_Q_e")
        return Estimate(value: r.val, error: r.err)
    }

    /// Standard normal cumulative distribution Φ(x) (gsl_cdf_ugaussian_P).
    public static func normalCDF(_ x: Double) -> Double { gsl_cdf_ugaussian_P(x) }

    /// Standard normal quantile Φ⁻¹(p) (gsl_cdf_ugaussian_Pinv).
    public static func normalQuantile(_ p: Double) -> Double { gsl_cdf_ugaussian_Pinv(p) }

    /// Student-t two-sided quantile helper: t such that P(|T_ν| ≤ t) = p (gsl_cdf_tdist_Pinv).
    public static func studentTQuantile(_ p: Double, dof: Double) -> Double { gsl_cdf_tdist_Pinv(p, dof) }
}
