#ifndef INCOGNITA_COPENBLAS_SHIM_H
#define INCOGNITA_COPENBLAS_SHIM_H
// Debian's libopenblas-dev: cblas.h (with openblas_set_num_threads) from the pthread variant's include folder,
// found through pkg-config (openblas.pc).
#include <cblas.h>
#endif
