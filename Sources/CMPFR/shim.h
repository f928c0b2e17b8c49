#ifndef INCOGNITA_CMPFR_SHIM_H
#define INCOGNITA_CMPFR_SHIM_H
#include <stdio.h>
#include <gmp.h>
#include <mpfr.h>
#endif
