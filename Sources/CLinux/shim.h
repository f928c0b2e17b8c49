// Linux-only system calls that Glibc's Swift module does not export (epoll, eventfd),
// wrapped in small inline functions so Swift never touches the packed epoll_event struct.
#ifndef INCOGNITA_CLINUX_SHIM_H
#define INCOGNITA_CLINUX_SHIM_H
#include <sys/socket.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <stdint.h>
#include <errno.h>
#include <linux/filter.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <sys/ioctl.h>
#include <linux/sockios.h>

static inline int cl_epoll_create(void) { return epoll_create1(EPOLL_CLOEXEC); }

static const uint32_t CL_EPOLLIN = EPOLLIN;
static const uint32_t CL_EPOLLOUT = EPOLLOUT;
static const uint32_t CL_EPOLLERR = EPOLLERR;
static const uint32_t CL_EPOLLHUP = EPOLLHUP;
static const uint32_t CL_EPOLLRDHUP = EPOLLRDHUP;
static const uint32_t CL_EPOLLEXCLUSIVE = EPOLLEXCLUSIVE;

/// op: 0 add, 1 modify, 2 delete.
static inline int cl_epoll_ctl(int epfd, int op, int fd, uint32_t events) {
    struct epoll_event ev;
    ev.events = events;
    ev.data.u64 = 0;
    ev.data.fd = fd;
    int cop = op == 0 ? EPOLL_CTL_ADD : (op == 1 ? EPOLL_CTL_MOD : EPOLL_CTL_DEL);
    return epoll_ctl(epfd, cop, fd, &ev);
}

/// Waits and copies the ready descriptors and their events into two plain arrays.
static inline int cl_epoll_wait(int epfd, int *fds, uint32_t *events, int max, int timeoutMs) {
    struct epoll_event evs[256];
    if (max > 256) max = 256;
    int n = (int)syscall(SYS_epoll_pwait, epfd, evs, max, timeoutMs, (void *)0, (size_t)8);
    for (int i = 0; i < n; i++) { fds[i] = evs[i].data.fd; events[i] = evs[i].events; }
    return n;
}

static inline int cl_eventfd(void) { return eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC); }
/// accept4 is declared by glibc only under _GNU_SOURCE, which would change other headers for every
/// module that imports this one; declare the prototype here instead.
extern int accept4(int, struct sockaddr *, socklen_t *, int);

/// accept4 with SOCK_NONBLOCK | SOCK_CLOEXEC.
static inline int cl_accept(int fd) { return accept4(fd, 0, 0, SOCK_NONBLOCK | SOCK_CLOEXEC); }

static inline int cl_errno(void) { return errno; }

/// Attaches a classic BPF socket filter to a listening TCP socket that drops segments with SYN set and ACK
/// clear (new connection attempts) and lets everything else through, so handshakes already under way still
/// complete into the accept queue. A socket filter sees the segment from its TCP header on, whose byte 13
/// holds the flags. Returns 0 or -1 (errno set).
static inline int cl_refuse_new_connections(int fd) {
    struct sock_filter code[] = {
        { 0x30, 0, 0, 13 },          /* ldb [13]          (BPF_LD | BPF_B | BPF_ABS) */
        { 0x54, 0, 0, 0x12 },        /* and #0x12         (SYN | ACK) */
        { 0x15, 0, 1, 0x02 },        /* jeq #0x02, drop, keep */
        { 0x06, 0, 0, 0 },           /* drop: ret #0 */
        { 0x06, 0, 0, 0xFFFFFFFF },  /* keep: ret #-1 */
    };
    struct sock_fprog program = { sizeof(code) / sizeof(code[0]), code };
    return setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &program, sizeof(program));
}

/// recv, send and epoll_wait (above) as plain system calls. glibc's wrappers are thread-cancellation points,
/// which in a process with several threads costs two atomic updates around every call; nothing here uses
/// thread cancellation. Like the wrappers they return -1 and set errno on failure.
static inline long cl_recv(int fd, void *buf, size_t len) { return syscall(SYS_recvfrom, fd, buf, len, 0, (void *)0, (void *)0); }
static inline long cl_send(int fd, const void *buf, size_t len, int flags) { return syscall(SYS_sendto, fd, buf, len, flags, (void *)0, 0); }
/// Bytes in a socket's send queue not yet acknowledged by the peer (SIOCOUTQ); -1 on failure.
static inline int cl_unsent_bytes(int fd) { int n = 0; return ioctl(fd, SIOCOUTQ, &n) == 0 ? n : -1; }
#endif
