#ifndef FLOWSCOPE_CNCURSES_SHIM_H
#define FLOWSCOPE_CNCURSES_SHIM_H
// SwiftPM drops pkg-config's -D_XOPEN_SOURCE, which ncurses needs for its wide-character API.
#define NCURSES_WIDECHAR 1
#include <ncursesw/curses.h>
#include <langinfo.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

// Everything here is a stateless `static inline` wrapper for what Swift 6 cannot import: macros,
// C globals (rejected as shared mutable state) and unions. No static variables: each Swift object
// file gets its own copy of these functions, so state must live on the Swift side.

// MARK: - Globals

static inline WINDOW *nc_stdscr(void) { return stdscr; }
static inline WINDOW *nc_curscr(void) { return curscr; }
static inline int nc_lines(void) { return LINES; }
static inline int nc_cols(void) { return COLS; }
static inline int nc_colors(void) { return COLORS; }
static inline int nc_color_pairs(void) { return COLOR_PAIRS; }

static inline void nc_getmaxyx(WINDOW *window, int *rows, int *columns) {
  int y = 0, x = 0;
  getmaxyx(window, y, x);
  *rows = y;
  *columns = x;
}

/// The terminal screen on this process's stdout/stdin (`newterm`); NULL for an unknown `type`.
static inline SCREEN *nc_newterm(const char *type) { return newterm(type, stdout, stdin); }

/// Whether LC_CTYPE's codeset is UTF-8 (after `setlocale`).
static inline int nc_locale_is_utf8(void) {
  const char *codeset = nl_langinfo(CODESET);
  if (codeset == NULL) return 0;
  return strcasecmp(codeset, "UTF-8") == 0 || strcasecmp(codeset, "utf8") == 0;
}

/// Flushes every stdio output stream (ncurses' stdout included) before bytes go to fd 1 directly.
static inline void nc_flush_stdio(void) { fflush(NULL); }

// MARK: - Attributes and keys

static inline attr_t nc_a_normal(void) { return A_NORMAL; }
static inline attr_t nc_a_bold(void) { return A_BOLD; }
static inline attr_t nc_a_dim(void) { return A_DIM; }
static inline attr_t nc_a_reverse(void) { return A_REVERSE; }
static inline attr_t nc_a_underline(void) { return A_UNDERLINE; }
static inline int nc_key_f(int n) { return KEY_F(n); }

// MARK: - Drawing

/// Draws one grapheme (a spacing character plus up to four combining characters, NUL-terminated)
/// at (y, x) as a single cchar_t. `pair` may exceed SHRT_MAX (extended pairs). Returns
/// NC_GRAPHEME_REJECTED when setcchar refuses the text (e.g. two spacing characters), else the
/// result of mvwadd_wch (ERR at the bottom-right cell is normal: the cell is drawn anyway).
enum { NC_GRAPHEME_REJECTED = -2 };
static inline int nc_mvadd_grapheme(WINDOW *window, int y, int x, const wchar_t *text, attr_t attrs, int pair) {
  cchar_t cell;
  memset(&cell, 0, sizeof cell);
  short shortPair = pair <= 0x7fff ? (short)pair : 0;
  if (setcchar(&cell, text, attrs, shortPair, &pair) == ERR) return NC_GRAPHEME_REJECTED;
  return mvwadd_wch(window, y, x, &cell);
}

// MARK: - Mouse

/// Portable mouse bits reported by `nc_get_mouse` (independent of NCURSES_MOUSE_VERSION).
enum {
  NC_MOUSE_LEFT_PRESS = 1 << 0,
  NC_MOUSE_LEFT_RELEASE = 1 << 1,
  NC_MOUSE_MIDDLE_PRESS = 1 << 2,
  NC_MOUSE_MIDDLE_RELEASE = 1 << 3,
  NC_MOUSE_RIGHT_PRESS = 1 << 4,
  NC_MOUSE_RIGHT_RELEASE = 1 << 5,
  NC_MOUSE_WHEEL_UP = 1 << 6,
  NC_MOUSE_WHEEL_DOWN = 1 << 7,
};

/// Turns click and wheel reporting on or off (off leaves the terminal's own text selection working).
static inline int nc_set_mouse(int enabled) {
  mmask_t mask = 0;
  if (enabled) {
    mask = BUTTON1_PRESSED | BUTTON1_RELEASED | BUTTON1_CLICKED | BUTTON2_PRESSED | BUTTON2_RELEASED
      | BUTTON2_CLICKED | BUTTON3_PRESSED | BUTTON3_RELEASED | BUTTON3_CLICKED | BUTTON4_PRESSED;
#if NCURSES_MOUSE_VERSION > 1
    mask |= BUTTON5_PRESSED;
#endif
  }
  mmask_t old = 0;
  mousemask(mask, &old);
  return mask == 0 || has_mouse();
}

/// Reads the pending mouse event after KEY_MOUSE: its cell and NC_MOUSE_* bits. ERR if none.
static inline int nc_get_mouse(int *row, int *column, unsigned *bits) {
  MEVENT event;
  memset(&event, 0, sizeof event);
  if (getmouse(&event) != OK) return ERR;
  unsigned b = 0;
  mmask_t s = event.bstate;
  if (s & (BUTTON1_PRESSED | BUTTON1_CLICKED)) b |= NC_MOUSE_LEFT_PRESS;
  if (s & BUTTON1_RELEASED) b |= NC_MOUSE_LEFT_RELEASE;
  if (s & (BUTTON2_PRESSED | BUTTON2_CLICKED)) b |= NC_MOUSE_MIDDLE_PRESS;
  if (s & BUTTON2_RELEASED) b |= NC_MOUSE_MIDDLE_RELEASE;
  if (s & (BUTTON3_PRESSED | BUTTON3_CLICKED)) b |= NC_MOUSE_RIGHT_PRESS;
  if (s & BUTTON3_RELEASED) b |= NC_MOUSE_RIGHT_RELEASE;
  if (s & BUTTON4_PRESSED) b |= NC_MOUSE_WHEEL_UP;
#if NCURSES_MOUSE_VERSION > 1
  if (s & BUTTON5_PRESSED) b |= NC_MOUSE_WHEEL_DOWN;
#endif
  *row = event.y;
  *column = event.x;
  *bits = b;
  return OK;
}

// MARK: - Signals (async-signal-safe, stateless)

typedef void (*nc_signal_handler)(int, siginfo_t *, void *);

/// Installs `handler` (SA_SIGINFO, all signals blocked while it runs) and stores the old action.
static inline int nc_install_signal_handler(int sig, nc_signal_handler handler, int flags, struct sigaction *previous) {
  struct sigaction action;
  memset(&action, 0, sizeof action);
  sigfillset(&action.sa_mask);
  action.sa_sigaction = handler;
  action.sa_flags = SA_SIGINFO | flags;
  return sigaction(sig, &action, previous);
}

/// Puts back a saved action.
static inline int nc_restore_signal_action(int sig, const struct sigaction *action) {
  return sigaction(sig, action, NULL);
}

/// Sets the default disposition, storing the old action when `previous` is not NULL.
static inline int nc_set_default_signal_action(int sig, struct sigaction *previous) {
  struct sigaction action;
  memset(&action, 0, sizeof action);
  sigemptyset(&action.sa_mask);
  action.sa_handler = SIG_DFL;
  return sigaction(sig, &action, previous);
}

/// Calls a saved action's handler, unless it is SIG_DFL or SIG_IGN (used to chain to ncurses).
static inline void nc_call_signal_action(const struct sigaction *action, int sig, siginfo_t *info, void *context) {
  if (action->sa_flags & SA_SIGINFO) {
    if (action->sa_sigaction != NULL) action->sa_sigaction(sig, info, context);
  } else if (action->sa_handler != SIG_DFL && action->sa_handler != SIG_IGN && action->sa_handler != NULL) {
    action->sa_handler(sig);
  }
}

/// Unblocks `sig` for the calling thread (a thread created by Dispatch may have it blocked).
static inline int nc_unblock_signal(int sig) {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, sig);
  return pthread_sigmask(SIG_UNBLOCK, &set, NULL);
}

/// Unblocks, for the calling thread, the signals the terminal handles (threads made by Dispatch or
/// the Swift runtime block most of them), storing the previous mask in `previous`.
static inline int nc_unblock_terminal_signals(sigset_t *previous) {
  sigset_t set;
  sigemptyset(&set);
  int signals[] = {SIGTERM, SIGHUP, SIGINT, SIGWINCH, SIGTSTP, SIGCONT, SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGTRAP};
  for (unsigned i = 0; i < sizeof signals / sizeof signals[0]; i++) sigaddset(&set, signals[i]);
  return pthread_sigmask(SIG_UNBLOCK, &set, previous);
}

/// Puts back a signal mask saved by `nc_unblock_terminal_signals`.
static inline int nc_restore_signal_mask(const sigset_t *mask) { return pthread_sigmask(SIG_SETMASK, mask, NULL); }

/// Gives the calling thread an alternate signal stack of `size` bytes at `memory`, unless it has
/// one already (so a stack overflow still runs the terminal-restoring handler). 1 if installed.
static inline int nc_ensure_alternate_signal_stack(void *memory, size_t size) {
  stack_t current;
  memset(&current, 0, sizeof current);
  if (sigaltstack(NULL, &current) == 0 && !(current.ss_flags & SS_DISABLE)) return 0;
  stack_t stack;
  memset(&stack, 0, sizeof stack);
  stack.ss_sp = memory;
  stack.ss_size = size;
  return sigaltstack(&stack, NULL) == 0 ? 1 : 0;
}

#endif
