#ifndef PAPERVERIFY_CLAPACK_SHIM_H
#define PAPERVERIFY_CLAPACK_SHIM_H
/* LAPACKE's complex types default to C99 `double _Complex`, which Swift does not import.
   Declare them as plain {re, im} structs: the same memory layout as C's double complex
   and as swift-numerics' Complex<Double>. */
typedef struct { float re, im; } pv_complex_float;
typedef struct { double re, im; } pv_complex_double;
#define lapack_complex_float pv_complex_float
#define lapack_complex_double pv_complex_double
#include <lapacke.h>
/* OpenBLAS's own cblas.h (found through pkg-config openblas): declares
   openblas_set_num_threads and openblas_get_config as well. */
#include <cblas.h>
#endif
