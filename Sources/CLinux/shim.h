#ifndef BARRAGE_CLINUX_SHIM_H
#define BARRAGE_CLINUX_SHIM_H
// The Linux system calls barrage's event loops and threads use, beyond what Glibc's module exports.
#include <pthread.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <unistd.h>

// gettid and tgkill are GNU extensions Swift's Glibc module does not see. The kernel's id of the calling thread.
static inline pid_t clinux_gettid(void) {
    return (pid_t)syscall(SYS_gettid);
}

// Sends `sig` to the one thread `tid` of process `tgid`, not to the whole process (tests aim a signal at a signal
// watcher's thread this way, where a process-wide one could land on a thread that does not block it).
static inline int clinux_tgkill(pid_t tgid, pid_t tid, int sig) {
    return (int)syscall(SYS_tgkill, tgid, tid, sig);
}

// glibc exports pthread_setname_np, but its declaration needs _GNU_SOURCE, which a system module cannot set for
// headers another module has already built. Names `thread` from any thread (at most 15 bytes are kept).
extern int pthread_setname_np(pthread_t thread, const char *_Nonnull name);

static inline void clinux_name_thread(pthread_t thread, const char *_Nonnull name) {
    (void)pthread_setname_np(thread, name);
}

// prctl is variadic. Names the calling thread (at most 15 bytes are kept).
static inline void clinux_name_this_thread(const char *_Nonnull name) {
    (void)prctl(PR_SET_NAME, (unsigned long)name, 0UL, 0UL, 0UL);
}

#endif
