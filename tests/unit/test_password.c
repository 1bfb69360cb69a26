/* Unit tests for server/crypto/password.c: a login for an unknown account costs the
 * same one argon2id run as for a known one, and the dummy hash stays at today's
 * parameters (so its cost follows them). */
#include "alvd/crypto/password.h"

#include <sodium.h>
#include <string.h>

#include "check.h"

int main(void)
{
    if (sodium_init() < 0)
        return 1;
    alvd_err err;
    alvd_err_clear(&err);
    char hash[PASSWORD_HASH_SIZE];
    CHECK(password_hash("een-goed-wachtwoord", hash, &err) == 0, "hash: %s", err.message);
    CHECK(password_needs_rehash(password_dummy_hash()) == 0, "the dummy hash has today's parameters");
    CHECK(strncmp(password_dummy_hash(), hash, strlen("$argon2id$v=19$m=65536,t=2,p=1$")) == 0,
          "dummy and real hashes share their parameters: %s", password_dummy_hash());

    unsigned long long before = password_argon2_runs();
    CHECK(password_verify(hash, "een-goed-wachtwoord") == 1, "the right password");
    unsigned long long known_right = password_argon2_runs() - before;
    before = password_argon2_runs();
    CHECK(password_verify(hash, "een-fout-wachtwoord") == 0, "a wrong password");
    unsigned long long known_wrong = password_argon2_runs() - before;
    before = password_argon2_runs();
    CHECK(password_verify(NULL, "een-goed-wachtwoord") == 0, "an unknown account never matches");
    CHECK(password_verify(NULL, "no account has this password: alvd") == 0,
          "not even with the dummy hash's own password");
    unsigned long long unknown = (password_argon2_runs() - before) / 2;
    CHECK_INT(known_right, 1, "argon2id runs for a known account, right password");
    CHECK_INT(known_wrong, 1, "argon2id runs for a known account, wrong password");
    CHECK_INT(unknown, 1, "argon2id runs for an unknown account");
    return check_report("password");
}
