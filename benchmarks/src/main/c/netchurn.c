/* Network churn workload for the whole-system benchmark, on loopback only:
 *   netchurn tcp N: N times connect to a local echo server, send 100 bytes, receive them
 *                   back, close;
 *   netchurn udp N: N round trips of a 100-byte datagram to a local echo server.
 * The echo server is a child process of this one (so both ends are monitored). Prints the
 * elapsed seconds of the client loop. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void die(const char *what) { perror(what); exit(1); }

static int full_io(int fd, char *buf, size_t n, int send_it)
{
	size_t done = 0;
	while (done < n) {
		ssize_t r = send_it ? write(fd, buf + done, n - done) : read(fd, buf + done, n - done);
		if (r <= 0)
			return -1;
		done += r;
	}
	return 0;
}

int main(int argc, char **argv)
{
	if (argc != 3 || (strcmp(argv[1], "tcp") && strcmp(argv[1], "udp"))) {
		fprintf(stderr, "usage: netchurn tcp|udp ITERATIONS\n");
		return 2;
	}
	int tcp = !strcmp(argv[1], "tcp");
	long n = atol(argv[2]);
	struct sockaddr_in addr = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof(addr);
	int srv = socket(AF_INET, tcp ? SOCK_STREAM : SOCK_DGRAM, 0);
	if (srv < 0 || bind(srv, (struct sockaddr *)&addr, sizeof(addr)) || getsockname(srv, (struct sockaddr *)&addr, &len))
		die("server socket");
	if (tcp && listen(srv, 128))
		die("listen");
	/* bounded in time: a lost datagram or a stuck peer ends the run (SIGALRM) instead of
	 * hanging it; not SO_RCVTIMEO, whose timer per receive costs more than the receive here */
	alarm(120);
	pid_t child = fork();
	if (child < 0)
		die("fork");
	char buf[100];
	if (child == 0) {
		for (long i = 0; i < n; i++) {
			if (tcp) {
				int c = accept(srv, NULL, NULL);
				if (c >= 0)
						if (c < 0 || full_io(c, buf, sizeof(buf), 0) || full_io(c, buf, sizeof(buf), 1))
					_exit(1);
				close(c);
			} else {
				struct sockaddr_in peer;
				socklen_t pl = sizeof(peer);
				ssize_t r = recvfrom(srv, buf, sizeof(buf), 0, (struct sockaddr *)&peer, &pl);
				if (r < 0 || sendto(srv, buf, r, 0, (struct sockaddr *)&peer, pl) != r)
					_exit(1);
			}
		}
		_exit(0);
	}
	memset(buf, 'x', sizeof(buf));
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	int u = tcp ? -1 : socket(AF_INET, SOCK_DGRAM, 0);
	if (!tcp && connect(u, (struct sockaddr *)&addr, sizeof(addr)))
		die("udp connect");
	for (long i = 0; i < n; i++) {
		if (tcp) {
			int c = socket(AF_INET, SOCK_STREAM, 0);
			if (c < 0 || connect(c, (struct sockaddr *)&addr, sizeof(addr)))
				die("connect");
			if (full_io(c, buf, sizeof(buf), 1) || full_io(c, buf, sizeof(buf), 0))
				die("tcp echo");
			close(c);
		} else if (send(u, buf, sizeof(buf), 0) != sizeof(buf) || recv(u, buf, sizeof(buf), 0) != sizeof(buf)) {
			die("udp echo");
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	int status = 0;
	if (waitpid(child, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status))
		fprintf(stderr, "netchurn: echo server failed\n");
	printf("%.6f\n", (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9);
	return 0;
}
