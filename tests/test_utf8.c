/* UTF-8 validation and the SHA-256 behind the unchanged-document check. */
#include <string.h>

#include "check.h"
#include "sha256.h"
#include "utf8.h"

static const char *sha(const char *s)
{
    static char hex[65];
    struct hd_sha256 c;
    hd_sha256_init(&c);
    hd_sha256_update(&c, s, strlen(s));
    hd_sha256_hex(&c, hex);
    return hex;
}

int main(void)
{
    CHECK(hd_utf8_invalid_at("كيم Kim", strlen("كيم Kim")) == -1, "valid text refused");
    CHECK(hd_utf8_invalid_at("ab\xff", 3) == 2, "0xff accepted");
    CHECK(hd_utf8_invalid_at("a\xc0\xaf", 3) == 1, "overlong '/' accepted");
    CHECK(hd_utf8_invalid_at("\xed\xa0\x80", 3) == 0, "surrogate accepted");
    CHECK(hd_utf8_invalid_at("\xd9", 1) == 0, "truncated sequence accepted");
    CHECK(hd_utf8_invalid_at("a\0b", 3) == 1, "NUL accepted");
    CHECK(hd_utf8_count("كيم", strlen("كيم")) == 3, "code points");

    /* FIPS 180-4 test vectors */
    CHECK_STR(sha(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    CHECK_STR(sha("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    CHECK_STR(sha("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
              "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    return check_done("utf8");
}
