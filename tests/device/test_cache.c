/*
 * test_cache: compiled program binaries are cached per device and source
 * hash, so a second run does not recompile, and the cached program computes
 * exactly what the compiled one did.
 */
#include <dirent.h>
#include <stdlib.h>
#include <unistd.h>

#include "exo_test_sim.h"

static exo_sim *create(const exo_scenario *sc, const char *cache)
{
    exo_error err = {0};
    exo_sim *sim = NULL;
    exo_run_options opt;
    memset(&opt, 0, sizeof opt);
    opt.output_path = "";
    opt.cache_dir = cache;
    if (exo_sim_create(&sim, sc, &opt, &err) != EXO_OK) {
        if (strstr(err.msg, "no OpenCL platform"))
            exit(EXO_TEST_SKIP);
        fprintf(stderr, "exo_sim_create: %s\n", err.msg);
        exit(1);
    }
    return sim;
}

static int count_files(const char *dir, const char *suffix)
{
    DIR *d = opendir(dir);
    int n = 0;
    struct dirent *e;
    while (d && (e = readdir(d)) != NULL) {
        size_t l = strlen(e->d_name), s = strlen(suffix);
        n += l > s && strcmp(e->d_name + l - s, suffix) == 0;
    }
    if (d)
        closedir(d);
    return n;
}

int main(void)
{
    char cache[128];
    if (exo_test_temp_dir("exobd_test_cache", cache, sizeof cache) != 0)
        return 1;
    exo_scenario *sc = exo_test_scenario(
        "simulation = { dt = \"10 us\"; steps = 10; };\n"
        "vesicles = ( { count = 500; radius = \"50 nm\"; } );\n"
        "geometry = { box = { lower = [0.0, 0.0, 0.0]; upper = [5.0, 5.0, 5.0]; }; };\n"
        "output = { file = \"\"; };\n");

    exo_sim *a = create(sc, cache);
    EXO_TEST_EQ_INT(exo_sim_program_from_cache(a), 0, "first run compiles");
    EXO_TEST_EQ_INT(count_files(cache, ".bin"), 1, "binaries in the cache after the first run");
    exo_test_advance(a, 10);
    exo_test_state sa = exo_test_read(a);
    exo_sim_destroy(a, NULL);

    exo_sim *b = create(sc, cache);
    EXO_TEST_EQ_INT(exo_sim_program_from_cache(b), 1, "second run loads the cached binary");
    exo_test_advance(b, 10);
    exo_test_state sb = exo_test_read(b);
    exo_sim_destroy(b, NULL);
    EXO_TEST_TRUE(memcmp(sa.pos, sb.pos, 3 * sa.n * sizeof(float)) == 0,
                  "cached program gives different positions");

    /* A corrupt cache entry is rebuilt, not trusted. */
    DIR *d = opendir(cache);
    struct dirent *e;
    char path[4096] = "";
    while (d && (e = readdir(d)) != NULL)
        if (strstr(e->d_name, ".bin"))
            snprintf(path, sizeof path, "%s/%s", cache, e->d_name);
    if (d)
        closedir(d);
    FILE *f = fopen(path, "wb");
    if (f) {
        fputs("not a program binary", f);
        fclose(f);
    }
    exo_sim *c = create(sc, cache);
    EXO_TEST_EQ_INT(exo_sim_program_from_cache(c), 0, "a corrupt cache entry is rebuilt");
    exo_sim_destroy(c, NULL);

    exo_test_state_free(&sa);
    exo_test_state_free(&sb);
    exo_scenario_destroy(sc);
    exo_test_remove_dir(cache);
    return exo_test_finish("test_cache");
}
