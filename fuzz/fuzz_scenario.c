/*
 * libFuzzer target: a scenario file's text through the loader, and, when
 * it loads, through everything `exobd check` and a run derive from it
 * (description, step and init parameters of every population, receptor
 * patches).  Bad input must come back as an error, never as a crash, an
 * overflow or undefined behaviour (ASan/UBSan stop on those).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exo_scenario.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    if (text == NULL)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    exo_error err = {0};
    exo_scenario *sc = NULL;
    if (exo_scenario_load_text(&sc, text, "fuzz.cfg", NULL, 0, &err) == EXO_OK) {
        static FILE *sink;
        if (sink == NULL)
            sink = fopen("/dev/null", "w");
        if (sink)
            exo_scenario_describe(sc, 32, sink);
        for (uint32_t k = 0; k < sc->n_pop; k++) {
            exo_step_params p;
            exo_slot_table t;
            exo_init_params ip;
            exo_scenario_step_params(sc, k, &p, &t);
            exo_scenario_init_params(sc, k, &ip);
        }
        exo_patch_info *patches = NULL;
        exo_scenario_patches(sc, &patches);
        free(patches);
        (void)exo_scenario_output_bytes(sc);
        exo_scenario_destroy(sc);
    } else if (err.msg[0] == '\0') {
        abort(); /* an error must say what is wrong */
    }
    free(text);
    return 0;
}
