/* Reference timings with the system GMP, same algorithms as Sources/Primes:
 *   ll P        Lucas–Lehmer of 2^P - 1 with shift-and-add reduction; prints "seconds res64"
 *   decimal P   mpz_get_str of 2^P - 1; prints "seconds digits"
 *   llper P N   N Lucas–Lehmer iterations once the residue has its full size (after 64 unmeasured ones);
 *               prints "seconds-per-iteration N", for extrapolating runs that would take an hour
 * Build: cc -O2 -o gmp_reference gmp_reference.c -lgmp
 */
#include <gmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* CPU time of this process: insensitive to other processes competing for the cores. */
static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

int main(int argc, char **argv) {
    if (argc < 3) { fprintf(stderr, "usage: %s ll|decimal|llper P [N]\n", argv[0]); return 2; }
    unsigned long p = strtoul(argv[2], NULL, 10);
    mpz_t m, s, t, h;
    mpz_inits(m, s, t, h, NULL);
    mpz_setbit(m, p);
    mpz_sub_ui(m, m, 1);
    if (strcmp(argv[1], "ll") == 0 || strcmp(argv[1], "llper") == 0) {
        int per = strcmp(argv[1], "llper") == 0;
        unsigned long n = per ? strtoul(argv[3], NULL, 10) + 64 : p - 2;
        double start = now();
        mpz_set_ui(s, 4);
        for (unsigned long i = 0; i < n; i++) {
            if (per && i == 64) start = now();
            mpz_mul(t, s, s);
            mpz_tdiv_q_2exp(h, t, p);
            mpz_tdiv_r_2exp(t, t, p);
            mpz_add(s, t, h);
            if (mpz_cmp(s, m) >= 0) mpz_sub(s, s, m);
            mpz_sub_ui(s, s, 2);
            if (mpz_sgn(s) < 0) mpz_add(s, s, m);
        }
        if (mpz_cmp(s, m) == 0) mpz_set_ui(s, 0);
        double elapsed = now() - start;
        if (per) { printf("%.9f %lu\n", elapsed / (n - 64), n - 64); return 0; }
        printf("%.6f %016lX\n", elapsed, (unsigned long)mpz_getlimbn(s, 0));
    } else {
        double start = now();
        char *str = mpz_get_str(NULL, 10, m);
        double elapsed = now() - start;
        printf("%.6f %zu\n", elapsed, strlen(str));
        free(str);
    }
    return 0;
}
