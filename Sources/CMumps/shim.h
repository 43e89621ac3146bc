#ifndef PAPERVERIFY_CMUMPS_SHIM_H
#define PAPERVERIFY_CMUMPS_SHIM_H
/* MUMPS C interface: DMUMPS_STRUC_C / dmumps_c (real) and ZMUMPS_STRUC_C / zmumps_c
   (complex; ZMUMPS_COMPLEX is a {double r, i;} struct, the layout of Complex<Double>).
   MUMPS_INT is 32-bit (Debian builds without -DINTSIZE64); nnz is 64-bit. */
#include <dmumps_c.h>
#include <zmumps_c.h>
#endif
