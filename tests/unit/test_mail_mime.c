/* Unit tables for server/mail/mime.c and the address rule: folded headers (the issue's
 * 1,141-octet subject), encoded-words of at most 75 characters on lines of at most 76
 * (its 496-character one), quoted-printable bodies (its 1,021-octet HTML line), every
 * line CRLF-terminated, and which addresses mail can be sent to. */
#include "alvd/mail/mime.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "alvd/rules/member_import.h"
#include "check.h"

/* Every line ends in CRLF, no bare CR or LF, no line over `limit` octets, 7-bit only. */
static void check_lines(const char *text, size_t limit, const char *label)
{
    size_t line = 0, longest = 0;
    int bare = 0, eight_bit = 0;
    for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
        if (*p >= 0x80)
            eight_bit = 1;
        if (*p == '\r') {
            if (p[1] != '\n')
                bare = 1;
            else
                p++;
            if (line > longest)
                longest = line;
            line = 0;
        } else if (*p == '\n') {
            bare = 1;
        } else {
            line++;
        }
    }
    CHECK(!bare, "%s: a bare CR or LF", label);
    CHECK(!eight_bit, "%s: an 8-bit octet", label);
    CHECK(line == 0, "%s: the last line has no CRLF", label);
    CHECK(longest <= limit, "%s: a line of %zu octets (limit %zu)", label, longest, limit);
}

/* Undo the folding and the encoded-words of one header written by mime_header_text. */
static char *unfold_decode(const char *header, size_t name_length)
{
    alvd_buf out;
    buf_init(&out, 1 << 20);
    const char *p = header + name_length + 2;
    int after_word = 0;
    while (*p) {
        if (strncmp(p, "\r\n ", 3) == 0) { /* folding: the CRLF goes, the space stays */
            p += 2;
            /* between two encoded-words the white space goes as well (RFC 2047 6.2) */
            if (after_word && strncmp(p + 1, "=?", 2) == 0)
                p++;
            continue;
        }
        after_word = 0;
        if (strncmp(p, "\r\n", 2) == 0)
            break;
        if (strncmp(p, "=?UTF-8?B?", 10) == 0) {
            const char *end = strstr(p + 10, "?=");
            unsigned char decoded[128];
            size_t length = 0;
            CHECK(end && end - p + 2 <= MIME_ENCODED_WORD_MAX, "an encoded-word of %d characters", (int)(end - p + 2));
            if (end == NULL ||
                sodium_base642bin(decoded, sizeof decoded, p + 10, (size_t)(end - p - 10), NULL, &length, NULL,
                                  sodium_base64_VARIANT_ORIGINAL) != 0)
                break;
            buf_append(&out, (const char *)decoded, length);
            p = end + 2;
            after_word = 1;
            continue;
        }
        buf_append(&out, p, 1);
        p++;
    }
    buf_append(&out, "", 0);
    size_t length;
    return buf_take(&out, &length);
}

static void test_subject(void)
{
    alvd_buf long_ascii, long_dutch;
    buf_init(&long_ascii, 1 << 16);
    buf_init(&long_dutch, 1 << 16);
    while (long_ascii.length < 1141)
        buf_append_str(&long_ascii, "Oproeping voor de Algemene Ledenvergadering ");
    long_ascii.data[1141] = '\0';
    long_ascii.length = 1141;
    if (long_ascii.data[1140] == ' ')
        long_ascii.data[1140] = 'x';
    while (long_dutch.length < 700)
        buf_append_str(&long_dutch, "Oproeping: Één ALV über Zoë’s €-tarieven 👩🏽‍💼 — ");
    const char *cases[] = {"Inloggen bij de KSF", long_ascii.data, long_dutch.data, "Oproeping: Jaarvergadering\r\nmet regelovergang",
                           "Zoë", "", "€", NULL};
    for (size_t i = 0; cases[i]; i++) {
        alvd_buf out;
        buf_init(&out, 1 << 20);
        mime_header_text(&out, "Subject", cases[i]);
        buf_append(&out, "", 0);
        check_lines(out.data, 78, cases[i]);
        char *back = unfold_decode(out.data, strlen("Subject"));
        /* What comes back is the subject with CR/LF as spaces (and single spaces where
         * a plain header was folded). */
        char *expected = strdup(cases[i]);
        for (char *p = expected; *p; p++)
            if (*p == '\r' || *p == '\n')
                *p = ' ';
        if (strstr(out.data, "=?UTF-8?B?")) {
            CHECK_STR(back, expected, "encoded-words decode to the subject");
            /* A line with encoded-words is at most 76 octets. */
            check_lines(out.data, MIME_LINE_OCTETS, "encoded subject");
        } else {
            char collapsed[4096] = "";
            size_t used = 0;
            for (const char *p = expected; *p && used + 1 < sizeof collapsed; p++)
                if (!(*p == ' ' && (used == 0 || collapsed[used - 1] == ' ')))
                    collapsed[used++] = *p;
            while (used > 0 && collapsed[used - 1] == ' ')
                used--;
            collapsed[used] = '\0';
            CHECK_STR(back, collapsed, "a folded subject unfolds to itself");
        }
        free(back);
        free(expected);
        buf_free(&out);
    }
    /* One word longer than a line cannot be folded: it is encoded. */
    char word[1200];
    memset(word, 'a', sizeof word - 1);
    word[sizeof word - 1] = '\0';
    alvd_buf out;
    buf_init(&out, 1 << 20);
    mime_header_text(&out, "Subject", word);
    buf_append(&out, "", 0);
    check_lines(out.data, MIME_LINE_OCTETS, "a 1,199-octet word");
    CHECK(strstr(out.data, "=?UTF-8?B?") != NULL, "encoded");
    buf_free(&out);
    buf_free(&long_ascii);
    buf_free(&long_dutch);
}

static void test_addresses(void)
{
    static const struct {
        const char *display, *expected;
    } cases[] = {
        {"KSF secretariaat", "From: KSF secretariaat <secretariaat@ksf.example>\r\n"},
        {NULL, "From: <secretariaat@ksf.example>\r\n"},
        {"Secretariaat, KSF", "From: \"Secretariaat, KSF\" <secretariaat@ksf.example>\r\n"},
        {"Secretariaat \"KSF\"", "From: \"Secretariaat \\\"KSF\\\"\" <secretariaat@ksf.example>\r\n"},
        {"Secretariaat Zoë", "From: =?UTF-8?B?U2VjcmV0YXJpYWF0IFpvw6s=?=\r\n <secretariaat@ksf.example>\r\n"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        alvd_buf out;
        buf_init(&out, 4096);
        mime_header_address(&out, "From", cases[i].display, "secretariaat@ksf.example");
        buf_append(&out, "", 0);
        CHECK_STR(out.data, cases[i].expected, "From header");
        buf_free(&out);
    }
    char text[] = "KSF secretariaat <secretariaat@ksf.example>", bare[] = " info@ksf.example ",
         quoted[] = "\"Secretariaat, KSF\" <s@ksf.example>";
    const char *display, *address;
    CHECK(mime_split_address(text, &display, &address) == 0 && display && strcmp(display, "KSF secretariaat") == 0 &&
              strcmp(address, "secretariaat@ksf.example") == 0,
          "split name and address");
    CHECK(mime_split_address(bare, &display, &address) == 0 && display == NULL && strcmp(address, "info@ksf.example") == 0,
          "a bare address");
    CHECK(mime_split_address(quoted, &display, &address) == 0 && strcmp(display, "Secretariaat, KSF") == 0,
          "a quoted display name");
}

/* Decode quoted-printable (soft breaks and =XX) for the round trip. */
static char *qp_decode(const char *text)
{
    alvd_buf out;
    buf_init(&out, 1 << 22);
    for (const char *p = text; *p; p++) {
        if (*p == '=' && p[1] == '\r' && p[2] == '\n') {
            p += 2;
            continue;
        }
        if (*p == '=') {
            char hex[3] = {p[1], p[2], 0};
            char c = (char)strtol(hex, NULL, 16);
            buf_append(&out, &c, 1);
            p += 2;
            continue;
        }
        buf_append(&out, p, 1);
    }
    buf_append(&out, "", 0);
    size_t length;
    return buf_take(&out, &length);
}

static void test_quoted_printable(void)
{
    alvd_buf html;
    buf_init(&html, 1 << 16);
    buf_append_str(&html, "<!doctype html><html lang=\"nl\"><body><p>Beste Zoë,</p><h2>Agenda</h2><ol>");
    while (html.length < 1021 - 16)
        buf_append_str(&html, "<li>Voorstel €5 – “norm 6a”</li>");
    buf_append_str(&html, "</ol></body></html>");
    const char *cases[] = {html.data, "Beste Jan,\n\nRegel één.\nRegel twee.   \n.\n..punt\nTab\t\nEinde",
                           "a=b", "mac\rline\r\nwin\nunix", "", "ends with newline\n", NULL};
    for (size_t i = 0; cases[i]; i++) {
        alvd_buf out;
        buf_init(&out, 1 << 22);
        mime_quoted_printable(&out, cases[i]);
        buf_append(&out, "", 0);
        check_lines(out.data, MIME_LINE_OCTETS, "quoted-printable");
        CHECK(strstr(out.data, "\r\n.") == NULL && out.data[0] != '.', "no line starts with a dot");
        char *back = qp_decode(out.data);
        /* The original with every line ending as CRLF (and a final CRLF). */
        alvd_buf expected;
        buf_init(&expected, 1 << 22);
        for (const char *p = cases[i]; *p; p++) {
            if (*p == '\r' || *p == '\n') {
                if (*p == '\r' && p[1] == '\n')
                    p++;
                buf_append_str(&expected, "\r\n");
            } else {
                buf_append(&expected, p, 1);
            }
        }
        if (expected.length > 0 && !(expected.length >= 2 && strcmp(expected.data + expected.length - 2, "\r\n") == 0))
            buf_append_str(&expected, "\r\n");
        buf_append(&expected, "", 0);
        CHECK_STR(back, expected.data ? expected.data : "", "quoted-printable round trip");
        free(back);
        buf_free(&expected);
        buf_free(&out);
    }
    alvd_buf out;
    buf_init(&out, 4096);
    mime_quoted_printable(&out, "trailing space \nend=");
    buf_append(&out, "", 0);
    CHECK_STR(out.data, "trailing space=20\r\nend=3D\r\n", "white space before a line end and '=' are encoded");
    buf_free(&out);
    buf_free(&html);
}

static void test_email_rule(void)
{
    static const struct {
        const char *address;
        int valid;
    } cases[] = {
        {"jan@voorbeeld.nl", 1},
        {"o'brien+ksf.tag%_x-y=z&a{b}|~^#$!*/?@tekst.example", 1},
        {"a@b.co", 1},
        {"info@xn--zo-bia.example", 1},
        {"zoë@voorbeeld.nl", 0},
        {"jan@voorbeeld.nl\r\nBcc: x@y.nl", 0},
        {"\"quoted\"@voorbeeld.nl", 0},
        {"back\\slash@voorbeeld.nl", 0},
        {"alert(1)@voorbeeld.nl", 0},
        {"mrhaba@مرحبا.example", 0},
        {"jan@voorbeeld", 0},
        {"jan@.voorbeeld.nl", 0},
        {"jan@voorbeeld..nl", 0},
        {"jan@-voorbeeld.nl", 0},
        {"jan@voorbeeld-.nl", 0},
        {"jan@127.0.0.1", 0},
        {".jan@voorbeeld.nl", 0},
        {"jan.@voorbeeld.nl", 0},
        {"j..an@voorbeeld.nl", 0},
        {"@voorbeeld.nl", 0},
        {"jan", 0},
        {"jan voorbeeld@voorbeeld.nl", 0},
        {"jan@voor beeld.nl", 0},
        {"a@b@voorbeeld.nl", 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        CHECK_INT(rules_member_email_is_valid(cases[i].address), cases[i].valid, cases[i].address);
    char local[80], address[300];
    memset(local, 'a', 65);
    local[65] = '\0';
    snprintf(address, sizeof address, "%s@voorbeeld.nl", local);
    CHECK_INT(rules_member_email_is_valid(address), 0, "a local part of 65");
    local[64] = '\0';
    snprintf(address, sizeof address, "%s@voorbeeld.nl", local);
    CHECK_INT(rules_member_email_is_valid(address), 1, "a local part of 64");
}

int main(void)
{
    if (sodium_init() < 0)
        return 1;
    test_subject();
    test_addresses();
    test_quoted_printable();
    test_email_rule();
    return check_report("mail_mime");
}
