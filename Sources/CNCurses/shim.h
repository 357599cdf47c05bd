#ifndef FLOWSCOPE_CNCURSES_SHIM_H
#define FLOWSCOPE_CNCURSES_SHIM_H
// SwiftPM drops pkg-config's -D_XOPEN_SOURCE, which ncurses needs for its wide-character API.
#define NCURSES_WIDECHAR 1
#include <ncursesw/curses.h>
#include <locale.h>
#include <langinfo.h>
#include <stdio.h>

#endif
