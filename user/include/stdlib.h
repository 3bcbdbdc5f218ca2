/* SPDX-License-Identifier: MIT */
/* The C library's general utilities (user/lib/c/). */
#ifndef _STDLIB_H
#define _STDLIB_H

#include <stddef.h>

#define EXIT_SUCCESS	0
#define EXIT_FAILURE	1

/* strtol.c */
long strtol(const char *restrict s, char **restrict end, int base);
unsigned long strtoul(const char *restrict s, char **restrict end, int base);
long long strtoll(const char *restrict s, char **restrict end, int base);
unsigned long long strtoull(const char *restrict s, char **restrict end, int base);
int atoi(const char *s);
long atol(const char *s);

/* malloc.c: memory from vm_allocate(). */
void *malloc(size_t size);
void *calloc(size_t nmemb, size_t size);
void *realloc(void *ptr, size_t size);
void free(void *ptr);

/* exit.c: the task ends (task_terminate() of mach_task_self()). */
__attribute__((noreturn)) void exit(int status);
__attribute__((noreturn)) void _exit(int status);
__attribute__((noreturn)) void abort(void);
int atexit(void (*fn)(void));

extern char **environ;
char *getenv(const char *name);

#endif /* _STDLIB_H */
