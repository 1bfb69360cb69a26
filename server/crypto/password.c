/* argon2id password hashing at libsodium's interactive limits, with a constant-work
 * path for unknown accounts so login timing does not reveal which e-mails exist. */
#include "alvd/crypto/password.h"

#include <sodium.h>
#include <string.h>

int password_hash(const char *password, char out[PASSWORD_HASH_SIZE], alvd_err *err)
{
    size_t length = strlen(password);
    if (length < PASSWORD_MIN_LENGTH || length > PASSWORD_MAX_LENGTH)
        return alvd_err_set(err, 422, "weak_password", "password",
                            "Een wachtwoord heeft %d tot %d tekens.", PASSWORD_MIN_LENGTH,
                            PASSWORD_MAX_LENGTH);
    if (crypto_pwhash_str(out, password, length, crypto_pwhash_OPSLIMIT_INTERACTIVE,
                          crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
        return alvd_err_set(err, 500, "out_of_memory", NULL, "Geen geheugen voor het wachtwoord.");
    return 0;
}

int password_verify(const char *hash, const char *password)
{
    if (hash == NULL) {
        char dummy[crypto_pwhash_STRBYTES];
        if (crypto_pwhash_str(dummy, "unknown-account", 15, crypto_pwhash_OPSLIMIT_INTERACTIVE,
                              crypto_pwhash_MEMLIMIT_INTERACTIVE) == 0)
            if (crypto_pwhash_str_verify(dummy, password, strlen(password)) == 0)
                return 0; /* the same work as a real check; the answer is always "no" */
        return 0;
    }
    return crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
}

int password_needs_rehash(const char *hash)
{
    return crypto_pwhash_str_needs_rehash(hash, crypto_pwhash_OPSLIMIT_INTERACTIVE,
                                          crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0;
}
