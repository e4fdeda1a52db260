/*
 * exo_test: the test harness.  A test program is a main() that calls
 * EXO_TEST_* checks and returns exo_test_finish().  Every failed check
 * prints file:line, the expression, the expected and actual values and the
 * tolerance.  Exit codes follow ctest: 0 pass, 1 fail, 77 skip.
 */
#ifndef EXO_TEST_H
#define EXO_TEST_H

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EXO_TEST_SKIP 77

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif

static int exo_test_failures_;
static int exo_test_checks_;

#define EXO_TEST_TRUE(cond, ...)                                              \
    do {                                                                      \
        exo_test_checks_++;                                                   \
        if (!(cond)) {                                                        \
            exo_test_failures_++;                                             \
            fprintf(stderr, "%s:%d: FAIL: %s: ", __FILE__, __LINE__, #cond);  \
            fprintf(stderr, __VA_ARGS__);                                     \
            fputc('\n', stderr);                                              \
        }                                                                     \
    } while (0)

/* |actual - expected| <= tol, printing the z-like ratio deviation / tol. */
#define EXO_TEST_NEAR(actual, expected, tol, what)                            \
    do {                                                                      \
        double a_ = (double)(actual), e_ = (double)(expected);                \
        double t_ = (double)(tol);                                            \
        exo_test_checks_++;                                                   \
        int ok_ = fabs(a_ - e_) <= t_;                                        \
        if (!ok_) exo_test_failures_++;                                       \
        fprintf(ok_ ? stdout : stderr,                                        \
                "%s:%d: %s: %s: expected %.9g, got %.9g, tolerance %.3g "     \
                "(deviation/tolerance %.2f)\n",                               \
                __FILE__, __LINE__, ok_ ? "ok" : "FAIL", (what), e_, a_, t_,  \
                t_ > 0 ? fabs(a_ - e_) / t_ : 0.0);                           \
    } while (0)

#define EXO_TEST_EQ_INT(actual, expected, what)                               \
    do {                                                                      \
        long long a_ = (long long)(actual), e_ = (long long)(expected);       \
        exo_test_checks_++;                                                   \
        if (a_ != e_) {                                                       \
            exo_test_failures_++;                                             \
            fprintf(stderr, "%s:%d: FAIL: %s: expected %lld, got %lld\n",     \
                    __FILE__, __LINE__, (what), e_, a_);                      \
        }                                                                     \
    } while (0)

#define EXO_TEST_CONTAINS(haystack, needle)                                   \
    do {                                                                      \
        const char *h_ = (haystack), *n_ = (needle);                          \
        exo_test_checks_++;                                                   \
        if (h_ == NULL || strstr(h_, n_) == NULL) {                           \
            exo_test_failures_++;                                             \
            fprintf(stderr, "%s:%d: FAIL: expected text containing \"%s\", "  \
                    "got \"%s\"\n", __FILE__, __LINE__, n_,                   \
                    h_ ? h_ : "(null)");                                      \
        }                                                                     \
    } while (0)

/** Make a fresh directory for a test's files, $TMPDIR/<name>_<random>
 *  (or /tmp/...), into out; returns 0, or -1 after saying why.  The six
 *  X are mkdtemp's template, the one place the tests spell it. */
static inline int exo_test_temp_dir(const char *name, char *out, size_t size)
{
    const char *tmp = getenv("TMPDIR");
    int n = snprintf(out, size, "%s/%s_XXXXXX", tmp && *tmp ? tmp : "/tmp", name);
    if (n < 0 || (size_t)n >= size || mkdtemp(out) == NULL) {
        perror("exo_test_temp_dir: mkdtemp");
        return -1;
    }
    return 0;
}

static inline int exo_test_finish(const char *name)
{
    if (exo_test_checks_ == 0) {
        fprintf(stderr, "%s: no checks ran\n", name);
        return 1;
    }
    printf("%s: %d checks, %d failed\n", name, exo_test_checks_,
           exo_test_failures_);
    return exo_test_failures_ ? 1 : 0;
}

#endif /* EXO_TEST_H */
