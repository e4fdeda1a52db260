/*
 * libFuzzer target: the unit parser on any string, for every dimension.
 * A failure must explain itself; a success must give a finite number.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "exo_units.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    char *text = malloc(size);
    if (text == NULL)
        return 0;
    memcpy(text, data + 1, size - 1);
    text[size - 1] = '\0';
    exo_dim dim = (exo_dim)(data[0] % EXO_DIM_COUNT_);
    double v = 0;
    char why[256] = "";
    if (exo_units_parse(text, dim, &v, why, sizeof why) == 0) {
        if (!isfinite(v))
            abort(); /* a parsed value is finite */
    } else if (why[0] == '\0') {
        abort(); /* a rejection says why */
    }
    free(text);
    return 0;
}
