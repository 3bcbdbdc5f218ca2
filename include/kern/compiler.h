/* SPDX-License-Identifier: MIT */
/*
 * Compiler attributes, sparse annotations and small helpers used everywhere.
 */
#ifndef _KERN_COMPILER_H
#define _KERN_COMPILER_H

#ifdef __CHECKER__
/* sparse: address spaces and restricted types */
# define __user		__attribute__((noderef, address_space(__user)))
# define __iomem	__attribute__((noderef, address_space(__iomem)))
# define __kernel	__attribute__((address_space(0)))
# define __force	__attribute__((force))
# define __bitwise	__attribute__((bitwise))
# define __must_hold(x)	__attribute__((context(x, 1, 1)))
# define __acquires(x)	__attribute__((context(x, 0, 1)))
# define __releases(x)	__attribute__((context(x, 1, 0)))
#else
# define __user
# define __iomem
# define __kernel
# define __force
# define __bitwise
# define __must_hold(x)
# define __acquires(x)
# define __releases(x)
#endif

#define __noreturn		__attribute__((__noreturn__))
#define __packed		__attribute__((__packed__))
#define __aligned(x)		__attribute__((__aligned__(x)))
#define __section(s)		__attribute__((__section__(s)))
#define __used			__attribute__((__used__))
#define __unused		__attribute__((__unused__))
#define __maybe_unused		__attribute__((__unused__))
#define __weak			__attribute__((__weak__))
#define __always_inline		inline __attribute__((__always_inline__))
#define __noinline		__attribute__((__noinline__))
#define __printf(a, b)		__attribute__((__format__(printf, a, b)))
#define __must_check		__attribute__((__warn_unused_result__))
#define __cold			__attribute__((__cold__))

#define likely(x)		__builtin_expect(!!(x), 1)
#define unlikely(x)		__builtin_expect(!!(x), 0)

/* Stop the compiler from moving memory accesses across this point. */
#define barrier()		__asm__ __volatile__("" ::: "memory")

#define READ_ONCE(x)		(*(const volatile __typeof__(x) *)&(x))
#define WRITE_ONCE(x, v)	do { *(volatile __typeof__(x) *)&(x) = (v); } while (0)

/*
 * Take a reference on an object found on a list whose last reference may
 * be going meanwhile: add one to *refs unless it is 0. True if taken.
 */
static inline _Bool ref_get_unless_zero(unsigned int *refs)
{
	unsigned int n = __atomic_load_n(refs, __ATOMIC_RELAXED);

	do {
		if (!n)
			return 0;
	} while (!__atomic_compare_exchange_n(refs, &n, n + 1, 0, __ATOMIC_ACQUIRE,
					      __ATOMIC_RELAXED));
	return 1;
}

#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))
#define BUILD_BUG_ON(cond)	_Static_assert(!(cond), #cond)

#define container_of(ptr, type, member) \
	((type *)((char *)(ptr) - __builtin_offsetof(type, member)))

#define ALIGN_UP(x, a)		(((x) + ((a) - 1)) & ~((__typeof__(x))(a) - 1))
#define ALIGN_DOWN(x, a)	((x) & ~((__typeof__(x))(a) - 1))
#define IS_ALIGNED(x, a)	(((x) & ((__typeof__(x))(a) - 1)) == 0)

#define MIN(a, b)		((a) < (b) ? (a) : (b))
#define MAX(a, b)		((a) > (b) ? (a) : (b))

#define __stringify_1(x)	#x
#define __stringify(x)		__stringify_1(x)
#define __concat_1(a, b)	a##b
#define __concat(a, b)		__concat_1(a, b)

#endif /* _KERN_COMPILER_H */
