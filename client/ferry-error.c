/* ferry-error.c - the FERRY_ERROR domain */
#include "ferry-error.h"

G_DEFINE_QUARK(ferry-error-quark, ferry_error)
