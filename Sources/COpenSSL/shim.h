#ifndef BARRAGE_COPENSSL_SHIM_H
#define BARRAGE_COPENSSL_SHIM_H
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

// OpenSSL macros Swift cannot import, as typed functions passing their arguments through unchanged.

// SSL_set_tlsext_host_name (a macro over SSL_ctrl): the SNI name.
static inline long copenssl_set_sni(SSL *_Nonnull ssl, const char *_Nonnull name) {
    return SSL_set_tlsext_host_name(ssl, name);
}
// SSL_CTX_set_mode (a macro over SSL_CTX_ctrl).
static inline long copenssl_ctx_set_mode(SSL_CTX *_Nonnull ctx, long mode) { return SSL_CTX_set_mode(ctx, mode); }
// SSL_CTX_set_min_proto_version (a macro over SSL_CTX_ctrl).
static inline long copenssl_ctx_set_min_version(SSL_CTX *_Nonnull ctx, int version) {
    return SSL_CTX_set_min_proto_version(ctx, version);
}
static const long copenssl_mode_partial_write = SSL_MODE_ENABLE_PARTIAL_WRITE;
static const long copenssl_mode_moving_buffer = SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER;
static const long copenssl_mode_release_buffers = SSL_MODE_RELEASE_BUFFERS;
static const uint64_t copenssl_op_no_ticket = SSL_OP_NO_TICKET;
static const uint64_t copenssl_op_ignore_unexpected_eof = SSL_OP_IGNORE_UNEXPECTED_EOF;
static const int copenssl_tls1_2 = TLS1_2_VERSION;
// ERR_GET_LIB / ERR_GET_REASON are inline functions in OpenSSL 3, macros before.
static inline int copenssl_err_lib(unsigned long e) { return ERR_GET_LIB(e); }
static inline int copenssl_err_reason(unsigned long e) { return ERR_GET_REASON(e); }
static const int copenssl_lib_ssl = ERR_LIB_SSL;
static const int copenssl_ad_reason_offset = SSL_AD_REASON_OFFSET;
static const int copenssl_r_wrong_version_number = SSL_R_WRONG_VERSION_NUMBER;
static const int copenssl_r_packet_length_too_long = SSL_R_PACKET_LENGTH_TOO_LONG;
#endif
