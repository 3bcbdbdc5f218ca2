// SPDX-License-Identifier: MIT
/*
 * /bin/hello: the smallest program of the RAM disk, and the example of
 * adding one (Documentation/user.rst).
 */
#include <stdio.h>

int main(int argc, char **argv)
{
	int i;

	printf("hello from %s\n", argc ? argv[0] : "a program with no name");
	for (i = 1; i < argc; i++)
		printf("  argv[%d] = %s\n", i, argv[i]);
	return 0;
}
