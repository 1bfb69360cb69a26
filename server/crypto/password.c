/* argon2id password hashing at libsodium's interactive limits, with a constant-work
 * path for unknown accounts so login timing does not reveal which e-mails exist. */
#include "alvd/crypto/password.h"

#include <sodium.h>
#include <string.h>

/* An argon2id hash at today's parameters of a password nobody has: an unknown account
 * is checked against it, so it costs exactly one argon2id run, like a known one
 * (tests/unit/test_password.c checks the parameters stay current). */
#define PASSWORD_DUMMY_HASH "$argon2id$v=19$m=65536,t=2,p=1$64opbZAcmfQRzwPYLb/LNg$GS427PzOyaoPDGKARdxlKJ5g1PbEVc5v5iNkuYFZQjg"

/* argon2id runs so far (process-wide; for tests and metrics). */
static unsigned long long password_runs;

unsigned long long password_argon2_runs(void) { return __atomic_load_n(&password_runs, __ATOMIC_RELAXED); }

/* In a buffer of the size crypto_pwhash_str_verify reads. */
static const char password_dummy[crypto_pwhash_STRBYTES] = PASSWORD_DUMMY_HASH;

const char *password_dummy_hash(void) { return password_dummy; }

int password_hash(const char *password, char out[PASSWORD_HASH_SIZE], alvd_err *err)
{
    size_t length = strlen(password);
    if (length < PASSWORD_MIN_LENGTH || length > PASSWORD_MAX_LENGTH)
        return alvd_err_set(err, 422, "weak_password", "password",
                            "Een wachtwoord heeft %d tot %d tekens.", PASSWORD_MIN_LENGTH,
                            PASSWORD_MAX_LENGTH);
    __atomic_add_fetch(&password_runs, 1, __ATOMIC_RELAXED);
    if (crypto_pwhash_str(out, password, length, crypto_pwhash_OPSLIMIT_INTERACTIVE,
                          crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
        return alvd_err_set(err, 500, "out_of_memory", NULL, "Geen geheugen voor het wachtwoord.");
    return 0;
}

int password_verify(const char *hash, const char *password)
{
    __atomic_add_fetch(&password_runs, 1, __ATOMIC_RELAXED);
    if (hash == NULL) {
        /* The same one run as a real check; whatever it says, the answer is "no". */
        int matched = crypto_pwhash_str_verify(password_dummy, password, strlen(password)) == 0;
        (void)matched;
        return 0;
    }
    return crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
}

int password_needs_rehash(const char *hash)
{
    return crypto_pwhash_str_needs_rehash(hash, crypto_pwhash_OPSLIMIT_INTERACTIVE,
                                          crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0;
}
