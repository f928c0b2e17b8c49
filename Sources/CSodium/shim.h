#ifndef INCOGNITA_CSODIUM_SHIM_H
#define INCOGNITA_CSODIUM_SHIM_H
#include <sodium.h>
#endif
