#ifndef INCOGNITA_CGMP_SHIM_H
#define INCOGNITA_CGMP_SHIM_H
#include <stdlib.h>
#include <gmp.h>
#endif
