#ifndef BARRAGE_CZLIB_SHIM_H
#define BARRAGE_CZLIB_SHIM_H
#include <zlib.h>

// deflateInit2/inflateInit2 are macros in zlib.h (they pass ZLIB_VERSION and sizeof(z_stream)),
// which Swift cannot import, so they are wrapped here. windowBits 15+16 selects the gzip wrapper;
// 15+32 lets inflate auto-detect gzip or zlib headers.
static inline int czlib_deflate_init_gzip(z_streamp _Nonnull strm, int level) {
    return deflateInit2(strm, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
}
static inline int czlib_inflate_init_gzip(z_streamp _Nonnull strm) {
    return inflateInit2(strm, 15 + 32);
}
#endif
