/* Writing mail that every relay and reader accepts (RFC 5322, 2045, 2047): CRLF line
 * ends only, no line over 998 octets, 7-bit bodies in quoted-printable, headers with
 * encoded-words of at most 75 characters folded onto lines of at most 76. */
#ifndef ALVD_MAIL_MIME_H
#define ALVD_MAIL_MIME_H

#include "alvd/base/buf.h"

#define MIME_LINE_OCTETS 76          /* a quoted-printable line, and a header line with encoded-words */
#define MIME_ENCODED_WORD_MAX 75     /* RFC 2047 */
#define MIME_HEADER_FOLD 78          /* plain header lines are folded before this */

/* "Name: value\r\n" for an unstructured field (Subject): printable ASCII is folded at
 * spaces; anything else (non-ASCII, a word too long to fold) becomes UTF-8 "B"
 * encoded-words, split only between characters. CR, LF and TAB in value become spaces. */
void mime_header_text(alvd_buf *out, const char *name, const char *value);

/* "Name: display <address>\r\n": the display name (may be NULL or "") as atoms, a
 * quoted string, or encoded-words when it is not ASCII. The address must already be
 * valid ASCII (rules_member_email_is_valid). */
void mime_header_address(alvd_buf *out, const char *name, const char *display, const char *address);

/* Split "Name <address>" (or a bare address) into its parts, in place: *display is
 * NULL when there is none. Returns 0, or -1 when no address is found. */
int mime_split_address(char *text, const char **display, const char **address);

/* The body text as quoted-printable (RFC 2045 6.7): any line ending (LF, CR, CRLF)
 * becomes CRLF, lines are soft-broken at 76, "=", control and 8-bit octets and trailing
 * white space are encoded, a "." opening a line too. Ends with CRLF. */
void mime_quoted_printable(alvd_buf *out, const char *text);

#endif
