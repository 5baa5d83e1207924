/* File churn workload for the whole-system benchmark: N times create, write 4 KiB,
 * close, rename, unlink in one directory, one process. Prints the elapsed seconds. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: filechurn DIR ITERATIONS\n");
		return 2;
	}
	const char *dir = argv[1];
	long n = atol(argv[2]);
	char buf[4096], a[4096], b[4096];
	memset(buf, 'x', sizeof(buf));
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (long i = 0; i < n; i++) {
		snprintf(a, sizeof(a), "%s/f%ld", dir, i);
		snprintf(b, sizeof(b), "%s/g%ld", dir, i);
		int fd = open(a, O_CREAT | O_WRONLY | O_TRUNC, 0644);
		if (fd < 0 || write(fd, buf, sizeof(buf)) != sizeof(buf) || close(fd) != 0
		    || rename(a, b) != 0 || unlink(b) != 0) {
			perror("filechurn");
			return 1;
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("%.6f\n", (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9);
	return 0;
}
