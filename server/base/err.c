/* alvd_err: the one way functions say why they failed.
 * Kept tiny so every layer, including the pure rules, can use it. */
#include "alvd/base/err.h"

#include <stdio.h>
#include <string.h>

int alvd_err_set(alvd_err *err, int status, const char *code, const char *field,
                 const char *format, ...)
{
    if (err == NULL)
        return -1;
    err->status = status;
    snprintf(err->code, sizeof err->code, "%s", code ? code : "error");
    snprintf(err->field, sizeof err->field, "%s", field ? field : "");
    va_list args;
    va_start(args, format);
    vsnprintf(err->message, sizeof err->message, format, args);
    va_end(args);
    return -1;
}

void alvd_err_clear(alvd_err *err)
{
    if (err != NULL)
        memset(err, 0, sizeof *err);
}

int alvd_err_is_set(const alvd_err *err)
{
    return err != NULL && err->status != 0;
}
