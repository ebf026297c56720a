#ifndef BARRAGE_CLINUX_SHIM_H
#define BARRAGE_CLINUX_SHIM_H
// The Linux system calls barrage's event loops and threads use, beyond what Glibc's module exports.
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>

// prctl is variadic. Names the calling thread (at most 15 bytes are kept), as `top -H` and
// /proc/<pid>/task/<tid>/comm show it.
static inline void clinux_name_this_thread(const char *_Nonnull name) {
    (void)prctl(PR_SET_NAME, (unsigned long)name, 0UL, 0UL, 0UL);
}

#endif
