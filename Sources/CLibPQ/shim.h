#ifndef INCOGNITA_CLIBPQ_SHIM_H
#define INCOGNITA_CLIBPQ_SHIM_H
#include <libpq-fe.h>
#endif
