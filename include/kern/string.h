/* SPDX-License-Identifier: MIT */
#ifndef _KERN_STRING_H
#define _KERN_STRING_H

#include <kern/types.h>

/* gcc may emit calls to memcpy, memmove, memset and memcmp by itself. */
void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
void *memchr(const void *s, int c, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);
char *strrchr(const char *s, int c);
size_t strlcpy(char *dst, const char *src, size_t size);
bool glob_match(const char *pattern, const char *str);	/* '*', '?' */
/* Any of the comma-separated globs of patterns ("ipc*,timer_call"). */
bool glob_match_list(const char *patterns, const char *str);
unsigned long strtoul(const char *s, char **end, int base);
long strtol(const char *s, char **end, int base);

#endif /* _KERN_STRING_H */
