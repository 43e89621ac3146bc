#ifndef PAPERVERIFY_CARPACK_SHIM_H
#define PAPERVERIFY_CARPACK_SHIM_H
/* ARPACK-NG's ISO_C_BINDING entry points (libarpack, arpack-ng >= 3.6), declared here
   instead of including <arpack/arpack.h>: that header uses C99 `double _Complex`, which
   Swift does not import. `pv_arpack_complex` has the layout of C's double complex (and of
   swift-numerics' Complex<Double>); passed by value (zneupd_c's sigma) it also has the same
   calling convention as `double _Complex` on x86-64 SysV and AArch64 (two FP registers).
   a_int is `int` (Debian builds arpack-ng without INTERFACE64). */
typedef struct { double re, im; } pv_arpack_complex;

void dsaupd_c(int *ido, const char *bmat, int n, const char *which, int nev, double tol,
              double *resid, int ncv, double *v, int ldv, int *iparam, int *ipntr,
              double *workd, double *workl, int lworkl, int *info);
void dseupd_c(int rvec, const char *howmny, const int *select, double *d, double *z, int ldz,
              double sigma, const char *bmat, int n, const char *which, int nev, double tol,
              double *resid, int ncv, double *v, int ldv, int *iparam, int *ipntr,
              double *workd, double *workl, int lworkl, int *info);
void znaupd_c(int *ido, const char *bmat, int n, const char *which, int nev, double tol,
              pv_arpack_complex *resid, int ncv, pv_arpack_complex *v, int ldv, int *iparam,
              int *ipntr, pv_arpack_complex *workd, pv_arpack_complex *workl, int lworkl,
              double *rwork, int *info);
void zneupd_c(int rvec, const char *howmny, const int *select, pv_arpack_complex *d,
              pv_arpack_complex *z, int ldz, pv_arpack_complex sigma, pv_arpack_complex *workev,
              const char *bmat, int n, const char *which, int nev, double tol,
              pv_arpack_complex *resid, int ncv, pv_arpack_complex *v, int ldv, int *iparam,
              int *ipntr, pv_arpack_complex *workd, pv_arpack_complex *workl, int lworkl,
              double *rwork, int *info);
#endif
