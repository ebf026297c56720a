#ifndef BARRAGE_CCURL_SHIM_H
#define BARRAGE_CCURL_SHIM_H
#include <curl/curl.h>

// curl_easy_setopt, curl_multi_setopt and curl_easy_getinfo are variadic in libcurl, which Swift cannot
// call. One typed wrapper per argument kind; each passes its argument through unchanged. Numeric options
// take `long` (libcurl's documented type), *_LARGE options and *_T infos take curl_off_t.

typedef size_t (*ccurl_data_cb)(char *_Nonnull ptr, size_t size, size_t nmemb, void *_Nullable userdata);
typedef int (*ccurl_socket_cb)(CURL *_Nonnull easy, curl_socket_t s, int what, void *_Nullable userp,
                               void *_Nullable socketp);
typedef int (*ccurl_timer_cb)(CURLM *_Nonnull multi, long timeout_ms, void *_Nullable userp);

// variadic in libcurl
static inline CURLcode ccurl_easy_setopt_long(CURL *_Nonnull h, CURLoption o, long v) {
    return curl_easy_setopt(h, o, v);
}
// variadic in libcurl
static inline CURLcode ccurl_easy_setopt_off(CURL *_Nonnull h, CURLoption o, curl_off_t v) {
    return curl_easy_setopt(h, o, v);
}
// variadic in libcurl; libcurl copies strings passed to string options (except POSTFIELDS).
static inline CURLcode ccurl_easy_setopt_str(CURL *_Nonnull h, CURLoption o, const char *_Nullable v) {
    return curl_easy_setopt(h, o, v);
}
// variadic in libcurl; the pointer must outlive its use by the handle.
static inline CURLcode ccurl_easy_setopt_ptr(CURL *_Nonnull h, CURLoption o, void *_Nullable v) {
    return curl_easy_setopt(h, o, v);
}
// variadic in libcurl
static inline CURLcode ccurl_easy_setopt_slist(CURL *_Nonnull h, CURLoption o, struct curl_slist *_Nullable v) {
    return curl_easy_setopt(h, o, v);
}
// variadic in libcurl: WRITEFUNCTION / HEADERFUNCTION.
static inline CURLcode ccurl_easy_setopt_write_cb(CURL *_Nonnull h, CURLoption o, ccurl_data_cb _Nullable v) {
    return curl_easy_setopt(h, o, v);
}
// variadic in libcurl: XFERINFOFUNCTION (progress; a non-zero return aborts the transfer).
typedef int (*ccurl_xferinfo_cb)(void *_Nullable clientp, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal,
                                 curl_off_t ulnow);
static inline CURLcode ccurl_easy_setopt_xferinfo_cb(CURL *_Nonnull h, ccurl_xferinfo_cb _Nullable v) {
    return curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, v);
}
// variadic in libcurl: the *_BLOB options (CAINFO_BLOB, SSLCERT_BLOB, SSLKEY_BLOB). libcurl copies the bytes
// (CURL_BLOB_COPY), so `data` need only live for the call.
static inline CURLcode ccurl_easy_setopt_blob(CURL *_Nonnull h, CURLoption o, const void *_Nonnull data, size_t len) {
    struct curl_blob blob = {(void *)data, len, CURL_BLOB_COPY};
    return curl_easy_setopt(h, o, &blob);
}
// variadic in libcurl
static inline CURLMcode ccurl_multi_setopt_long(CURLM *_Nonnull m, CURLMoption o, long v) {
    return curl_multi_setopt(m, o, v);
}
// variadic in libcurl
static inline CURLMcode ccurl_multi_setopt_ptr(CURLM *_Nonnull m, CURLMoption o, void *_Nullable v) {
    return curl_multi_setopt(m, o, v);
}
// variadic in libcurl
static inline CURLMcode ccurl_multi_setopt_socket_cb(CURLM *_Nonnull m, ccurl_socket_cb _Nullable v) {
    return curl_multi_setopt(m, CURLMOPT_SOCKETFUNCTION, v);
}
// variadic in libcurl
static inline CURLMcode ccurl_multi_setopt_timer_cb(CURLM *_Nonnull m, ccurl_timer_cb _Nullable v) {
    return curl_multi_setopt(m, CURLMOPT_TIMERFUNCTION, v);
}
// variadic in libcurl
static inline CURLcode ccurl_easy_getinfo_long(CURL *_Nonnull h, CURLINFO i, long *_Nonnull v) {
    return curl_easy_getinfo(h, i, v);
}
// variadic in libcurl
static inline CURLcode ccurl_easy_getinfo_off(CURL *_Nonnull h, CURLINFO i, curl_off_t *_Nonnull v) {
    return curl_easy_getinfo(h, i, v);
}
// variadic in libcurl; the string is owned by the handle and valid until its next transfer.
static inline CURLcode ccurl_easy_getinfo_str(CURL *_Nonnull h, CURLINFO i, char *_Nullable *_Nonnull v) {
    return curl_easy_getinfo(h, i, v);
}
// variadic in libcurl: CURLINFO_PRIVATE.
static inline CURLcode ccurl_easy_getinfo_ptr(CURL *_Nonnull h, CURLINFO i, void *_Nullable *_Nonnull v) {
    return curl_easy_getinfo(h, i, v);
}

// Macros Swift cannot import.
static const int ccurl_socket_timeout = CURL_SOCKET_TIMEOUT;
static const int ccurl_poll_in = CURL_POLL_IN;
static const int ccurl_poll_out = CURL_POLL_OUT;
static const int ccurl_poll_inout = CURL_POLL_INOUT;
static const int ccurl_poll_remove = CURL_POLL_REMOVE;
static const int ccurl_cselect_in = CURL_CSELECT_IN;
static const int ccurl_cselect_out = CURL_CSELECT_OUT;
static const int ccurl_cselect_err = CURL_CSELECT_ERR;
static const long ccurl_http_version_1_1 = CURL_HTTP_VERSION_1_1;
static const long ccurl_http_version_2tls = CURL_HTTP_VERSION_2TLS;
static const long ccurl_http_version_2_prior = CURL_HTTP_VERSION_2_PRIOR_KNOWLEDGE;
static const long ccurl_global_all = CURL_GLOBAL_ALL;

#endif
