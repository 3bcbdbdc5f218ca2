/* SPDX-License-Identifier: MIT */
/*
 * Forced into each libc file compiled for the host test (-include): the
 * libc's functions get an ml_ prefix, so that they live beside the host's
 * C library, which the test driver uses as its reference.
 */
#define memcpy		ml_memcpy
#define memmove		ml_memmove
#define memset		ml_memset
#define memcmp		ml_memcmp
#define memchr		ml_memchr
#define strlen		ml_strlen
#define strnlen		ml_strnlen
#define strcmp		ml_strcmp
#define strncmp		ml_strncmp
#define strcpy		ml_strcpy
#define strncpy		ml_strncpy
#define strlcpy		ml_strlcpy
#define strcat		ml_strcat
#define strncat		ml_strncat
#define strchr		ml_strchr
#define strrchr		ml_strrchr
#define strstr		ml_strstr
#define strspn		ml_strspn
#define strcspn		ml_strcspn
#define isalnum		ml_isalnum
#define isalpha		ml_isalpha
#define iscntrl		ml_iscntrl
#define isdigit		ml_isdigit
#define isgraph		ml_isgraph
#define islower		ml_islower
#define isprint		ml_isprint
#define ispunct		ml_ispunct
#define isspace		ml_isspace
#define isupper		ml_isupper
#define isxdigit	ml_isxdigit
#define tolower		ml_tolower
#define toupper		ml_toupper
#define strtol		ml_strtol
#define strtoul		ml_strtoul
#define strtoll		ml_strtoll
#define strtoull	ml_strtoull
#define atoi		ml_atoi
#define atol		ml_atol
#define vsnprintf	ml_vsnprintf
#define snprintf	ml_snprintf
#define format_out	ml_format_out
